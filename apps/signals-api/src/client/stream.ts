import { abortableSleep, type DecodedError, ResponseError } from 'faultline/client';
import {
  captureRefusal,
  defaultWebSocket,
  probeRefusal,
  refusalAction,
  type WebSocketConstructor,
} from './handshake.ts';
import { type StreamSource, segmentsOf } from './segments.ts';
import type { IncludeOption, StreamEvent } from './types.ts';

export type { WebSocketConstructor } from './handshake.ts';
export type { StreamSource } from './segments.ts';

/**
 * Close codes and reasons after which a new session picks up where this one stopped: the server
 * going away or restarting (1001/1012, ih6005), a dropped connection (1006), a session that hit
 * its idle or age limit (ih6003/ih6004: limits of one session, not of the stream).
 */
const GOING_AWAY = new Set([1001, 1006, 1012]);
const SESSION_LIMITS = new Set(['ih6003', 'ih6004', 'ih6005']);

/**
 * Options of `streamSegments`.
 * @example await streamSegments('clip.mp4', { url: 'ws://127.0.0.1:8080/v0/stream/analyze', token: async () => bearer });
 */
export interface StreamOptions {
  /** `ws(s)://…/v0/stream/analyze`. */
  readonly url: string;
  /** A bearer token (`fresh`: the last one was refused with a 401, get a new one). */
  readonly token: (fresh: boolean) => Promise<string>;
  readonly include?: readonly IncludeOption[];
  /** Every server message, in order (signals, progress, warnings, errors). */
  readonly onEvent?: (event: StreamEvent) => void;
  /** Called before each reconnection, with the wait and why (the CLI shows it). */
  readonly onReconnect?: (info: {
    attempt: number;
    delayMs: number;
    error: DecodedError | undefined;
  }) => void;
  readonly signal?: AbortSignal;
  /** Default: the `ws` package in Node (it sees a refused upgrade's answer), else the global one. */
  readonly WebSocket?: WebSocketConstructor;
  /** Reconnections in a row without progress before giving up (default 5). */
  readonly maxReconnects?: number;
  /** Base of the reconnect backoff, full jitter (default 500 ms). */
  readonly reconnectBaseMs?: number;
  /** Longest server-given wait (Retry-After of a refused upgrade) we accept (default 60 s). */
  readonly maxServerDelayMs?: number;
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

type SessionEnd =
  | { readonly kind: 'finished' }
  | { readonly kind: 'reconnect'; readonly error?: DecodedError }
  | { readonly kind: 'refused'; readonly error: DecodedError | undefined };

/**
 * Streams segments one at a time (the next leaves when the server completes the previous).
 * A refused upgrade is decoded from its HTTP answer: a 401 gets one fresh token, 429/503/5xx
 * are tried again after the server's Retry-After (or a jittered backoff), any other refusal
 * (a bad token, an inactive subscription) stops at once with that error. Once open, a session
 * that ends because the server goes away (ih6005, close 1001/1012) or the connection drops is
 * followed by a new one after a jittered wait, resending only the segment in flight; on a
 * shutdown warning (ih6006) the segment in flight finishes, then the stream moves to a new
 * session. Any other session-ending error throws the decoded error.
 * @example const summary = await streamSegments(['a.mp4', 'b.mp4'], { url, token, onEvent: console.log });
 */
export async function streamSegments(source: StreamSource, options: StreamOptions): Promise<StreamSummary> {
  const Socket = options.WebSocket ?? (await defaultWebSocket());
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? abortableSleep;
  const maxServerDelayMs = options.maxServerDelayMs ?? 60_000;
  const segments = segmentsOf(source);
  const state = { index: -1, pending: undefined as Uint8Array | undefined, exhausted: false, completed: 0 };
  const failed: Array<{ index: number; error: DecodedError }> = [];
  const sessions: string[] = [];
  let reconnects = 0;
  let attempts = 0;
  let inARow = 0;
  /** A token renewed after a 401, for the next attempt; `renewed`: one renewal until a session opens. */
  let renewedToken: string | undefined;
  let renewed = false;

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
    const token = renewedToken ?? (await options.token(false));
    renewedToken = undefined;
    attempts++;
    const before = state.completed;
    const end = await runSession(new Socket(options.url, ['access_token', token]), token);
    if (end.kind === 'finished') return { segments: state.completed, failed, reconnects, sessions };
    let delayMs: number | undefined;
    if (end.kind === 'refused' && end.error) {
      const action = refusalAction(end.error);
      if (action.kind === 'stop') throw new ResponseError(end.error, attempts, 'not-retryable');
      if (action.kind === 'renew') {
        // One fresh token, tried at once; the same token again means renewing cannot help.
        const renewal = renewed ? token : await options.token(true);
        if (renewal === token) throw new ResponseError(end.error, attempts, 'not-retryable');
        renewed = true;
        renewedToken = renewal;
        continue;
      }
      if (action.delayMs !== undefined) {
        if (action.delayMs > maxServerDelayMs) throw new ResponseError(end.error, attempts, 'delay-too-long');
        delayMs = action.delayMs;
      }
    }
    inARow = state.completed > before ? 1 : inARow + 1;
    if (inARow > (options.maxReconnects ?? 5))
      throw new ResponseError(
        end.error ?? wsError('reconnect_failed', 'the stream could not be resumed', undefined),
        attempts,
        'attempts-exhausted',
      );
    reconnects++;
    // Full jitter over a doubling cap: a fleet of clients thrown off one server spreads out.
    delayMs ??= Math.floor(random() * (options.reconnectBaseMs ?? 500) * 2 ** Math.min(inARow - 1, 6));
    options.onReconnect?.({ attempt: reconnects, delayMs, error: end.error });
    if (delayMs > 0) await sleep(delayMs, options.signal);
  }

  function runSession(ws: WebSocket, bearer: string): Promise<SessionEnd> {
    ws.binaryType = 'arraybuffer';
    const refusal = captureRefusal(ws);
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

      // A `ws` socket emits 'error' when a refused handshake is ended; the close follows.
      ws.addEventListener('error', () => {});
      ws.addEventListener('open', () => {
        opened = true;
        renewed = false;
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
          // Finish the segment in flight here, then continue on a new session (elsewhere,
          // behind a load balancer) instead of waiting out the drain.
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
        if (!opened) {
          // The upgrade was refused (an HTTP answer) or the server was unreachable.
          const answer = refusal ?? probeRefusal(options.url, bearer);
          const settled = refusal ? Promise.race([refusal, Promise.resolve(undefined)]) : answer;
          return void settled.then((error) => resolve({ kind: 'refused', error }), reject);
        }
        const id = /ih\d{4}/.exec(close.reason)?.[0] ?? lastError?.code;
        if (closing && state.exhausted && !inFlight && state.pending === undefined)
          return resolve({ kind: 'finished' });
        const ended = endError(id, close, lastError);
        if (draining || GOING_AWAY.has(close.code) || (id !== undefined && SESSION_LIMITS.has(id)))
          return resolve({ kind: 'reconnect', error: ended });
        reject(new ResponseError(ended, attempts, 'not-retryable'));
      });
    });
  }
}

function endError(id: string | undefined, close: CloseEvent, last: DecodedError | undefined): DecodedError {
  const error =
    last !== undefined && last.code === id
      ? last
      : wsError(
          id ?? `close_${close.code}`,
          close.reason || `the server closed the session (${close.code})`,
          undefined,
        );
  return { ...error, fields: { ...error.fields, closeCode: close.code } };
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
