import type { Entry } from '../catalog/types.ts';
import { type ApiError, NO_HEADERS } from '../error/api-error.ts';
import { errorHeaders } from './common.ts';

/**
 * Whether an error's headers are exactly its entry's: no per-error headers and the catalogued
 * retry delay. Then the header set precomputed for the entry is the right one.
 * @example const headers = entryDefaults(error, entry) ? precomputed : { ...errorHeaders(error), ...fixed };
 */
export function entryDefaults(error: ApiError, entry: Entry): boolean {
  if (error.retryAfterSeconds !== defaultRetry(entry)) return false;
  const headers = error.headers;
  if (headers === NO_HEADERS) return true;
  for (const _ in headers) return false;
  return true;
}

/**
 * The headers every error of an entry sends when it carries none of its own: `errorHeaders`
 * of a plain error of that entry, computed once.
 * @example entryHeaders(entry) // { 'retry-after': '1' }
 */
export function entryHeaders(entry: Entry): Record<string, string> {
  return errorHeaders({ retryAfterSeconds: defaultRetry(entry), headers: {} } as unknown as ApiError);
}

function defaultRetry(entry: Entry): number | undefined {
  return entry.retryable ? entry.retryAfterSeconds : undefined;
}

/**
 * Whether a format that spreads the entry's fields after fixed keys can be compiled: JavaScript
 * orders integer-like keys ("0", "42") before every other key, so such a field would move to the
 * front of the generic body and the precomputed order would no longer match it.
 * @example compilable(entry) // false for fields: ['0']
 */
export function compilable(entry: Entry): boolean {
  for (const name of entry.fields)
    if (/^(?:0|[1-9]\d*)$/.test(name) && Number(name) < 2 ** 32 - 1) return false;
  return true;
}

/**
 * The serialised members of an object without its braces, led by a comma; '' for an empty one.
 * JSON.stringify of the very object, so escaping and `toJSON` behave as in the generic path.
 * @example members({ reset_time: 3 }) // ',"reset_time":3'
 */
export function members(object: Record<string, unknown>): string {
  const json = JSON.stringify(object);
  return json.length === 2 ? '' : `,${json.slice(1, -1)}`;
}

/**
 * The message as a JSON string, reusing the one serialised at set-up when the error's message is
 * the entry's own (a template without parameters, the common case): identical strings, so
 * identical JSON.
 * @example const json = messageJson(error, entry, constant);
 */
export function messageJson(error: ApiError, entry: Entry, constant: string): string {
  const message = error.message;
  return message === entry.message ? constant : JSON.stringify(message);
}
