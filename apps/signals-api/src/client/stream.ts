import { abortableSleep, type DecodedError, decodeResponse, ResponseError } from 'faultline/client';
import { type StreamSource, segmentsOf } from './segments.ts';
import type { IncludeOption, StreamEvent } from './types.ts';

export type { StreamSource } from './segments.ts';

/** Close reasons and error ids that end the stream for good: the credentials are the problem. */
const AUTH_ERRORS = /^ih20(0[89]|1[01])$/;
/** Close codes of a server going away or restarting: come back (to another instance). */
const GOING_AWAY = new Set([1001, 1012]);

/**
 * Options of `streamSegments`.
 * @example await streamSegments('clip.mp4', { url: 'ws://127.0.0.1:8080/v0/stream/analyze', token: async () => bearer });
 */
export interface StreamOptions {
  /** `ws(s)://…/v0/stream/analyze`. */
  readonly url: string;
  /** A bearer token (`fresh`: the last one was refused, get a new one). */
  readonly token: (fresh: boolean) => Promise<string>;
  readonly include?: readonly IncludeOption[];
  /** Every server message, in order (signals, progress, warnings, errors). */
  readonly onEvent?: (event: StreamEvent) => void;
  readonly signal?: AbortSignal;
  readonly WebSocket?: new (url: string, protocols?: string | string[]) => WebSocket;
  /** Reconnections in a row without progress before giving up (default 5). */
  readonly maxReconnects?: number;
  /** Base of the reconnect backoff, full jitter (default 500 ms). */
  readonly reconnectBaseMs?: number;
  readonly random?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * What a finished stream did.
 * @example const { segments, reconnects } = await client.stream(parts);
 */
export interface StreamSummary {
  /** Segments the server completed. */
  readonly segments: number;
  /** Segments the server refused (their error frames), by index. */
  readonly failed: ReadonlyArray<{ readonly index: number; readonly error: DecodedError }>;
  readonly reconnects: number;
  /** Correlation ids of the sessions used, for support. */
  readonly sessions: readonly string[];
}

type SessionEnd = { readonly kind: 'finished' } | { readonly kind: 'reconnect' };

/**
 * Streams segments one at a time (the next leaves when the server completes the previous).
 * Reconnects with jittered backoff when the server goes away (ih6005, close 1001/1012) or
 * the connection drops, resending only the segment in flight; on a shutdown warning (ih6006)
 * it lets the segment in flight finish, then moves to a new session; it stops on an
 * authentication close or any other session-ending error, throwing the decoded error.
 * @example const summary = await streamSegments(['a.mp4', 'b.mp4'], { url, token, onEvent: console.log });
 */
export async function streamSegments(source: StreamSource, options: StreamOptions): Promise<StreamSummary> {
  const Socket = options.WebSocket ?? globalThis.WebSocket;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? abortableSleep;
  const segments = segmentsOf(source);
  const state = { index: -1, pending: undefined as Uint8Array | undefined, exhausted: false, completed: 0 };
  const failed: Array<{ index: number; error: DecodedError }> = [];
  const sessions: string[] = [];
  let reconnects = 0;
  let inARow = 0;
  let fresh = false;

  const next = async (): Promise<Uint8Array | undefined> => {
    if (state.pending) return state.pending;
    if (state.exhausted) return undefined;
    const item = await segments.next();
    if (item.done) {
      state.exhausted = true;
      return undefined;
    }
    state.index++;
    state.pending = item.value;
    return item.value;
  };

  for (;;) {
    options.signal?.throwIfAborted();
    const token = await options.token(fresh);
    const before = state.completed;
    const end = await runSession(new Socket(options.url, ['access_token', token]), token);
    if (end.kind === 'finished') return { segments: state.completed, failed, reconnects, sessions };
    inARow = state.completed > before ? 1 : inARow + 1;
    if (inARow > (options.maxReconnects ?? 5))
      throw new ResponseError(
        wsError('reconnect_failed', 'the stream could not be resumed', undefined),
        inARow,
        'attempts-exhausted',
      );
    reconnects++;
    const cap = (options.reconnectBaseMs ?? 500) * 2 ** Math.min(inARow - 1, 6);
    await sleep(Math.floor(random() * cap), options.signal);
  }

  function runSession(ws: WebSocket, bearer: string): Promise<SessionEnd> {
    ws.binaryType = 'arraybuffer';
    return new Promise<SessionEnd>((resolve, reject) => {
      let opened = false;
      let inFlight = false;
      let draining = false;
      let closing = false;
      let lastError: DecodedError | undefined;
      const onAbort = () => ws.close(1000, 'client aborted');
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const fail = (error: unknown) => {
        options.signal?.removeEventListener('abort', onAbort);
        reject(error);
        if (ws.readyState === ws.OPEN) ws.close(1000);
      };

      const sendNext = async () => {
        if (inFlight || closing) return;
        const segment = draining ? undefined : await next();
        if (segment === undefined) {
          closing = true;
          ws.send(JSON.stringify({ type: 'session.close' }));
          return;
        }
        inFlight = true;
        ws.send(segment as Uint8Array<ArrayBuffer>);
      };

      ws.addEventListener('open', () => {
        opened = true;
      });
      ws.addEventListener('message', (message) => {
        if (typeof message.data !== 'string') return;
        let event: StreamEvent;
        try {
          event = JSON.parse(message.data) as StreamEvent;
        } catch {
          return;
        }
        options.onEvent?.(event);
        const data = event.data ?? {};
        if (event.type === 'session.ready') {
          if (event.correlation_id) sessions.push(event.correlation_id);
          if (options.include?.length)
            ws.send(JSON.stringify({ type: 'session.config', include: options.include }));
          sendNext().catch(fail);
        } else if (event.type === 'segment.completed' && inFlight) {
          inFlight = false;
          state.pending = undefined;
          state.completed++;
          sendNext().catch(fail);
        } else if (event.type === 'shutdown.warning') {
          // Finish the segment in flight here, then continue on a new session.
          draining = true;
          if (!inFlight) sendNext().catch(fail);
        } else if (event.type === 'error') {
          const error = wsError(
            String(data['error_id'] ?? 'unknown'),
            String(data['message'] ?? ''),
            event,
            data,
          );
          lastError = error;
          if (data['segment'] !== undefined && inFlight) {
            // The server refused this segment; sending it again would get the same answer.
            failed.push({ index: state.index, error });
            inFlight = false;
            state.pending = undefined;
            sendNext().catch(fail);
          }
        }
      });
      ws.addEventListener('close', (close) => {
        options.signal?.removeEventListener('abort', onAbort);
        if (options.signal?.aborted) return reject(options.signal.reason);
        const id = /ih\d{4}/.exec(close.reason)?.[0] ?? lastError?.code;
        if (!opened) return handshakeFailed(bearer).then(resolve, reject);
        if (closing && !draining && state.exhausted && !inFlight) return resolve({ kind: 'finished' });
        if (id !== undefined && AUTH_ERRORS.test(id)) return reject(endError(id, close, lastError));
        if (draining || GOING_AWAY.has(close.code) || id === 'ih6005' || close.code === 1006)
          return resolve({ kind: 'reconnect' });
        reject(endError(id ?? `close_${close.code}`, close, lastError));
      });
    });
  }

  /** The handshake was refused: ask the same URL over plain HTTP what the problem is. */
  async function handshakeFailed(bearer: string): Promise<SessionEnd> {
    const httpUrl = options.url.replace(/^ws/, 'http');
    const response = await fetch(httpUrl, { headers: { authorization: `Bearer ${bearer}` } }).catch(
      () => undefined,
    );
    if (response && !response.ok && response.status !== 426 && response.status !== 404) {
      const error = await decodeResponse(response);
      if (response.status === 401) {
        // An expired token gets one renewal; then the answer stands.
        if (!fresh) {
          fresh = true;
          return { kind: 'reconnect' };
        }
      }
      if (response.status < 500 && response.status !== 429)
        throw new ResponseError(error, 1, 'not-retryable');
    }
    return { kind: 'reconnect' };
  }
}

function endError(id: string, close: CloseEvent, last: DecodedError | undefined): ResponseError {
  const error =
    last?.code === id
      ? last
      : wsError(id, close.reason || `the server closed the session (${close.code})`, undefined);
  return new ResponseError(
    { ...error, fields: { ...error.fields, closeCode: close.code } },
    1,
    'not-retryable',
  );
}

function wsError(
  code: string,
  message: string,
  event: StreamEvent | undefined,
  data: Readonly<Record<string, unknown>> = {},
): DecodedError {
  return {
    format: 'ws',
    status: 0,
    code,
    message,
    requestId: event?.correlation_id,
    link: typeof data['link'] === 'string' ? data['link'] : undefined,
    retryAfterMs: undefined,
    fields: data['segment'] === undefined ? {} : { segment: data['segment'] },
  };
}
