import { parseRetryAfter } from '../http/retry-after.ts';
import { readHeader } from './common.ts';
import { decodeAs, withRetryHeaders, withRetrySignals } from './decode.ts';
import { headersOf } from './headers.ts';
import { parseBody } from './parse-body.ts';
import type { DecodedError, DecodeInput, Decoder, HeaderSource } from './types.ts';

export { decoders } from './decoders.ts';
// Re-exported: the client reads a response's text and parses it with this before decoding.
export { parseBody };

/**
 * Normalises an error response in one of the core shapes — the five seed APIs' and ours
 * (`problem`, `structured`, `legacy`, `envelope`, `nested`, `spring`, `trace`, `flat`), the common
 * conventions of `generic`, HTML pages and plain text — with every retry header; undefined when
 * nothing recognises it (a success body, an empty one). Google, OpenAI, Stripe, Azure, AWS and
 * GitHub shapes are opt-in: `decodeAnyError` from `faultline/decoders`. A string body is parsed first (see `parseBody`), so raw
 * response text works as well as parsed JSON; bytes are read as UTF-8. Never throws.
 * With `using`, those decoders are tried in turn instead of the built-in ones (which
 * `decoders` lists, in the order the built-in decoding tries them).
 * @example
 * const res = await fetch(url);
 * const error = decodeError({ status: res.status, headers: res.headers, body: await res.text() });
 * if (error?.code === 'ih3001') await sleep(error.retryAfterMs ?? 1000);
 * @example decodeError(input, [myDecoder, ...decoders])
 */
export function decodeError(input: DecodeInput, using?: readonly Decoder[]): DecodedError | undefined {
  if (using === undefined) return decodeAs(input);
  try {
    if (typeof input !== 'object' || input === null) return undefined;
    const source = input.headers;
    // Decoders may read any header; one that throws is treated as absent.
    const headers = {
      get(name: string): string | null {
        try {
          return readHeader(source, name) ?? null;
        } catch {
          return null;
        }
      },
    };
    let body = input.body;
    if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) body = new TextDecoder().decode(body);
    if (typeof body === 'string') body = parseBody(body, headers.get('content-type'));
    const prepared: DecodeInput = { status: input.status, headers, body, now: input.now };
    for (const decoder of using) {
      let decoded: DecodedError | undefined;
      try {
        decoded = decoder.decode(prepared);
      } catch {
        // A custom decoder broke its promise; the next one may still recognise the body.
        continue;
      }
      if (decoded) return withRetrySignals(decoded, headersOf(headers));
    }
  } catch {
    // The input itself is hostile (throwing getters, revoked proxies): nothing to decode.
  }
  return undefined;
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
  try {
    const h = headersOf(headers);
    const base = parseRetryAfter(h[1], now);
    const signals = {
      retryAfterMs: base !== undefined && Number.isFinite(base) ? base : undefined,
      shouldRetry: undefined,
    };
    withRetryHeaders(signals, h);
    return signals;
  } catch {
    return { retryAfterMs: undefined, shouldRetry: undefined };
  }
}
