/** The header every response carries and every error body repeats. */
export const CORRELATION_HEADER = 'x-correlation-id';
/** A client's own request id: logged beside ours, never echoed. */
export const CLIENT_REQUEST_HEADER = 'x-client-request-id';

/**
 * A fresh correlation id: a random UUID, generated server-side so a client can't forge one
 * that collides with another request's logs. Web Crypto, so the client bundle stays server-free.
 * @example newCorrelationId() // 'f47ac10b-58cc-4372-a567-0e02b2c3d479'
 */
export function newCorrelationId(): string {
  return globalThis.crypto.randomUUID();
}
