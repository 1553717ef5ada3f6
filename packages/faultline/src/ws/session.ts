import type { WebSocket } from 'ws';
import type { Json } from '../catalog/types.ts';
import type { ApiError } from '../error/api-error.ts';
import { coverageFile, recordProduced } from '../testing/coverage.ts';
import { closeCodeOf, closeReason, errorFrame, type FrameContext, message } from './frame.ts';
import { type Clock, createSessionTimers, systemClock } from './timers.ts';

/** `WebSocket.OPEN`, without importing `ws` at run time: the session only needs its socket. */
const OPEN = 1;

/**
 * Options of `createWsSession`. Every error is made on demand, from your catalog.
 * @example
 * createWsSession(socket, {
 *   correlationId, docsBase, idle: { ms: 300_000, error: () => api.error('idle') },
 *   tooLarge: () => api.error('too_large'),
 * });
 */
export interface WsSessionOptions {
  readonly correlationId: string;
  /** Base of every error `link`; a function is read at send time. */
  readonly docsBase?: string | (() => string) | undefined;
  readonly clock?: Clock | undefined;
  /** Ends the session with `error()` after `ms` without client data or work in flight. */
  readonly idle?: { readonly ms: number; readonly error: () => ApiError } | undefined;
  /** Ends the session with `error()` once it has lasted `ms`. */
  readonly maxDuration?: { readonly ms: number; readonly error: () => ApiError } | undefined;
  /**
   * Sent when `ws` refuses a message over its `maxPayload` (which it does from the frame
   * header, before buffering the payload): the client gets this error frame and a close
   * carrying its id, instead of a bare 1009.
   */
  readonly tooLarge?: (() => ApiError) | undefined;
  /** File that collects produced error ids; defaults to `FAULTLINE_COVERAGE`; `false` turns it off. */
  readonly coverage?: string | false | undefined;
}

/**
 * One client connection, speaking in catalog errors.
 * @example session.send('session.ready', { limits }); session.end(api.error('idle'));
 */
export interface WsSession {
  readonly socket: WebSocket;
  readonly correlationId: string;
  /** True until the session starts closing. */
  readonly open: boolean;
  /** False once `stopReading` ran: messages that still arrive should be ignored. */
  readonly reading: boolean;
  /** Work the client is still waiting for (see `track`). */
  readonly inFlight: number;
  /** Resolves once the socket has closed, with the close code and reason. */
  readonly closed: Promise<{ readonly code: number; readonly reason: string }>;
  /** Sends `{type, timestamp, correlation_id, data}`; a no-op once closing. */
  send(type: string, data: Readonly<Record<string, unknown>>): void;
  /** Sends an error message; the session stays open. */
  sendError(error: ApiError, extra?: Readonly<Record<string, Json>>): void;
  /** Sends the error message, then closes with the error's close code and its id as the reason. */
  end(
    error: ApiError,
    options?: { readonly extra?: Readonly<Record<string, Json>>; readonly code?: number },
  ): void;
  /** Closes without an error (e.g. 1000 when the client asked to end); a no-op once closing. */
  close(code: number, reason: string): void;
  /** Counts `work` as in flight until it settles: no idle timeout meanwhile, and drains wait for it. */
  track<T>(work: Promise<T>): Promise<T>;
  /** Stops reading the socket for good (a drain's deadline, a client's own close): pending work still finishes. */
  stopReading(): void;
  /** Resolves when nothing is in flight. */
  settled(): Promise<void>;
  /** Runs `listener` once when the socket closes (at once if it already has). */
  onClose(listener: () => void): void;
}

/**
 * Wraps a `ws` WebSocket (from any server: Fastify, Express, plain `http`) into a session that
 * renders errors from the catalog, closes with the entry's close code and a reason naming the
 * error, and runs idle and maximum-duration timers on an injected clock. Every timer is
 * cleared when the socket closes, however it closes.
 * @example
 * wss.on('connection', (socket, request) => {
 *   const session = createWsSession(socket, { correlationId: randomUUID(), tooLarge: () => api.error('too_large') });
 *   session.send('session.ready', {});
 * });
 */
export function createWsSession(socket: WebSocket, options: WsSessionOptions): WsSession {
  const context: FrameContext = {
    correlationId: options.correlationId,
    docsBase: options.docsBase,
    now: () => (options.clock ?? systemClock).now(),
  };
  let open = socket.readyState === OPEN;
  let reading = true;
  let inFlight = 0;
  let waiters: (() => void)[] = [];
  let closeListeners: (() => void)[] = [];
  let resolveClosed!: (value: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    resolveClosed = resolve;
  });

  const write = (frame: unknown) => {
    if (socket.readyState === OPEN) socket.send(JSON.stringify(frame));
  };
  const coverage = coverageFile(options.coverage);
  const writeError = (error: ApiError, extra: Readonly<Record<string, Json>> | undefined) => {
    if (coverage !== undefined) recordProduced(error.id, coverage);
    write(errorFrame(error, context, extra));
  };

  const end: WsSession['end'] = (error, endOptions) => {
    if (!open) return;
    open = false;
    writeError(error, endOptions?.extra);
    closeNow(endOptions?.code ?? closeCodeOf(error), closeReason(error));
  };

  const closeNow = (code: number, reason: string) => {
    open = false;
    // A paused socket would never read the client's answering close frame: the handshake
    // would hang until `ws` gives up. Messages still arriving are not ours to handle any more.
    reading = false;
    socket.resume();
    originalClose(code, reason);
  };

  const timers = createSessionTimers({
    clock: options.clock,
    idleMs: options.idle?.ms,
    maxMs: options.maxDuration?.ms,
    onIdle: () => options.idle && end(options.idle.error()),
    onMax: () => options.maxDuration && end(options.maxDuration.error()),
  });

  // `ws` answers an oversized message by calling `close(1009)` itself, then emits 'error'.
  // Intercepting that one call lets the client learn which catalog error it hit.
  const originalClose = socket.close.bind(socket);
  if (options.tooLarge) {
    const tooLarge = options.tooLarge;
    socket.close = (code?: number, reason?: string | Buffer) => {
      if (code === 1009 && reason === undefined && open) end(tooLarge());
      else originalClose(code, reason);
    };
  }

  socket.on('message', timers.touch);
  // A protocol error (oversize, bad frame) is followed by 'close'; without a listener it would throw.
  socket.on('error', noop);
  socket.once('close', (code: number, reason: Buffer) => {
    open = false;
    timers.stop();
    socket.off('message', timers.touch);
    resolveClosed({ code, reason: reason.toString() });
    const listeners = closeListeners;
    closeListeners = [];
    for (const listener of listeners) listener();
  });

  return {
    socket,
    correlationId: options.correlationId,
    get open() {
      return open;
    },
    get reading() {
      return reading;
    },
    get inFlight() {
      return inFlight;
    },
    closed,
    send(type, data) {
      if (open) write(message(type, data, context));
    },
    sendError(error, extra) {
      if (open) writeError(error, extra);
    },
    end,
    close(code, reason) {
      if (open) closeNow(code, reason);
    },
    track(work) {
      inFlight++;
      const release = timers.hold();
      const done = () => {
        release();
        if (--inFlight === 0) {
          const ready = waiters;
          waiters = [];
          for (const wake of ready) wake();
        }
      };
      work.then(done, done);
      return work;
    },
    stopReading() {
      reading = false;
      socket.pause();
    },
    settled() {
      return inFlight === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve));
    },
    onClose(listener) {
      if (socket.readyState === 3) listener();
      else closeListeners.push(listener);
    },
  };
}

function noop(): void {}
