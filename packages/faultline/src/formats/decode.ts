import {
  parseRateLimitReset,
  parseRetryAfter,
  parseRetryAfterMs,
  parseShouldRetry,
} from '../http/retry-after.ts';
import { parseJson } from './parse-body.ts';
import { htmlMessage, looksLikeHtml, oneLine } from './readable.ts';
import { reasonPhrase } from './reason.ts';
import type { DecodedError, DecodeInput, Decoder, HeaderSource } from './types.ts';
import { looksLikeXmlError, xmlText } from './xml.ts';

/**
 * The decoding core of every built-in shape. One `for…in` pass over a body's members (and one
 * over its `error` object) learns its shape; one pass over the headers reads every header any
 * shape needs; then the shapes are tried in `decoders` order on those values alone. Each
 * built-in `Decoder` is this core limited to one shape, so `decodeError` with the built-in
 * list and trying each of them in turn give the same answer.
 */

/** Every header a built-in shape reads, by slot; request-id lists are runs of slots. */
const NAMES = [
  'content-type',
  'retry-after',
  'retry-after-ms',
  'x-ms-retry-after-ms',
  'x-should-retry',
  'stripe-should-retry',
  'ratelimit',
  // 7–10: the usual request ids (ours, seed 001's, Stripe's, the common trace one)
  'x-correlation-id',
  'x-request-id',
  'request-id',
  'x-trace-id',
  // 11: Azure's code; 12–14: Azure's request ids
  'x-ms-error-code',
  'x-ms-request-id',
  'x-ms-correlation-request-id',
  'apim-request-id',
  // 15: AWS's code; 16–18: AWS's request ids
  'x-amzn-errortype',
  'x-amzn-requestid',
  'x-amz-request-id',
  'x-amzn-request-id',
  // 19–21: GitHub
  'x-github-request-id',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
];

/** The slot of a lower-case header name; -1 for a header no shape reads. */
function slotOf(name: string): number {
  // A switch on constant strings compiles to pointer comparisons: cheaper than any lookup.
  switch (name) {
    case 'content-type':
      return 0;
    case 'retry-after':
      return 1;
    case 'retry-after-ms':
      return 2;
    case 'x-ms-retry-after-ms':
      return 3;
    case 'x-should-retry':
      return 4;
    case 'stripe-should-retry':
      return 5;
    case 'ratelimit':
      return 6;
    case 'x-correlation-id':
      return 7;
    case 'x-request-id':
      return 8;
    case 'request-id':
      return 9;
    case 'x-trace-id':
      return 10;
    case 'x-ms-error-code':
      return 11;
    case 'x-ms-request-id':
      return 12;
    case 'x-ms-correlation-request-id':
      return 13;
    case 'apim-request-id':
      return 14;
    case 'x-amzn-errortype':
      return 15;
    case 'x-amzn-requestid':
      return 16;
    case 'x-amz-request-id':
      return 17;
    case 'x-amzn-request-id':
      return 18;
    case 'x-github-request-id':
      return 19;
    case 'x-ratelimit-remaining':
      return 20;
    case 'x-ratelimit-reset':
      return 21;
  }
  return -1;
}

/**
 * Lengths of our names by first letter (bit n = some name of length n): a record key of
 * another spelling can only be one of ours if its first letter and length fit, so only those
 * few are lower-cased. Lower-casing never changes the length of a name that becomes ASCII.
 */
function mayBeOurs(key: string): boolean {
  const first = key.charCodeAt(0) | 32;
  const lengths =
    first === 120 // x
      ? 0x82bb9400
      : first === 114 // r
        ? 0x4e00
        : first === 99 // c
          ? 0x1000
          : first === 97 // a
            ? 0x8000
            : first === 115 // s
              ? 0x80000
              : 0;
  return ((lengths >>> key.length) & 1) === 1;
}

/** Header values by slot: a string, or undefined when absent. */
export type HeaderValues = (string | undefined)[];

/**
 * Every header a shape reads, in one pass: a Node-style record (any spelling: the first key
 * that matches wins, as a case-insensitive lookup finds it), a fetch `Headers` (iterated once:
 * cheaper than a dozen `get`s), or any other `get` (asked per name). A header source that
 * throws is treated as having no such header.
 */
export function headersOf(source: HeaderSource | undefined): HeaderValues {
  const values: HeaderValues = [];
  try {
    if (typeof source !== 'object' || source === null) return values;
    if (typeof (source as { get?: unknown }).get === 'function') {
      if (typeof Headers === 'function' && Object.getPrototypeOf(source) === Headers.prototype) {
        (source as Headers).forEach((value, name) => {
          const slot = slotOf(name);
          if (slot >= 0) values[slot] = value;
        });
      } else {
        for (let slot = 0; slot < NAMES.length; slot++) {
          try {
            const value: unknown = (source as { get(name: string): unknown }).get(NAMES[slot]!);
            if (typeof value === 'string') values[slot] = value;
          } catch {
            // This name is absent; the others may still be read.
          }
        }
      }
      return values;
    }
    const record = source as Readonly<Record<string, unknown>>;
    let seen = 0;
    for (const key in record) {
      let slot = slotOf(key);
      if (slot < 0 && mayBeOurs(key)) slot = slotOf(key.toLowerCase());
      if (slot < 0 || (seen >>> slot) & 1) continue;
      seen |= 1 << slot;
      const value = record[key];
      if (typeof value === 'string') values[slot] = value;
      else if (Array.isArray(value)) {
        if (value.length) values[slot] = String(value[0]);
      } else if (value != null) values[slot] = String(value);
    }
  } catch {
    // Header objects that throw: what was read so far stands.
  }
  return values;
}

/** The first non-blank value of slots `from` to `to` (inclusive), trimmed. */
function idOf(h: HeaderValues, from: number, to: number): string | undefined {
  for (let slot = from; slot <= to; slot++) {
    const value = h[slot]?.trim();
    if (value) return value;
  }
  return undefined;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The body as a plain object (not an array), or undefined. */
const objectOf = (value: unknown): Record<string, unknown> | undefined =>
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
class Decoded implements DecodedError {
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

/** Every top-level member a shape reads (see `decodeBody`). */
const MEMBERS =
  'error,message,error_id,correlation_id,link,status_code,detail,status,type,title,instance,code,request_id,requestId,trace_id,traceId,__type,Message,errorMessage,RequestId,documentation_url,errors,timestamp,error_description,error_uri,statusCode'.split(
    ',',
  );

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Every member of an `error` object a shape reads. */
const INNER =
  'code,message,httpStatus,status,details,param,type,doc_url,request_log_url,request_id,innererror,target,retry_after'.split(
    ',',
  );

/** The members a shape reads (`names`), by name, as a plain object. */
function copyMembers(body: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const name of names) if (name in body) copy[name] = body[name];
  return copy;
}

/**
 * Stripe's error types all end in `_error`: `card_error`, `invalid_request_error`… Read as
 * `/^[a-z]+(?:_[a-z]+)*_error$/` would, without a regex on every `{error: {type}}` body.
 */
function isStripeType(type: string): boolean {
  const end = type.length - 6;
  if (end < 1 || !type.endsWith('_error')) return false;
  let previous = 0x5f; // as if after an underscore: the type may not start with one
  for (let i = 0; i < end; i++) {
    const c = type.charCodeAt(i);
    if (c === 0x5f ? previous === 0x5f : c < 0x61 || c > 0x7a) return false;
    previous = c;
  }
  return previous !== 0x5f;
}

/** `https://docs.example/errors#ih2005` → `ih2005`; undefined without a fragment. */
function fragmentOf(link: string | undefined): string | undefined {
  const at = link?.indexOf('#') ?? -1;
  if (link === undefined || at === -1 || at === link.length - 1) return undefined;
  const fragment = link.slice(at + 1);
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

/** Smithy's rule: `aws.protocols#ValidationException:http://…` → `ValidationException`. */
function sanitise(raw: string): string {
  const colon = raw.indexOf(':');
  const noUri = colon === -1 ? raw : raw.slice(0, colon);
  return noUri.slice(noUri.lastIndexOf('#') + 1).trim();
}

/**
 * Decodes `input` as the built-in shapes would, in `decoders` order; `only` limits it to the
 * shape of that name. Without `only` (what `decodeError` does), a text body is parsed first
 * and the retry headers every ecosystem may send are applied (see `withRetryHeaders`).
 * Never throws.
 */
export function decodeAs(input: DecodeInput, only?: string): Decoded | undefined {
  try {
    if (typeof input !== 'object' || input === null) return undefined;
    const h = headersOf(input.headers);
    let body: unknown = input.body;
    let text: string | undefined;
    if (only === undefined) {
      if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) body = new TextDecoder().decode(body);
      if (typeof body === 'string') {
        const parsed = parseJson(body, h[0], false);
        // The text that was parsed, kept for `fields` (see `fieldsOf`).
        if (parsed !== body) text = body;
        body = parsed;
      }
    }
    const decoded = decodeBody(input, h, body, text, only);
    if (decoded && only === undefined) withRetryHeaders(decoded, h);
    return decoded;
  } catch {
    // The input itself is hostile (throwing getters, revoked proxies): nothing to decode.
    return undefined;
  }
}

/**
 * The retry headers, whatever the body's shape, in their order of precedence: `retry-after-ms`
 * (OpenAI, Azure; finer than seconds) over the shape's own delay (`Retry-After`, else a body
 * field), over an exhausted `RateLimit` policy's `t`; and the explicit verdict of
 * `x-should-retry` / `Stripe-Should-Retry`, which outranks them all.
 */
export function withRetryHeaders(
  decoded: { retryAfterMs: number | undefined; shouldRetry?: boolean | undefined },
  h: HeaderValues,
): void {
  decoded.retryAfterMs = parseRetryAfterMs(h[2] ?? h[3]) ?? decoded.retryAfterMs ?? parseRateLimitReset(h[6]);
  decoded.shouldRetry = parseShouldRetry(h[4] ?? h[5]);
}

/**
 * `withRetryHeaders` for any decoder's answer: ours (fresh) in place; another's copied when
 * the headers change it, as it may be shared.
 */
export function withRetrySignals(decoded: DecodedError, h: HeaderValues): DecodedError {
  if (decoded instanceof Decoded) {
    withRetryHeaders(decoded, h);
    return decoded;
  }
  const signals = { retryAfterMs: decoded.retryAfterMs, shouldRetry: undefined as boolean | undefined };
  withRetryHeaders(signals, h);
  if (signals.retryAfterMs === decoded.retryAfterMs && signals.shouldRetry === undefined) return decoded;
  const { shouldRetry, ...rest } = signals;
  return { ...decoded, ...rest, ...(shouldRetry === undefined ? {} : { shouldRetry }) };
}

/** The shapes' conditions, in `decoders` order, on the members read in one pass. */
function decodeBody(
  input: DecodeInput,
  h: HeaderValues,
  body: unknown,
  text: string | undefined,
  only: string | undefined,
): Decoded | undefined {
  const all = only === undefined;
  const now = typeof input.now === 'number' && Number.isFinite(input.now) ? input.now : undefined;
  const header = parseRetryAfter(h[1], now);
  const retryAfter = header !== undefined && Number.isFinite(header) ? header : undefined;
  const d = new Decoded(body, text, retryAfter, statusValue(input.status));

  if (typeof body === 'string') {
    // Azure (an x-ms-error-code header: a HEAD, or Storage's XML), AWS's XML, HTML, text.
    const azure = (all || only === 'azure') && h[11]?.trim();
    if (azure) {
      const message = looksLikeXmlError(body) ? xmlText(body, 'Message')?.split('\n')[0] : undefined;
      return d.is(
        'azure',
        d.statusOf(),
        azure,
        message || azure,
        idOf(h, 12, 14) ?? idOf(h, 7, 10),
        undefined,
      );
    }
    if (all || only === 'aws') {
      if (looksLikeXmlError(body)) {
        const code = xmlText(body, 'Code');
        if (code !== undefined) {
          const requestId = idOf(h, 16, 18) ?? xmlText(body, 'RequestId') ?? xmlText(body, 'RequestID');
          return d.is('aws', d.statusOf(), code, xmlText(body, 'Message') || code, requestId);
        }
      } else {
        const decoded = awsHeaderOnly(d, h, body.trim() === '');
        if (decoded) return decoded;
      }
    }
    if (!all && only !== 'html' && only !== 'text') return undefined;
    const html = looksLikeHtml(body, h[0]);
    if (html && only !== 'text') {
      const status = d.statusOf();
      return d.is('html', status, undefined, htmlMessage(body) || reasonPhrase(status), idOf(h, 7, 10));
    }
    const message = html || only === 'html' ? '' : oneLine(body);
    return message === '' ? undefined : d.is('text', d.statusOf(), undefined, message, idOf(h, 7, 10));
  }

  const b = objectOf(body);
  if (!b) {
    // Not an object: only a header can say what it is (Azure, AWS).
    const azure = (all || only === 'azure') && h[11]?.trim();
    if (azure) return d.is('azure', d.statusOf(), azure, azure, idOf(h, 12, 14) ?? idOf(h, 7, 10), undefined);
    return all || only === 'aws' ? awsHeaderOnly(d, h, body === undefined) : undefined;
  }

  // One pass over the members any shape reads.
  let error: unknown;
  let message: unknown;
  let errorId: unknown;
  let correlationId: unknown;
  let link: unknown;
  let statusCode: unknown;
  let detail: unknown;
  let status: unknown;
  let type: unknown;
  let title: unknown;
  let instance: unknown;
  let code: unknown;
  let requestIdMember: unknown;
  let requestIdCamel: unknown;
  let traceId: unknown;
  let traceIdCamel: unknown;
  let awsType: unknown;
  let capitalMessage: unknown;
  let errorMessage: unknown;
  let awsRequestId: unknown;
  let documentationUrl: unknown;
  let errors: unknown;
  let timestamp: unknown;
  let errorDescription: unknown;
  let errorUri: unknown;
  let statusCodeCamel: unknown;
  // A body we did not parse may be a class instance (an `Error`, an object with getters) whose
  // members are not enumerable: its members are read by name into a plain copy first.
  const members = text !== undefined || isPlain(b) ? b : copyMembers(b, MEMBERS);
  for (const key in members) {
    switch (key) {
      case 'error':
        error = members[key];
        break;
      case 'message':
        message = members[key];
        break;
      case 'error_id':
        errorId = members[key];
        break;
      case 'correlation_id':
        correlationId = members[key];
        break;
      case 'link':
        link = members[key];
        break;
      case 'status_code':
        statusCode = members[key];
        break;
      case 'detail':
        detail = members[key];
        break;
      case 'status':
        status = members[key];
        break;
      case 'type':
        type = members[key];
        break;
      case 'title':
        title = members[key];
        break;
      case 'instance':
        instance = members[key];
        break;
      case 'code':
        code = members[key];
        break;
      case 'request_id':
        requestIdMember = members[key];
        break;
      case 'requestId':
        requestIdCamel = members[key];
        break;
      case 'trace_id':
        traceId = members[key];
        break;
      case 'traceId':
        traceIdCamel = members[key];
        break;
      case '__type':
        awsType = members[key];
        break;
      case 'Message':
        capitalMessage = members[key];
        break;
      case 'errorMessage':
        errorMessage = members[key];
        break;
      case 'RequestId':
        awsRequestId = members[key];
        break;
      case 'documentation_url':
        documentationUrl = members[key];
        break;
      case 'errors':
        errors = members[key];
        break;
      case 'timestamp':
        timestamp = members[key];
        break;
      case 'error_description':
        errorDescription = members[key];
        break;
      case 'error_uri':
        errorUri = members[key];
        break;
      case 'statusCode':
        statusCodeCamel = members[key];
        break;
    }
  }

  if (all || only === 'problem') {
    // RFC 9457 §3.1: a member of the wrong type is ignored, as if absent.
    const contentType = h[0];
    // Lower-casing never makes a `+`: the usual `application/json` is rejected without a copy.
    const declared = contentType?.includes('+') && contentType.toLowerCase().includes('problem+json');
    const stated = statusValue(status);
    const kind = str(type);
    const summary = str(title);
    const said = str(detail);
    if (declared || ((summary ?? said) !== undefined && (kind !== undefined || stated !== undefined))) {
      const s = d.statusOf(stated);
      const inst = str(instance);
      const fromInstance = inst?.toLowerCase().startsWith('urn:uuid:') ? inst.slice(9) : undefined;
      const fromMembers = [correlationId, requestIdMember, requestIdCamel, traceId, traceIdCamel]
        .map(str)
        .find(Boolean);
      const docs = kind && kind !== 'about:blank' ? kind : undefined;
      return d.is(
        'problem',
        s,
        str(code) || fragmentOf(docs),
        said || summary || reasonPhrase(s),
        fromInstance || fromMembers || idOf(h, 7, 10),
        docs,
      );
    }
  }
  if ((all || only === 'structured') && typeof errorId === 'string' && typeof message === 'string')
    return d.is('structured', d.statusOf(statusCode), errorId, message, str(correlationId), str(link));
  if (all || only === 'legacy') {
    const stated = statusValue(statusCode);
    // FastAPI-style validation errors put a list in `detail`; keep its first message readable.
    const said = str(detail) ?? (Array.isArray(detail) ? str(objectOf(detail[0])?.['msg']) : undefined);
    if (stated !== undefined && said !== undefined)
      return d.is('legacy', d.statusOf(stated), undefined, said, idOf(h, 7, 10));
  }

  const inner = objectOf(error);
  if (inner) {
    let innerCode: unknown;
    let innerMessage: unknown;
    let httpStatus: unknown;
    let innerStatus: unknown;
    let details: unknown;
    let innerType: unknown;
    let docUrl: unknown;
    let logUrl: unknown;
    let innerRequestId: unknown;
    let retryAfterSeconds: unknown;
    // Bits: 1 param, 2 code, 4 doc_url / request_log_url / request_id (not OpenAI),
    // 8 request_id (not Stripe), 16 innererror / target (Azure).
    let has = 0;
    const innerMembers = text !== undefined || isPlain(inner) ? inner : copyMembers(inner, INNER);
    for (const key in innerMembers) {
      switch (key) {
        case 'code':
          innerCode = innerMembers[key];
          has |= 2;
          break;
        case 'message':
          innerMessage = innerMembers[key];
          break;
        case 'httpStatus':
          httpStatus = innerMembers[key];
          break;
        case 'status':
          innerStatus = innerMembers[key];
          break;
        case 'details':
          details = innerMembers[key];
          break;
        case 'param':
          has |= 1;
          break;
        case 'type':
          innerType = innerMembers[key];
          break;
        case 'doc_url':
          docUrl = innerMembers[key];
          has |= 4;
          break;
        case 'request_log_url':
          logUrl = innerMembers[key];
          has |= 4;
          break;
        case 'request_id':
          innerRequestId = innerMembers[key];
          has |= 12;
          break;
        case 'innererror':
        case 'target':
          has |= 16;
          break;
        case 'retry_after':
          retryAfterSeconds = innerMembers[key];
          break;
      }
    }
    const pair = typeof innerCode === 'string' && typeof innerMessage === 'string';
    if (all || only === 'envelope') {
      // What sets it apart from `nested` and Stripe: a status number inside or beside `error`.
      const stated = statusValue(httpStatus) ?? statusValue(statusCode);
      if (pair && stated !== undefined)
        return d.is(
          'envelope',
          d.statusOf(stated),
          innerCode as string,
          innerMessage as string,
          h[8]?.trim() || undefined,
        );
    }
    if ((all || only === 'google') && typeof innerCode === 'number') {
      const stated = statusValue(innerCode);
      if (stated !== undefined && typeof innerStatus === 'string' && typeof innerMessage === 'string')
        return google(d, h, stated, innerStatus, innerMessage, details);
    }
    if ((all || only === 'openai') && (has & 7) === 3 && typeof innerMessage === 'string') {
      const kind = str(innerType);
      if (kind !== undefined || typeof innerCode === 'string') {
        const named =
          typeof innerCode === 'string' && innerCode !== ''
            ? innerCode
            : typeof innerCode === 'number'
              ? String(innerCode)
              : kind;
        return d.is('openai', d.statusOf(), named, innerMessage || kind || 'error', idOf(h, 7, 10));
      }
    }
    if (
      (all || only === 'stripe') &&
      typeof innerType === 'string' &&
      isStripeType(innerType) &&
      !(has & 8) &&
      (innerMessage === undefined || typeof innerMessage === 'string')
    ) {
      const named = str(innerCode) || innerType;
      const log = str(logUrl);
      const requestId = idOf(h, 7, 10) ?? (log ? /\/(req_\w+)/.exec(log)?.[1] : undefined);
      return d.is('stripe', d.statusOf(), named, innerMessage || named, requestId, str(docUrl));
    }
    if (pair && (all || only === 'azure')) {
      const named = h[11]?.trim() || undefined;
      const msId = idOf(h, 12, 14);
      if (named || msId || has & 16)
        return d.is(
          'azure',
          d.statusOf(),
          named ?? (innerCode as string),
          innerMessage as string,
          msId ?? idOf(h, 7, 10),
        );
    }
    if (pair && (all || only === 'nested')) {
      const requestId = str(innerRequestId) || idOf(h, 7, 10);
      // Seed 004 repeats the delay as `retry_after` (seconds); the header wins when both are there.
      const seconds = retryAfterSeconds;
      const delay =
        retryAfter ??
        (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0
          ? Math.ceil(seconds * 1000)
          : undefined);
      return d.is(
        'nested',
        d.statusOf(),
        innerCode as string,
        innerMessage as string,
        requestId,
        undefined,
        delay,
      );
    }
  } else if (all || only === 'azure') {
    // Not Azure's body: its x-ms-error-code header alone says what it is.
    const named = h[11]?.trim();
    if (named) return d.is('azure', d.statusOf(), named, named, idOf(h, 12, 14) ?? idOf(h, 7, 10));
  }

  if (all || only === 'aws') {
    const errorType = h[15];
    const kind = str(awsType) ?? (errorType ? str(code) : undefined);
    const raw = errorType?.trim() || kind;
    if (raw) {
      const named = sanitise(raw);
      const said = str(message) ?? str(capitalMessage) ?? str(errorMessage);
      return d.is('aws', d.statusOf(), named, said || named, idOf(h, 16, 18) ?? str(awsRequestId));
    }
  }
  if ((all || only === 'github') && typeof message === 'string') {
    const docs = str(documentationUrl);
    const ghId = h[19]?.trim();
    if (docs !== undefined || ghId) {
      const first = Array.isArray(errors) ? objectOf(errors[0]) : undefined;
      return d.is(
        'github',
        d.statusOf(status),
        str(first?.['code']),
        message,
        ghId || idOf(h, 7, 10),
        docs,
        retryAfter ?? primaryLimitReset(h, now),
      );
    }
  }
  if (
    (all || only === 'spring') &&
    typeof error === 'string' &&
    (typeof timestamp === 'string' || typeof timestamp === 'number')
  ) {
    const stated = statusValue(status);
    if (stated !== undefined)
      return d.is(
        'spring',
        d.statusOf(stated),
        undefined,
        str(message) || error,
        str(requestIdCamel) || idOf(h, 7, 10),
      );
  }
  if ((all || only === 'trace') && typeof message === 'string' && typeof traceId === 'string')
    return d.is('trace', d.statusOf(), undefined, message, traceId);
  if (all || only === 'generic') {
    // OAuth 2 (RFC 6749 §5.2), FastAPI / Django REST, GraphQL / JSON:API / express-validator.
    if (typeof error === 'string' && typeof errorDescription === 'string')
      return d.is('generic', d.statusOf(), error, errorDescription || error, idOf(h, 7, 10), str(errorUri));
    if (typeof detail === 'string')
      return d.is('generic', d.statusOf(status), str(code), detail, idOf(h, 7, 10));
    const first = Array.isArray(errors) ? objectOf(errors[0]) : undefined;
    const said =
      first && (str(first['message']) ?? str(first['detail']) ?? str(first['title']) ?? str(first['msg']));
    if (first && said !== undefined) {
      const named = str(first['code']) ?? str(objectOf(first['extensions'])?.['code']);
      return d.is('generic', d.statusOf(first['status']), named, said, idOf(h, 7, 10));
    }
  }
  if (all || only === 'flat') {
    const said = str(message) ?? str(error);
    if (said !== undefined)
      return d.is('flat', d.statusOf(statusCodeCamel ?? status), str(code), said, idOf(h, 7, 10));
  }
  return undefined;
}

/** Google's AIP-193 error: the first detail of each kind, read in one pass over `details`. */
function google(
  d: Decoded,
  h: HeaderValues,
  stated: number,
  statusName: string,
  said: string,
  list: unknown,
): Decoded {
  let info: Record<string, unknown> | undefined;
  let request: Record<string, unknown> | undefined;
  let retry: Record<string, unknown> | undefined;
  let help: Record<string, unknown> | undefined;
  if (Array.isArray(list)) {
    for (const item of list) {
      const detail = objectOf(item);
      const kind = str(detail?.['@type']);
      if (kind === undefined) continue;
      if (!info && kind.endsWith('/google.rpc.ErrorInfo')) info = detail;
      else if (!request && kind.endsWith('/google.rpc.RequestInfo')) request = detail;
      else if (!retry && kind.endsWith('/google.rpc.RetryInfo')) retry = detail;
      else if (!help && kind.endsWith('/google.rpc.Help')) help = detail;
    }
  }
  // RetryInfo.retryDelay is a protobuf Duration in JSON: "30s", "1.500s".
  const delay = str(retry?.['retryDelay']);
  const seconds = delay && /^\d{1,10}(\.\d{1,9})?s$/.test(delay) ? Number(delay.slice(0, -1)) : undefined;
  const links = help?.['links'];
  return d.is(
    'google',
    d.statusOf(stated),
    str(info?.['reason']) || statusName,
    said,
    str(request?.['requestId']) || idOf(h, 7, 10),
    Array.isArray(links) ? str(objectOf(links[0])?.['url']) : undefined,
    d.retryAfterMs ?? (seconds === undefined ? undefined : Math.ceil(seconds * 1000)),
  );
}

/** A bodiless AWS error (HEAD, or an empty body): its code in X-Amzn-ErrorType alone. */
function awsHeaderOnly(d: Decoded, h: HeaderValues, blank: boolean): Decoded | undefined {
  const raw = h[15]?.trim();
  if (!blank || !raw) return undefined;
  const code = sanitise(raw);
  return d.is('aws', d.statusOf(), code, code, idOf(h, 16, 18));
}

/**
 * GitHub's primary rate limit (`x-ratelimit-remaining: 0`): wait until `x-ratelimit-reset`
 * (unix seconds), as GitHub's docs ask, when no `Retry-After` was sent.
 */
function primaryLimitReset(h: HeaderValues, now: number | undefined): number | undefined {
  if (h[20]?.trim() !== '0') return undefined;
  const reset = h[21]?.trim();
  if (!reset || !/^\d{1,12}$/.test(reset)) return undefined;
  return Math.max(0, Number(reset) * 1000 - (now ?? Date.now()));
}

/**
 * The built-in decoder of one shape: the core limited to it (no parsing of text, no retry
 * headers beyond `Retry-After`: `decodeError` adds those).
 * @example const google = decoderFor('google');
 */
export function decoderFor(name: string): Decoder {
  return { name, decode: (input) => decodeAs(input, name) };
}
