import { parseRateLimitReset, parseRetryAfterMs, parseShouldRetry } from '../http/retry-after.ts';
import { aws } from './aws.ts';
import { azure } from './azure.ts';
import { readHeader } from './common.ts';
import { envelope } from './envelope.ts';
import { flat } from './flat.ts';
import { generic } from './generic.ts';
import { github } from './github.ts';
import { google } from './google.ts';
import { htmlPage } from './html.ts';
import { legacy } from './legacy.ts';
import { nested } from './nested.ts';
import { openai } from './openai.ts';
import { parseBody } from './parse-body.ts';
import { problem } from './problem.ts';
import { spring } from './spring.ts';
import { stripe } from './stripe.ts';
import { structured } from './structured.ts';
import { plainText } from './text.ts';
import { trace } from './trace.ts';
import type { DecodedError, DecodeInput, Decoder } from './types.ts';

// Re-exported: the client reads a response's text and parses it with this before decoding.
export { parseBody };

/**
 * Every known decoder, most specific first. Why this order:
 * - `problem` first: its content type is a declaration, not a guess.
 * - `structured` before `legacy`: a transition body carries both, and the new one is canonical.
 * - Shapes with `error` as an object: `envelope` (a status beside the code), `google`
 *   (numeric code), `openai` (`param` and `code` always present, no `doc_url`) before `stripe`
 *   (a `…_error` type), `azure` (an `x-ms-*` header or `innererror`) before `nested`, which
 *   only needs code + message.
 * - `aws` (a `__type`, an `X-Amzn-ErrorType` header or an XML `<Error>`) and `github` (a
 *   `documentation_url`) before the shapes that only need a `message`.
 * - `spring` (needs a timestamp) and `trace` (needs `trace_id`) before `flat`, whose lone
 *   `message`/`error` would match them too; `generic` conventions before `flat` for the same reason.
 * - Text last: `htmlPage` before `plainText`, which refuses HTML anyway.
 * @example decodeError(input, [myDecoder, ...decoders])
 */
export const decoders: readonly Decoder[] = [
  problem,
  structured,
  legacy,
  envelope,
  google,
  openai,
  stripe,
  azure,
  nested,
  aws,
  github,
  spring,
  trace,
  generic,
  flat,
  htmlPage,
  plainText,
];

/**
 * Normalises an error response in any known shape; undefined when nothing recognises it
 * (a success body, an empty one). A string body is parsed first (see `parseBody`), so raw
 * response text works as well as parsed JSON; bytes are read as UTF-8. Never throws.
 * @example
 * const res = await fetch(url);
 * const error = decodeError({ status: res.status, headers: res.headers, body: await res.text() });
 * if (error?.code === 'ih3001') await sleep(error.retryAfterMs ?? 1000);
 */
export function decodeError(
  input: DecodeInput,
  using: readonly Decoder[] = decoders,
): DecodedError | undefined {
  try {
    if (typeof input !== 'object' || input === null) return undefined;
    const raw = bytesToText(input.body);
    const body = typeof raw === 'string' ? parseBody(raw, readHeader(input.headers, 'content-type')) : raw;
    const prepared: DecodeInput = body === input.body ? input : { ...input, body };
    for (const decoder of using) {
      try {
        const decoded = decoder.decode(prepared);
        if (decoded) return withRetrySignals(decoded, prepared);
      } catch {
        // A custom decoder broke its promise; the next one may still recognise the body.
      }
    }
  } catch {
    // The input itself is hostile (throwing getters, revoked proxies): nothing to decode.
  }
  return undefined;
}

/**
 * Applies the retry headers every ecosystem may send, whatever the body's shape, in their order
 * of precedence: `retry-after-ms` (OpenAI, Azure; finer than seconds) over the decoder's own
 * delay (`Retry-After`, else a body field such as Google's RetryInfo), over an exhausted
 * `RateLimit` policy's `t`. `x-should-retry: false` is kept as `shouldRetry`: it outranks them all.
 */
function withRetrySignals(decoded: DecodedError, input: DecodeInput): DecodedError {
  const headers = input.headers;
  if (!headers) return decoded;
  const ms = parseRetryAfterMs(
    readHeader(headers, 'retry-after-ms') ?? readHeader(headers, 'x-ms-retry-after-ms'),
  );
  const verdict = parseShouldRetry(
    readHeader(headers, 'x-should-retry') ?? readHeader(headers, 'stripe-should-retry'),
  );
  const delay = ms ?? decoded.retryAfterMs ?? parseRateLimitReset(readHeader(headers, 'ratelimit'));
  if (delay === decoded.retryAfterMs && verdict === undefined) return decoded;
  return { ...decoded, retryAfterMs: delay, ...(verdict === undefined ? {} : { shouldRetry: verdict }) };
}

function bytesToText(body: unknown): unknown {
  if (body instanceof ArrayBuffer) return new TextDecoder().decode(body);
  if (ArrayBuffer.isView(body)) return new TextDecoder().decode(body);
  return body;
}
