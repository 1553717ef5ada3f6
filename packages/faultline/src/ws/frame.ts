import type { Entry, Json } from '../catalog/types.ts';
import type { ApiError } from '../error/api-error.ts';

/**
 * What every server message needs besides its own data: the session's correlation id, the
 * docs page an error's `link` points into, and the clock of the `timestamp`.
 * @example const context: FrameContext = { correlationId: request.id, docsBase: 'https://api.example/docs/errors' };
 */
export interface FrameContext {
  readonly correlationId: string;
  /** Base URL of the docs page; read at send time when a function (the port may not be known yet). */
  readonly docsBase?: string | (() => string) | undefined;
  /** Clock in ms since the epoch, for `timestamp`. Defaults to `Date.now`. */
  readonly now?: (() => number) | undefined;
}

/**
 * A server message: `{type, timestamp, correlation_id, data}`.
 * @example const frame: Frame = { type: 'session.ready', timestamp: '2026-01-01T00:00:00.000Z', correlation_id: 'c1', data: {} };
 */
export interface Frame {
  readonly type: string;
  readonly timestamp: string;
  readonly correlation_id: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * The largest close reason RFC 6455 allows: a control frame carries at most 125 bytes, two of
 * which are the close code.
 * @example new TextEncoder().encode(closeReason(error)).length <= MAX_CLOSE_REASON_BYTES // true
 */
export const MAX_CLOSE_REASON_BYTES = 123;

/**
 * Builds a server message of any type.
 * @example
 * socket.send(JSON.stringify(message('session.ready', { limits }, { correlationId })));
 */
export function message(type: string, data: Readonly<Record<string, unknown>>, context: FrameContext): Frame {
  return {
    type,
    timestamp: new Date((context.now ?? Date.now)()).toISOString(),
    correlation_id: context.correlationId,
    data,
  };
}

/**
 * The message an error is sent as: its type is the entry's `wsType` (default `error`), its data
 * `{error_id, message, link}`, the entry's declared extra fields (e.g. `seconds_remaining`),
 * then `extra` (e.g. which segment it is about). The correlation id sits beside `data`, once.
 * @example
 * errorFrame(api.error('bad_message', { reason: 'not JSON' }), { correlationId }, { segment: 3 }).data
 * // { error_id: 'bad_message', message: '…', link: '#bad-message-…', segment: 3 }
 */
export function errorFrame(
  error: ApiError,
  context: FrameContext,
  extra: Readonly<Record<string, Json>> = {},
): Frame {
  const docsBase = typeof context.docsBase === 'function' ? context.docsBase() : (context.docsBase ?? '');
  return message(
    error.entry.wsType ?? 'error',
    {
      error_id: error.id,
      message: error.message,
      link: `${docsBase}#${error.entry.slug}`,
      ...error.fields,
      ...extra,
    },
    context,
  );
}

/**
 * The close code an error ends a session with: the entry's `closeCode`, else `fallback`
 * (1008 Policy Violation: the server ended the session on purpose).
 * @example closeCodeOf(api.error('too_large')) // 1009
 */
export function closeCodeOf(error: ApiError | Entry, fallback = 1008): number {
  const entry = 'entry' in error ? error.entry : error;
  return entry.closeCode ?? fallback;
}

/**
 * A close reason that names the error (`<id> <title>`) and fits the 123-byte limit, cut on a
 * character boundary, so a client that only sees the close frame still knows what happened.
 * @example closeReason(api.error('too_large')) // 'too_large Message Too Large'
 */
export function closeReason(error: ApiError | Entry): string {
  const entry = 'entry' in error ? error.entry : error;
  return fitReason(`${entry.id} ${entry.title}`);
}

/**
 * Cuts text to at most 123 UTF-8 bytes without splitting a character.
 * @example fitReason('x'.repeat(200)).length // 123
 */
export function fitReason(text: string): string {
  if (utf8.encode(text).length <= MAX_CLOSE_REASON_BYTES) return text;
  let out = '';
  let bytes = 0;
  for (const char of text) {
    const size = utf8.encode(char).length;
    if (bytes + size > MAX_CLOSE_REASON_BYTES) break;
    out += char;
    bytes += size;
  }
  return out;
}

const utf8 = new TextEncoder();
