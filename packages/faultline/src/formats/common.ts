import type { ApiError } from '../error/api-error.ts';
import { CORRELATION_HEADER } from '../http/correlation.ts';
import { formatRetryAfter } from '../http/retry-after.ts';
import { statusValue } from './decoded.ts';
import type { DecodedError, DecodeInput, EncodeContext, HeaderSource } from './types.ts';

/**
 * JSON content type shared by most formats: exactly the registered media type. RFC 8259
 * registers `application/json` with no `charset` parameter (JSON is UTF-8), so we send none.
 * @example reply.header('content-type', JSON_TYPE)
 */
export const JSON_TYPE = 'application/json';

/**
 * `<docsBase>#<slug>`; just `#<slug>` when no base is configured.
 * @example linkFor(err, { correlationId, docsBase: 'https://x.test/docs' }) // 'https://x.test/docs#ih2005-missing-key-secret'
 */
export function linkFor(error: ApiError, context: EncodeContext): string {
  return `${context.docsBase ?? ''}#${error.entry.slug}`;
}

/**
 * Headers every format sets: `Retry-After` when the error asks for it, plus the error's own.
 * @example errorHeaders(api.error('RATE_LIMITED')) // { 'retry-after': '2' }
 */
export function errorHeaders(error: ApiError): Record<string, string> {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined)
    headers['retry-after'] = formatRetryAfter(error.retryAfterSeconds);
  for (const name in error.headers) headers[name.toLowerCase()] = error.headers[name]!;
  return headers;
}

/**
 * `errorHeaders` plus `X-Correlation-ID`: for shapes whose body has no room for the id
 * (legacy, spring, flat), so a client can still quote it to support.
 * @example headersWithCorrelation(err, { correlationId: id })['x-correlation-id'] === id
 */
export function headersWithCorrelation(error: ApiError, context: EncodeContext): Record<string, string> {
  return { ...errorHeaders(error), [CORRELATION_HEADER]: context.correlationId };
}

/**
 * Reads one header from any header source (fetch `Headers`, Node's records), case-insensitively.
 * @example readHeader({ 'Retry-After': ['5'] }, 'retry-after') // '5'
 */
export function readHeader(headers: HeaderSource | undefined, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    const value: unknown = (headers as { get(n: string): unknown }).get(name);
    return typeof value === 'string' ? value : undefined;
  }
  const record = headers as Readonly<Record<string, unknown>>;
  const lower = name.toLowerCase();
  for (const key of Object.keys(record)) {
    if (key.toLowerCase() !== lower) continue;
    const value = record[key];
    if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
    return value === undefined || value === null ? undefined : String(value);
  }
  return undefined;
}

/** Headers that carry a request id when the body has none: ours, seed 001's, Stripe's, the common trace one. */
const REQUEST_ID_HEADERS = [CORRELATION_HEADER, 'x-request-id', 'request-id', 'x-trace-id'] as const;

/**
 * The first request-id header present (of `names`: by default the common ones), for shapes
 * whose body does not carry one. One helper for every ecosystem's list keeps the client bundle small.
 * @example requestIdFromHeaders(res.headers) // 'f47ac10b-…' from X-Correlation-ID, X-Request-Id or Request-Id
 * @example requestIdFromHeaders(res.headers, ['x-amzn-requestid']) // AWS's own header only
 */
export function requestIdFromHeaders(
  headers: HeaderSource | undefined,
  names: readonly string[] = REQUEST_ID_HEADERS,
): string | undefined {
  for (const name of names) {
    const value = readHeader(headers, name)?.trim();
    if (value) return value;
  }
  return undefined;
}

/**
 * The body as a plain object, or undefined: decoders start from this.
 * @example asObject([1]) // undefined
 */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * The status a decoded error reports. The HTTP status wins when it is an error status; a body
 * that states an error status wins over a 2xx/3xx or missing one (APIs that answer 200-on-error,
 * callers that decode a stored body). 0 when neither is known, as fetch reports opaque responses.
 * @example statusOf({ status: 200, body }, 404) // 404
 */
export function statusOf(input: DecodeInput, bodyStatus?: unknown): number {
  const http = statusValue(input.status);
  if (http !== undefined && http >= 400) return http;
  const stated = statusValue(bodyStatus);
  if (stated !== undefined && stated >= 400) return stated;
  return http ?? stated ?? 0;
}

/**
 * Whether a key is never copied into decoded `fields`: a body is untrusted, and a consumer that
 * merges `fields` with `Object.assign` or a deep merge must not have its prototypes rewritten.
 * Three comparisons: cheaper than a set lookup on every key of every decoded body.
 */
function unsafeKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype';
}

/**
 * The body minus the listed keys (and prototype-polluting ones): what a decoder reports as
 * extra fields. With `into`, they are added to it (later keys win, as in a spread) and it is
 * returned: a decoder merging two levels builds one object instead of three.
 * @example without({ message: 'm', hint: 'h' }, ['message']) // { hint: 'h' }
 * @example without(body, ['error'], without(body.error, ['code'])) // inner extras, then outer ones
 */
export function without(
  body: Record<string, unknown>,
  keys: readonly string[],
  into: Record<string, unknown> = {},
): Record<string, unknown> {
  for (const key of Object.keys(body)) {
    if (!keys.includes(key) && !unsafeKey(key)) into[key] = body[key];
  }
  return into;
}

/**
 * An error's extra fields minus the keys its format already uses: a field named like a
 * standard member (`message`, `status`…) would silently overwrite it.
 * @example { message: err.message, ...extras(err, ['message']) }
 */
export function extras(error: ApiError, reserved: readonly string[]): Record<string, unknown> {
  return without(error.fields, reserved);
}

/**
 * Wraps a decoder so it keeps its promise of never throwing: bodies are untrusted and may be
 * proxies, objects with throwing getters, or header objects whose `get` throws.
 * @example const mine: Decoder = { name: 'mine', decode: guard((input) => undefined) };
 */
export function guard(decode: (input: DecodeInput) => DecodedError | undefined) {
  return (input: DecodeInput): DecodedError | undefined => {
    try {
      if (typeof input !== 'object' || input === null) return undefined;
      return decode(input);
    } catch {
      return undefined;
    }
  };
}
