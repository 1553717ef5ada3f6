import {
  parseRateLimitReset,
  parseRetryAfter,
  parseRetryAfterMs,
  parseShouldRetry,
} from '../http/retry-after.ts';
import { aws } from './aws.ts';
import { azure } from './azure.ts';
import { bodyMask, candidatesOf, headerMatches, needsOf, type Step } from './candidates.ts';
import { readHeader } from './common.ts';
import { envelopeDecoder as envelope } from './envelope.ts';
import { flatDecoder as flat } from './flat.ts';
import { generic } from './generic.ts';
import { github } from './github.ts';
import { google } from './google.ts';
import { htmlPage } from './html.ts';
import { legacyDecoder as legacy } from './legacy.ts';
import { nestedDecoder as nested } from './nested.ts';
import { openai } from './openai.ts';
import { parseBody } from './parse-body.ts';
import { problemDecoder as problem } from './problem.ts';
import { springDecoder as spring } from './spring.ts';
import { stripe } from './stripe.ts';
import { structuredDecoder as structured } from './structured.ts';
import { plainText } from './text.ts';
import { traceDecoder as trace } from './trace.ts';
import type { DecodedError, DecodeInput, Decoder, HeaderSource } from './types.ts';

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

/** What each built-in decoder needs of a body to match, index-aligned with `decoders`. */
const NEEDS = needsOf(decoders);
/** The candidate lists of the body masks met so far (see `candidatesOf`). */
const TABLE = new Map<number, readonly Step[]>();

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
    const headers = headerView(input.headers);
    const raw = bytesToText(input.body);
    const body = typeof raw === 'string' ? parseBody(raw, readHeader(headers, 'content-type')) : raw;
    const prepared: DecodeInput = { status: input.status, headers, body, now: input.now };
    // Bodies we parsed ourselves are plain JSON objects: only the built-in decoders their
    // members allow are tried, from a list kept per mask (see `candidatesOf`).
    if (using === decoders && body !== raw && isPlainObject(body)) {
      const steps = candidatesOf(NEEDS, TABLE, bodyMask(body));
      for (let k = 0; k < steps.length; k++) {
        const step = steps[k]!;
        if (step.header !== undefined && !headerMatches(step.header, headers)) continue;
        const decoded = tryDecoder(using[step.index]!, prepared);
        if (decoded) return decoded;
      }
      return undefined;
    }
    for (let i = 0; i < using.length; i++) {
      const decoded = tryDecoder(using[i]!, prepared);
      if (decoded) return decoded;
    }
  } catch {
    // The input itself is hostile (throwing getters, revoked proxies): nothing to decode.
  }
  return undefined;
}

/** One decoder's answer with the retry headers applied; a decoder that throws recognised nothing. */
function tryDecoder(decoder: Decoder, input: DecodeInput): DecodedError | undefined {
  try {
    const decoded = decoder.decode(input);
    return decoded ? withRetrySignals(decoded, input) : undefined;
  } catch {
    // A custom decoder broke its promise; the next one may still recognise the body.
    return undefined;
  }
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
    const view = headerView(headers);
    const base = parseRetryAfter(view?.get('retry-after'), now);
    const plain = {
      format: 'unknown',
      status: 0,
      code: undefined,
      message: '',
      requestId: undefined,
      link: undefined,
      retryAfterMs: base !== undefined && Number.isFinite(base) ? base : undefined,
      fields: {},
    };
    const decoded = withRetrySignals(plain, { status: 0, headers: view, body: undefined });
    return { retryAfterMs: decoded.retryAfterMs, shouldRetry: decoded.shouldRetry };
  } catch {
    return { retryAfterMs: undefined, shouldRetry: undefined };
  }
}

/**
 * Applies the retry headers every ecosystem may send, whatever the body's shape, in their order
 * of precedence: `retry-after-ms` (OpenAI, Azure; finer than seconds) over the decoder's own
 * delay (`Retry-After`, else a body field such as Google's RetryInfo), over an exhausted
 * `RateLimit` policy's `t`. `x-should-retry: false` is kept as `shouldRetry`: it outranks them all.
 */
function withRetrySignals(decoded: DecodedError, input: DecodeInput): DecodedError {
  const headers = input.headers as HeaderView | undefined;
  if (!headers?.mayRetry()) return decoded;
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

/**
 * The headers of one decode, made cheap to ask: decoders look up a dozen names (request ids,
 * retry headers, content type) and most are absent. A Node-style record is read by direct
 * property access, falling back to a case-insensitive scan only when it has a key that is not
 * lower-case; a fetch `Headers` (already case-insensitive, but not cheap) through a small memo.
 * Header sources that throw are treated as absent: the body still decodes.
 */
function headerView(source: HeaderSource | undefined): HeaderView | undefined {
  try {
    if (!source || typeof source !== 'object') return undefined;
    if (typeof (source as { get?: unknown }).get === 'function') {
      const all = isFetchHeaders(source) ? entriesOf(source as Headers) : undefined;
      return all ? new FetchHeaders(source as Headers, all) : new MemoHeaders(source);
    }
    return new RecordHeaders(source as Readonly<Record<string, unknown>>);
  } catch {
    return undefined;
  }
}

/** Header access for one decode. */
interface HeaderView {
  get(name: string): string | null;
  /** Whether any header of `withRetrySignals` is present: usually none, and then none is looked up. */
  mayRetry(): boolean;
}

const RETRY_HEADERS = [
  'retry-after-ms',
  'x-ms-retry-after-ms',
  'x-should-retry',
  'stripe-should-retry',
  'ratelimit',
];

/**
 * A Node-style record. Node's incoming headers are always lower-case, so names are looked up
 * directly; one `for…in` pass (no allocation) finds out whether that holds and whether any retry
 * header is there. A record with other spellings falls back to `readHeader`'s case-insensitive scan.
 */
class RecordHeaders implements HeaderView {
  readonly #record: Readonly<Record<string, unknown>>;
  readonly #mixedCase: boolean;
  readonly #mayRetry: boolean;
  constructor(record: Readonly<Record<string, unknown>>) {
    this.#record = record;
    let mixedCase = false;
    let mayRetry = false;
    for (const key in record) {
      switch (key) {
        case 'retry-after-ms':
        case 'x-ms-retry-after-ms':
        case 'x-should-retry':
        case 'stripe-should-retry':
        case 'ratelimit':
          mayRetry = true;
          break;
        default:
          // V8 hands back the string itself when there is nothing to lower: no copy, and
          // cheaper than a loop over its characters.
          if (!mixedCase && key.toLowerCase() !== key) mixedCase = true;
      }
    }
    this.#mixedCase = mixedCase;
    this.#mayRetry = mayRetry || mixedCase;
  }
  get(name: string): string | null {
    if (this.#mixedCase) return readHeader(this.#record as HeaderSource, name) ?? null;
    // Most names asked are absent. `Object.hasOwn` answers a miss from the record's own
    // members; reading `record[name]` first would walk the prototype chain for every miss.
    if (!Object.hasOwn(this.#record, name)) return null;
    const value = this.#record[name];
    if (value === undefined || value === null) return null;
    if (Array.isArray(value)) return value.length ? String(value[0]) : null;
    return String(value);
  }
  mayRetry(): boolean {
    return this.#mayRetry;
  }
}

/**
 * A fetch `Headers` as the platform made it (not a subclass that may answer differently).
 * A decode asks a dozen names, and `Headers#get` validates and normalises each one; reading
 * every header once, in one pass, costs less than three of those calls (Node's undici).
 */
function isFetchHeaders(source: object): boolean {
  return typeof Headers === 'function' && Object.getPrototypeOf(source) === Headers.prototype;
}

/** Every header of a fetch `Headers` by its lower-case name; undefined if it cannot be read. */
function entriesOf(source: Headers): Map<string, string> | undefined {
  try {
    const all = new Map<string, string>();
    // Iteration yields lower-case names with values combined as `get` combines them.
    for (const [name, value] of source) all.set(name, value);
    return all;
  } catch {
    return undefined;
  }
}

/** A fetch `Headers`, read once (see `isFetchHeaders`). */
class FetchHeaders implements HeaderView {
  readonly #source: Headers;
  readonly #all: Map<string, string>;
  constructor(source: Headers, all: Map<string, string>) {
    this.#source = source;
    this.#all = all;
  }
  get(name: string): string | null {
    const lower = name.toLowerCase();
    // Iteration yields each `Set-Cookie` on its own; `get` joins them. Only `get` knows how.
    if (lower === 'set-cookie') return readHeader(this.#source, name) ?? null;
    return this.#all.get(lower) ?? null;
  }
  mayRetry(): boolean {
    return RETRY_HEADERS.some((name) => this.#all.has(name));
  }
}

/** Any other `get` (or a fetch `Headers` that cannot be iterated), asked once per name. */
class MemoHeaders implements HeaderView {
  readonly #source: HeaderSource;
  readonly #memo = new Map<string, string | null>();
  constructor(source: HeaderSource) {
    this.#source = source;
  }
  get(name: string): string | null {
    let value = this.#memo.get(name);
    if (value === undefined) {
      try {
        value = readHeader(this.#source, name) ?? null;
      } catch {
        // A header object that throws is treated as having no such header.
        value = null;
      }
      this.#memo.set(name, value);
    }
    return value;
  }
  mayRetry(): boolean {
    return RETRY_HEADERS.some((name) => this.get(name) !== null);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bytesToText(body: unknown): unknown {
  if (body instanceof ArrayBuffer) return new TextDecoder().decode(body);
  if (ArrayBuffer.isView(body)) return new TextDecoder().decode(body);
  return body;
}
