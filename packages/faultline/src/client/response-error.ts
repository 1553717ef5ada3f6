import type { DecodedError } from '../formats/types.ts';
import type { StopReason } from './retry-policy.ts';

/**
 * What the client throws for an error response (or a network failure or timeout): the decoded
 * error, whatever shape it came in, with how many attempts were made and why it stopped.
 * @example
 * try { await client.json('/v0/auth', { method: 'POST', body }) }
 * catch (e) { if (e instanceof ResponseError && e.code === 'ih2006') … }
 */
export class ResponseError extends Error {
  /** The normalised error of the last attempt. */
  readonly error: DecodedError;
  /** Attempts made, retries included. */
  readonly attempts: number;
  /** Why the client did not try again. */
  readonly reason: StopReason;

  constructor(error: DecodedError, attempts: number, reason: StopReason = 'not-retryable', cause?: unknown) {
    const id = error.requestId ? ` (request id ${error.requestId})` : '';
    const status = error.status > 0 ? `HTTP ${error.status}` : 'network';
    super(`${error.code ?? status}: ${error.message}${id}`, cause === undefined ? undefined : { cause });
    this.error = error;
    this.attempts = attempts;
    this.reason = reason;
  }

  override get name(): string {
    return 'ResponseError';
  }

  /** HTTP status; 0 for a network failure or timeout. */
  get status(): number {
    return this.error.status;
  }

  get code(): string | undefined {
    return this.error.code;
  }

  /** The id to quote to support (correlation, request or trace id). */
  get requestId(): string | undefined {
    return this.error.requestId;
  }
}
