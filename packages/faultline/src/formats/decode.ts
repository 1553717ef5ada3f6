import {
  parseRateLimitReset,
  parseRetryAfter,
  parseRetryAfterMs,
  parseShouldRetry,
} from '../http/retry-after.ts';
import { Decoded, objectOf, statusValue, str } from './decoded.ts';
import { type HeaderValues, headersOf, idOf } from './headers.ts';
import { parseJson } from './parse-body.ts';
import { htmlMessage, looksLikeHtml, oneLine } from './readable.ts';
import { reasonPhrase } from './reason.ts';
import type { DecodedError, DecodeInput, Decoder } from './types.ts';
import { looksLikeXmlError, xmlText } from './xml.ts';

/**
 * The decoding core of every built-in shape. One `for…in` pass over a body's members (and one
 * over its `error` object) learns its shape; one pass over the headers reads every header any
 * shape needs; then the shapes are tried in `decoders` order on those values alone. Each
 * built-in `Decoder` is this core limited to one shape, so `decodeError` with the built-in
 * list and trying each of them in turn give the same answer.
 */

/** Whether a body is a plain object, as `JSON.parse` makes them: a `for…in` pass sees its members. */
function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Every member of a class instance (an `Error`, getters of a class), inherited ones included,
 * as a plain object: what a `for…in` pass cannot see. A member that throws is left out.
 */
function copyMembers(body: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (let at: object | null = body; at && at !== Object.prototype; at = Object.getPrototypeOf(at)) {
    for (const key of Object.getOwnPropertyNames(at)) {
      try {
        if (!(key in copy)) copy[key] = body[key];
      } catch {
        // As if absent.
      }
    }
  }
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
      // Text (what the client passes) skips the byte checks.
      if (typeof body === 'object' && (body instanceof ArrayBuffer || ArrayBuffer.isView(body)))
        body = new TextDecoder().decode(body);
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
  const members = text !== undefined || isPlain(b) ? b : copyMembers(b);
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
    // The usual `application/json` ('j' at 12) is rejected without a search; lower-casing never
    // makes a `+`, so others without one are rejected without a copy.
    const declared =
      contentType !== undefined &&
      contentType.charCodeAt(12) !== 0x6a &&
      contentType.includes('+') &&
      contentType.toLowerCase().includes('problem+json');
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
    const innerMembers = text !== undefined || isPlain(inner) ? inner : copyMembers(inner);
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
