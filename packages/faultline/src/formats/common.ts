import type { ApiError } from '../error/api-error.ts';
import { formatRetryAfter, parseRetryAfter } from '../http/retry-after.ts';
import type { DecodeInput, EncodeContext, HeaderSource } from './types.ts';

/** JSON content type shared by most formats. */
export const JSON_TYPE = 'application/json; charset=utf-8';

/** `<docsBase>#<slug>`; just `#<slug>` when no base is configured. */
export function linkFor(error: ApiError, context: EncodeContext): string {
  return `${context.docsBase ?? ''}#${error.entry.slug}`;
}

/** Headers every format sets: `Retry-After` when the error asks for it, plus the error's own. */
export function errorHeaders(error: ApiError): Record<string, string> {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined)
    headers['retry-after'] = formatRetryAfter(error.retryAfterSeconds);
  for (const name in error.headers) headers[name.toLowerCase()] = error.headers[name]!;
  return headers;
}

/** Reads one header from any header source, case-insensitively. */
export function readHeader(headers: HeaderSource | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(n: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Readonly<Record<string, unknown>>;
  const lower = name.toLowerCase();
  for (const key in record) {
    if (key.toLowerCase() !== lower) continue;
    const value = record[key];
    if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
    return value === undefined ? undefined : String(value);
  }
  return undefined;
}

/** The body as a plain object, or undefined: decoders start from this. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A string field, or undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** An integer HTTP status in a body, or undefined. */
export function statusValue(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d{3}$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

/** Retry delay from the `Retry-After` header. */
export function retryAfterOf(input: DecodeInput): number | undefined {
  return parseRetryAfter(readHeader(input.headers, 'retry-after'), input.now);
}

/** The body minus the listed keys: what a decoder reports as extra fields. */
export function without(body: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in body) if (!keys.includes(key)) out[key] = body[key];
  return out;
}
