import { parseJson } from './parse-body.ts';
import type { DecodedError } from './types.ts';
import { xmlText } from './xml.ts';

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
  if (typeof value === 'number')
    return Number.isInteger(value) && value >= 100 && value <= 599 ? value : undefined;
  // Most strings here are not statuses (`"error"`): only three characters are worth a regex.
  const n = typeof value === 'string' && value.length === 3 && /^\d{3}$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

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

  constructor(
    body: unknown,
    text: string | undefined,
    retryAfterMs: number | undefined,
    http: number | undefined,
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
    this.#fields ??= fieldsOf(this.format, this.#body, this.#text);
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
function fieldsOf(format: string, source: unknown, text: string | undefined): Record<string, unknown> {
  try {
    if (typeof source === 'string') {
      // AWS's XML errors are the only text bodies with fields.
      if (format !== 'aws') return {};
      const type = xmlText(source, 'Type');
      const hostId = xmlText(source, 'HostId');
      return { ...(type ? { type } : {}), ...(hostId ? { hostId } : {}) };
    }
    // We parsed this body without a reviver, for speed; one that may name `__proto__` (also
    // spelled with \u escapes) is parsed again without those keys, as `parseBody` does.
    let body = source;
    if (text !== undefined && (text.includes('__proto__') || text.includes('\\u')))
      body = parseJson(text, undefined, true);
    const b = objectOf(body);
    if (!b) return {};
    let outer = 'error';
    let inner = 'code,message';
    let from: unknown = b['error'];
    switch (format) {
      case 'problem': {
        const instance = str(b['instance']);
        const id = instance?.toLowerCase().startsWith('urn:uuid:') && instance.length > 9;
        outer = `type,status,detail,code${id ? ',instance' : ''}`;
        from = undefined;
        break;
      }
      case 'structured':
        outer = 'error_id,correlation_id,link,message,detail,status_code,extra';
        from = undefined;
        break;
      case 'legacy':
        outer = 'detail,status_code,extra';
        from = b['extra'];
        inner = '';
        break;
      case 'envelope':
        outer = 'error,status,status_code';
        inner = 'code,message,httpStatus';
        break;
      case 'stripe':
        inner = 'code,message,doc_url';
        break;
      case 'nested':
        inner = 'code,message,request_id';
        break;
      case 'aws':
        outer = '__type,code,message,Message,errorMessage';
        from = undefined;
        break;
      case 'github':
        outer = 'message,documentation_url,status';
        from = undefined;
        break;
      case 'spring':
        outer = 'status,error,message,requestId';
        from = undefined;
        break;
      case 'trace':
        outer = 'message,trace_id';
        from = undefined;
        break;
      case 'generic':
        outer =
          typeof b['error'] === 'string' && typeof b['error_description'] === 'string'
            ? 'error,error_description,error_uri'
            : typeof b['detail'] === 'string'
              ? 'detail,code,status'
              : '';
        from = undefined;
        break;
      case 'flat': {
        const status = b['status'];
        outer = `message,statusCode${typeof b['code'] === 'string' ? ',code' : ''}${typeof b['message'] === 'string' ? '' : ',error'}${status === 'error' || typeof status === 'number' ? ',status' : ''}`;
        from = undefined;
        break;
      }
      case 'azure':
        // Decoded from its header alone: the body was not Azure's.
        if (!objectOf(from)) return {};
        break;
      case 'html':
      case 'text':
        return {};
    }
    const into = from === undefined ? {} : without(objectOf(from) ?? {}, inner.split(','), {});
    return without(b, outer.split(','), into);
  } catch {
    // A hostile body that throws now: no fields rather than a throwing property.
    return {};
  }
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
