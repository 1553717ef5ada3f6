import {
  parseRateLimitReset,
  parseRetryAfter,
  parseRetryAfterMs,
  parseShouldRetry,
} from '../http/retry-after.ts';
import { Decoded, type FieldsHook, objectOf, statusValue, str } from './decoded.ts';
import { type HeaderTable, type HeaderValues, headersOf, idOf } from './headers.ts';
import { parseJson } from './parse-body.ts';
import { commonPhrase } from './phrase.ts';
import { looksLikeHtml, oneLine } from './readable.ts';
import type { DecodedError, DecodeInput, Decoder } from './types.ts';

/**
 * The decoding core of the built-in shapes. One `for…in` pass over a body's members (and one
 * over its `error` object) learns its shape; one pass over the headers reads every header a
 * shape needs; then the shapes are tried in `decoders` order on those values alone. Each
 * built-in `Decoder` is this core limited to one shape, so `decodeError` with the built-in
 * list and trying each of them in turn give the same answer.
 *
 * The ecosystem shapes (Google, OpenAI, Stripe, Azure, AWS, GitHub), the `generic` conventions
 * and HTML pages are an `Extension`, so a client bundle carries them only when asked
 * (`faultline/decoders`): the core calls its hooks where those shapes sit in the order, and
 * they read the few members of theirs by name.
 */

/**
 * Shapes plugged into the core, at the places of the decoding order where they sit. Each hook
 * gets the result being built (`d`), the header values (its table's slots) and `only` (the one
 * shape asked for, or undefined for all), and answers with `d.is(…)` or undefined.
 */
export interface Extension {
  /** The core's header names, then the extension's own. */
  readonly headers: HeaderTable;
  /** A text body, before it is read as text (the core answers no HTML page: see `decodeBody`). */
  text(d: Decoded, h: HeaderValues, body: string, only: string | undefined): Decoded | undefined;
  /** A body that is neither text nor an object (none, a number, an array…). */
  other(d: Decoded, h: HeaderValues, body: unknown, only: string | undefined): Decoded | undefined;
  /**
   * An `error` object that is not seed 001's envelope, before it is taken for seed 004's
   * `nested`: its `code` and `message` as the core read them, and whether it has other members
   * than those the core reads (`rest`; without, no member of another shape is there to read).
   */
  inner(
    d: Decoded,
    h: HeaderValues,
    error: Record<string, unknown>,
    code: unknown,
    message: unknown,
    rest: boolean,
    only: string | undefined,
  ): Decoded | undefined;
  /**
   * The body before the shapes that only need a `message` or an `error` (spring onwards):
   * `message` as the core read it, `rest` as for `inner`, `noInner` when `error` is no object.
   */
  outer(
    d: Decoded,
    h: HeaderValues,
    body: Record<string, unknown>,
    message: unknown,
    rest: boolean,
    noInner: boolean,
    only: string | undefined,
    now: unknown,
  ): Decoded | undefined;
  /** The body after `trace`, before `flat`, whose lone `message`/`error` would match it too. */
  late(
    d: Decoded,
    h: HeaderValues,
    body: Record<string, unknown>,
    only: string | undefined,
  ): Decoded | undefined;
  /**
   * The members of an object body (or `error`) that was handed over, not parsed from text: a
   * class instance's (an `Error`, getters) are not all seen by a `for…in` pass.
   */
  members(body: Record<string, unknown>): Record<string, unknown>;
  /** `fields` of the extension's shapes (see `Decoded`). */
  readonly fields: FieldsHook;
}

/** `https://docs.example/errors#ih2005` → `ih2005`; undefined without a fragment. */
function fragmentOf(link: string | undefined): string | undefined {
  // Everything after the first `#`, when there is something.
  const fragment = link && /#([\s\S]+)/.exec(link)?.[1];
  try {
    return fragment && decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

/**
 * Decodes `input` as the built-in shapes (and those of `ext`) would, in `decoders` order; `only`
 * limits it to the shape of that name. Without `only` (what `decodeError` does), a text body is parsed first
 * and the retry headers every ecosystem may send are applied (see `withRetryHeaders`).
 * Never throws.
 */
export function decodeAs(input: DecodeInput, only?: string, ext?: Extension): Decoded | undefined {
  try {
    if (typeof input !== 'object' || input === null) return undefined;
    const h = headersOf(input.headers, ext?.headers);
    let body: unknown = input.body;
    let text: string | undefined;
    if (only === undefined) {
      if (typeof body === 'string') {
        const parsed = parseJson(body, h[0], false);
        // The text that was parsed, kept for `fields` (see `fieldsOf`).
        if (parsed !== body) text = body;
        body = parsed;
      }
    }
    const decoded = decodeBody(input, h, body, text, only, ext);
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
 * `Retry-After` in ms (an HTTP-date against `now`, else the clock), or undefined when absent or
 * unreadable. Never throws: `now` may be anything a caller passed.
 */
export function retryAfterOf(h: HeaderValues, now: unknown): number | undefined {
  const ms = parseRetryAfter(h[1], typeof now === 'number' && Number.isFinite(now) ? now : undefined);
  return ms !== undefined && Number.isFinite(ms) ? ms : undefined;
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
  ext: Extension | undefined,
): Decoded | undefined {
  const all = only === undefined;
  const now = input.now;
  const retryAfter = retryAfterOf(h, now);
  const d = new Decoded(body, text, retryAfter, statusValue(input.status), ext?.fields);

  if (typeof body === 'string') {
    const decoded = ext?.text(d, h, body, only);
    if (decoded) return decoded;
    if (!all && only !== 'text') return undefined;
    // An HTML page (a proxy's) is no text to show: markup is never a message. Without the
    // extension that reads its title, it is left to the caller (the client: `unknown`, the
    // status phrase).
    const message = looksLikeHtml(body, h[0]) ? '' : oneLine(body);
    return message === '' ? undefined : d.is('text', d.statusOf(), undefined, message, idOf(h, 7, 10));
  }

  const b = objectOf(body);
  // Not an object: only an extension's header can say what it is.
  if (!b) return ext?.other(d, h, body, only);

  // One pass over the members the core shapes read.
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
  let timestamp: unknown;
  let statusCodeCamel: unknown;
  // Whether the body has members of no core shape: only then may an extension's be there.
  let rest = false;
  // A body we did not parse may be a class instance (an `Error`, an object with getters) whose
  // members are not enumerable: the extension reads those (the core, what `for…in` sees).
  const members = text === undefined && ext ? ext.members(b) : b;
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
      case 'timestamp':
        timestamp = members[key];
        break;
      case 'statusCode':
        statusCodeCamel = members[key];
        break;
      default:
        rest = true;
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
        said || summary || commonPhrase(s),
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
    let innerRequestId: unknown;
    let retryAfterSeconds: unknown;
    let innerRest = false;
    const innerMembers = text === undefined && ext ? ext.members(inner) : inner;
    for (const key in innerMembers) {
      switch (key) {
        case 'code':
          innerCode = innerMembers[key];
          break;
        case 'message':
          innerMessage = innerMembers[key];
          break;
        case 'httpStatus':
          httpStatus = innerMembers[key];
          break;
        case 'request_id':
          innerRequestId = innerMembers[key];
          break;
        case 'retry_after':
          retryAfterSeconds = innerMembers[key];
          break;
        default:
          innerRest = true;
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
    const decoded = ext?.inner(d, h, innerMembers, innerCode, innerMessage, innerRest, only);
    if (decoded) return decoded;
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
  }

  const decoded = ext?.outer(d, h, members, message, rest, !inner, only, now);
  if (decoded) return decoded;
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
  const late = ext?.late(d, h, members, only);
  if (late) return late;
  if (all || only === 'flat') {
    const said = str(message) ?? str(error);
    if (said !== undefined)
      return d.is('flat', d.statusOf(statusCodeCamel ?? status), str(code), said, idOf(h, 7, 10));
  }
  return undefined;
}

/**
 * The built-in decoder of one shape: the core limited to it (no parsing of text, no retry
 * headers beyond `Retry-After`: `decodeError` adds those).
 * @example const trace = decoderFor('trace');
 */
export function decoderFor(name: string, ext?: Extension): Decoder {
  return { name, decode: (input) => decodeAs(input, name, ext) };
}
