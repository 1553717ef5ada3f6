import { decodeAs, retryAfterOf, withRetryHeaders } from './decode.ts';
import { Decoded } from './decoded.ts';
import { headersOf, idOf } from './headers.ts';
import { parseBody } from './parse-body.ts';
import type { DecodedError, DecodeInput, HeaderSource } from './types.ts';

export { decoders } from './decoders.ts';
// Re-exported: the client reads a response's text and parses it with this before decoding.
export { parseBody };

/**
 * Normalises an error response in one of the core shapes — the five seed APIs' and ours
 * (`problem`, `structured`, `legacy`, `envelope`, `nested`, `spring`, `trace`, `flat`) and plain
 * text — with every retry header; undefined when nothing recognises it (a success body, an
 * empty one, an HTML page: markup is never a message). The `generic` conventions (OAuth 2,
 * FastAPI, GraphQL, JSON:API), HTML pages and the Google, OpenAI, Stripe, Azure, AWS and GitHub
 * shapes are opt-in: `decodeAnyError` from `faultline/decoders`, which also has `decodeWith`
 * for a list of decoders of your own. A string body is parsed first (see `parseBody`), so raw
 * response text works as well as parsed JSON; an object body is read as a `for…in` pass sees
 * it (bytes and class instances such as an `Error` are read by `decodeAnyError`). Never throws.
 * @example
 * const res = await fetch(url);
 * const error = decodeError({ status: res.status, headers: res.headers, body: await res.text() });
 * if (error?.code === 'ih3001') await sleep(error.retryAfterMs ?? 1000);
 */
export function decodeError(input: DecodeInput): DecodedError | undefined {
  return decodeAs(input);
}

/**
 * The retry signals of a response's headers alone, for a body no decoder recognises (an empty
 * 503 from a load balancer still says when to come back): the delay, with the same precedence
 * as `decodeError` (`retry-after-ms` > `Retry-After` > an exhausted `RateLimit` policy), and the
 * explicit verdict of `x-should-retry` / `Stripe-Should-Retry`. Never throws.
 * @example retrySignals(new Headers({ 'retry-after': '30' })) // { retryAfterMs: 30000, shouldRetry: undefined }
 */
export function retrySignals(
  headers: HeaderSource | undefined,
  now?: number,
): { readonly retryAfterMs: number | undefined; readonly shouldRetry: boolean | undefined } {
  const h = headersOf(headers);
  const signals = { retryAfterMs: retryAfterOf(h, now), shouldRetry: undefined };
  withRetryHeaders(signals, h);
  return signals;
}

/**
 * An error no decoder recognised, from what the headers alone say: `unknown` with the status,
 * the retry signals (see `retrySignals`) and the usual request-id headers.
 * @example unknownError(503, res.headers, 'Service Unavailable').retryAfterMs
 */
export function unknownError(
  status: number,
  headers: HeaderSource | undefined,
  message: string,
  now?: number,
): DecodedError {
  const h = headersOf(headers);
  const d = new Decoded(undefined, undefined, retryAfterOf(h, now), status);
  withRetryHeaders(d, h);
  return d.is('unknown', status, undefined, message, idOf(h, 7, 10));
}
