import type { DecodedError } from '../formats/types.ts';

/**
 * What the client throws for an error response: the decoded error, whatever shape it came in.
 * @example
 * try { await client.json('/v0/auth', { method: 'POST', body }) }
 * catch (e) { if (e instanceof ResponseError && e.code === 'ih2006') … }
 */
export class ResponseError extends Error {
  /** The normalised error. */
  readonly error: DecodedError;
  /** Attempts made, retries included. */
  readonly attempts: number;

  constructor(error: DecodedError, attempts: number) {
    const id = error.requestId ? ` (request id ${error.requestId})` : '';
    super(`${error.code ?? `HTTP ${error.status}`}: ${error.message}${id}`);
    this.error = error;
    this.attempts = attempts;
  }

  override get name(): string {
    return 'ResponseError';
  }

  get status(): number {
    return this.error.status;
  }

  get code(): string | undefined {
    return this.error.code;
  }
}
