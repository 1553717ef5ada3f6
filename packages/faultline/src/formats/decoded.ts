import { parseJson } from './parse-body.ts';
import type { DecodedError } from './types.ts';

/** A string member, or undefined. */
export const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The body as a plain object (not an array), or undefined. */
export const objectOf = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

/**
 * An integer HTTP status in a body (a number or a three-digit string), or undefined.
 * @example statusValue('429') // 429
 */
export function statusValue(value: unknown): number | undefined {
  // Most strings here are not statuses (`"error"`): only three characters are worth a regex.
  const n = typeof value === 'string' && value.length === 3 && /^\d{3}$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

/**
 * `fields` of the shapes an extension adds, from the body (text, or an object parsed without
 * `__proto__` keys); undefined for a shape not its own.
 */
export type FieldsHook = (format: string, body: unknown) => Record<string, unknown> | undefined;

/**
 * A decoded error. `fields` is computed on first read: most callers never look at it. It is
 * an accessor, so a spread copy leaves it out; `JSON.stringify` keeps it (see `toJSON`).
 */
export class Decoded implements DecodedError {
  declare format: string;
  declare status: number;
  declare code: string | undefined;
  declare message: string;
  declare requestId: string | undefined;
  declare link: string | undefined;
  declare retryAfterMs: number | undefined;
  declare shouldRetry: boolean | undefined;
  #body: unknown;
  #text: string | undefined;
  #http: number | undefined;
  #fields: Record<string, unknown> | undefined;
  #more: FieldsHook | undefined;

  constructor(
    body: unknown,
    text: string | undefined,
    retryAfterMs: number | undefined,
    http: number | undefined,
    more?: FieldsHook,
  ) {
    this.format = '';
    this.status = 0;
    this.code = undefined;
    this.message = '';
    this.requestId = undefined;
    this.link = undefined;
    this.retryAfterMs = retryAfterMs;
    this.shouldRetry = undefined;
    this.#body = body;
    this.#text = text;
    this.#http = http;
    this.#fields = undefined;
    this.#more = more;
  }

  /** Fills in what a shape read; a delay given here is the shape's own (else `Retry-After`'s). */
  is(
    format: string,
    status: number,
    code: string | undefined,
    message: string,
    requestId: string | undefined,
    link?: string,
    retryAfterMs?: number,
  ): this {
    this.format = format;
    this.status = status;
    this.code = code;
    this.message = message;
    this.requestId = requestId;
    this.link = link;
    if (retryAfterMs !== undefined) this.retryAfterMs = retryAfterMs;
    return this;
  }

  /** The HTTP status when it is an error status; else an error status the body states. */
  statusOf(stated?: unknown): number {
    const http = this.#http;
    if (http !== undefined && http >= 400) return http;
    const value = statusValue(stated);
    return value !== undefined && value >= 400 ? value : (http ?? value ?? 0);
  }

  get fields(): Readonly<Record<string, unknown>> {
    this.#fields ??= fieldsOf(this.format, this.#body, this.#text, this.#more);
    return this.#fields;
  }

  toJSON(): object {
    return { ...this, fields: this.fields };
  }
}

/**
 * Every other member of the body: what a shape reports as extra fields. Members of the inner
 * object (`error`, or legacy's `extra`) first, then the outer ones; prototype-polluting keys never.
 */
function fieldsOf(
  format: string,
  source: unknown,
  text: string | undefined,
  more: FieldsHook | undefined,
): Record<string, unknown> {
  try {
    // No core shape of text has fields.
    if (typeof source === 'string') return more?.(format, source) ?? {};
    // We parsed this body without a reviver, for speed; one that may name `__proto__` (also
    // spelled with \u escapes) is parsed again without those keys, as `parseBody` does.
    let body = source;
    if (text !== undefined && (text.includes('__proto__') || text.includes('\\u')))
      body = parseJson(text, undefined, true);
    const b = objectOf(body);
    if (!b) return {};
    const own = more?.(format, b);
    if (own) return own;
    switch (format) {
      case 'problem': {
        const instance = str(b['instance']);
        const id = instance?.toLowerCase().startsWith('urn:uuid:') && instance.length > 9;
        return apart(b, `type,status,detail,code${id ? ',instance' : ''}`);
      }
      case 'structured':
        return apart(b, 'error_id,correlation_id,link,message,detail,status_code,extra');
      case 'legacy':
        return apart(b, 'detail,status_code,extra', b['extra'], '');
      case 'envelope':
        return apart(b, 'error,status,status_code', b['error'], 'code,message,httpStatus');
      case 'nested':
        return apart(b, 'error', b['error'], 'code,message,request_id');
      case 'spring':
        return apart(b, 'status,error,message,requestId');
      case 'trace':
        return apart(b, 'message,trace_id');
      case 'flat': {
        const status = b['status'];
        return apart(
          b,
          `message,statusCode${typeof b['code'] === 'string' ? ',code' : ''}${typeof b['message'] === 'string' ? '' : ',error'}${status === 'error' || typeof status === 'number' ? ',status' : ''}`,
        );
      }
    }
    // Text.
    return {};
  } catch {
    // A hostile body that throws now: no fields rather than a throwing property.
    return {};
  }
}

/**
 * The members of `body` but those in `outer` (comma-separated), after the members of the
 * object `from` (when given) but those in `inner`; prototype-polluting keys never.
 * @example apart({ error: { code: 'c', a: 1 }, b: 2 }, 'error', { code: 'c', a: 1 }) // { a: 1, b: 2 }
 */
export function apart(
  body: Record<string, unknown>,
  outer: string,
  from?: unknown,
  inner = 'code,message',
): Record<string, unknown> {
  const into = from === undefined ? {} : without(objectOf(from) ?? {}, inner.split(','), {});
  return without(body, outer.split(','), into);
}

/** The members of `body` not in `keys` and not prototype-polluting, added to `into`. */
function without(
  body: Record<string, unknown>,
  keys: readonly string[],
  into: Record<string, unknown>,
): Record<string, unknown> {
  for (const key of Object.keys(body)) {
    if (!keys.includes(key) && key !== '__proto__' && key !== 'constructor' && key !== 'prototype')
      into[key] = body[key];
  }
  return into;
}
