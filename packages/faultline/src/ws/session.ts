import type { Json } from '../catalog/types.ts';
import type { ApiError } from '../error/api-error.ts';
import { type ProducedHook, reportProduced } from '../testing/hook.ts';
import { closeCodeOf, closeReason, errorFrame, type FrameContext, message } from './frame.ts';
import type { WebSocketLike, WsData } from './socket.ts';
import { type Clock, systemClock } from './timers.ts';

/** `WebSocket.OPEN`, without importing `ws` at run time: the session only needs its socket. */
const OPEN = 1;

/**
 * Options of `createWsSession`, the same for every session of an endpoint: make them once and
 * share them (an idle server holds thousands of sessions). Errors are made on demand.
 * @example
 * const options: WsSessionOptions = {
 *   docsBase, idle: { ms: 300_000, error: () => api.error('idle') }, tooLarge: () => api.error('too_large'),
 * };
 */
export interface WsSessionOptions {
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
  /**
   * Handles every client message (after the idle clock was reset). One function for all
   * sessions: per-session state goes in `session.data`. Saves a listener and a closure per
   * session compared with `session.socket.on('message', …)`, which works too.
   */
  readonly onMessage?: ((session: WsSession, data: WsData, isBinary: boolean) => void) | undefined;
  /** Receives produced error ids (coverage); defaults to the process-wide hook `faultline/testing` installs; `false` turns it off. */
  readonly coverage?: ProducedHook | false | undefined;
}

/**
 * One client connection, speaking in catalog errors.
 * @example session.send('session.ready', { limits }); session.end(api.error('idle'));
 */
export interface WsSession {
  readonly socket: WebSocketLike;
  readonly correlationId: string;
  /** A slot for the application's own per-session state. */
  data: unknown;
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
  /** Runs `listener(session)` once when the socket closes (at once if it already has). */
  onClose(listener: (session: WsSession) => void): void;
}

/**
 * Wraps a `ws` WebSocket (from any server: Fastify, Express, plain `http`) into a session that
 * renders errors from the catalog, closes with the entry's close code and a reason naming the
 * error, and enforces idle and maximum-duration limits on an injected clock. Its one timer is
 * cleared when the socket closes, however it closes.
 *
 * Built for many idle sessions: methods live on a prototype, listeners are shared, the limits
 * of all sessions sharing one options object are checked by one timer (a message only records
 * the time), and the `closed` promise is made only when asked for. Share the options object.
 * @example
 * const options = { tooLarge: () => api.error('too_large') };
 * wss.on('connection', (socket) => {
 *   const session = createWsSession(socket, randomUUID(), options);
 *   session.send('session.ready', {});
 * });
 */
export function createWsSession(
  socket: WebSocketLike,
  correlationId: string,
  options: WsSessionOptions,
): WsSession {
  return new Session(socket, correlationId, options);
}

const SESSION = Symbol('faultline.ws.session');
type Tagged = WebSocketLike & { [SESSION]?: Session };
type Closed = { readonly code: number; readonly reason: string };
type CloseListener = (session: WsSession) => void;
/** The `closed` promise of a session still open, made when first asked for. */
type Pending = { readonly promise: Promise<Closed>; readonly resolve: (value: Closed) => void };

class Session implements WsSession {
  readonly socket: WebSocketLike;
  readonly correlationId: string;
  data: unknown;
  // Few fields on purpose (an idle server holds thousands of sessions): what all sessions of
  // one options object share (clock, limits, ticker) lives in their Endpoint.
  #endpoint: Endpoint;
  #open: boolean;
  #reading = true;
  /** Tracked work not settled yet: no idle timeout meanwhile, and drains wait for it. */
  #inFlight = 0;
  #waiters: (() => void)[] | undefined;
  // One or two close listeners need no array (the usual case: the drain's, and a limiter's release).
  #listener: CloseListener | undefined;
  #moreListeners: CloseListener | CloseListener[] | undefined;
  #closed: Closed | Pending | undefined;
  // Times as ms since the endpoint's epoch: small integers, which V8 keeps in the object itself
  // (a Date.now() value would take a 16-byte box each).
  #started: number;
  #last: number;
  #originalClose: WebSocketLike['close'];

  constructor(socket: WebSocketLike, correlationId: string, options: WsSessionOptions) {
    this.socket = socket;
    this.correlationId = correlationId;
    const endpoint = endpointOf(options);
    this.#endpoint = endpoint;
    this.#open = socket.readyState === OPEN;
    this.#started = this.#last = endpoint.elapsed();
    this.#originalClose = socket.close;
    (socket as Tagged)[SESSION] = this;
    // `ws` answers an oversized message by calling `close(1009)` itself, then emits 'error'.
    // Intercepting that one call lets the client learn which catalog error it hit.
    if (options.tooLarge) socket.close = closeOrRefuse;
    socket.on('message', touch);
    // A protocol error (oversize, bad frame) is followed by 'close'; without a listener it would throw.
    socket.on('error', noop);
    socket.on('close', closed);
    endpoint.ticker?.add(this);
  }

  get open(): boolean {
    return this.#open;
  }
  get reading(): boolean {
    return this.#reading;
  }
  get inFlight(): number {
    return this.#inFlight;
  }
  get closed(): Promise<Closed> {
    const state = this.#closed;
    if (state === undefined) {
      let resolve!: (value: Closed) => void;
      const promise = new Promise<Closed>((done) => {
        resolve = done;
      });
      this.#closed = { promise, resolve };
      return promise;
    }
    return 'promise' in state ? state.promise : Promise.resolve(state);
  }

  send(type: string, data: Readonly<Record<string, unknown>>): void {
    if (this.#open) this.#write(message(type, data, this.#context()));
  }
  sendError(error: ApiError, extra?: Readonly<Record<string, Json>>): void {
    if (this.#open) this.#writeError(error, extra);
  }
  end(
    error: ApiError,
    options?: { readonly extra?: Readonly<Record<string, Json>>; readonly code?: number },
  ): void {
    if (!this.#open) return;
    this.#open = false;
    this.#writeError(error, options?.extra);
    this.#closeNow(options?.code ?? closeCodeOf(error), closeReason(error));
  }
  close(code: number, reason: string): void {
    if (this.#open) this.#closeNow(code, reason);
  }
  track<T>(work: Promise<T>): Promise<T> {
    this.#inFlight++;
    const done = () => {
      this.#last = this.#endpoint.elapsed();
      if (--this.#inFlight === 0 && this.#waiters) {
        const ready = this.#waiters;
        this.#waiters = undefined;
        for (const wake of ready) wake();
      }
    };
    work.then(done, done);
    return work;
  }
  stopReading(): void {
    this.#reading = false;
    this.socket.pause();
  }
  settled(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.#waiters ??= [];
      this.#waiters.push(resolve);
    });
  }
  onClose(listener: (session: WsSession) => void): void {
    const state = this.#closed;
    if (state !== undefined && !('promise' in state)) {
      listener(this);
      return;
    }
    const more = this.#moreListeners;
    if (this.#listener === undefined) this.#listener = listener;
    else if (more === undefined) this.#moreListeners = listener;
    else if (Array.isArray(more)) more.push(listener);
    else this.#moreListeners = [more, listener];
  }

  #context(): FrameContext {
    const { options, clock } = this.#endpoint;
    return { correlationId: this.correlationId, docsBase: options.docsBase, now: clock.now };
  }
  #write(frame: unknown): void {
    if (this.socket.readyState === OPEN) this.socket.send(JSON.stringify(frame));
  }
  #writeError(error: ApiError, extra: Readonly<Record<string, Json>> | undefined): void {
    const { coverage } = this.#endpoint.options;
    if (coverage !== false) reportProduced(error, coverage);
    this.#write(errorFrame(error, this.#context(), extra));
  }
  #closeNow(code: number, reason: string): void {
    this.#open = false;
    this.#endpoint.ticker?.delete(this);
    // A paused socket would never read the client's answering close frame: the handshake
    // would hang until `ws` gives up. Messages still arriving are not ours to handle any more.
    this.#reading = false;
    this.socket.resume();
    this.#originalClose.call(this.socket, code, reason);
  }

  /** The ticker's visit (`now` in ms since the epoch): ends the session when a limit has passed. */
  check(now: number): void {
    if (!this.#open) return;
    const { idle, maxDuration } = this.#endpoint.options;
    if (maxDuration && now - this.#started >= maxDuration.ms) this.end(maxDuration.error());
    // Work in flight means the client waits for us: it is not idle.
    else if (idle && this.#inFlight === 0 && now - this.#last >= idle.ms) this.end(idle.error());
  }
  /** The ticker moved the epoch `ms` later: times since it shrink by as much. */
  rebase(ms: number): void {
    this.#started -= ms;
    this.#last -= ms;
  }

  static touch(socket: Tagged, data: WsData, isBinary: boolean): void {
    const session = socket[SESSION];
    if (!session) return;
    const endpoint = session.#endpoint;
    session.#last = endpoint.elapsed();
    endpoint.options.onMessage?.(session, data, isBinary);
  }
  static refuse(socket: Tagged, code?: number, reason?: string | Buffer): void {
    const session = socket[SESSION];
    if (!session) return;
    const { tooLarge } = session.#endpoint.options;
    if (code === 1009 && reason === undefined && session.#open && tooLarge) session.end(tooLarge());
    else session.#originalClose.call(socket, code, reason);
  }
  static closed(socket: Tagged, code: number, reason: Buffer): void {
    const session = socket[SESSION];
    if (!session) return;
    session.#open = false;
    session.#reading = false;
    session.#endpoint.ticker?.delete(session);
    socket.off('message', touch);
    socket.off('close', closed);
    const info = { code, reason: reason.toString() };
    const pending = session.#closed;
    session.#closed = info;
    if (pending !== undefined && 'promise' in pending) pending.resolve(info);
    const first = session.#listener;
    const more = session.#moreListeners;
    session.#listener = session.#moreListeners = undefined;
    first?.(session);
    if (typeof more === 'function') more(session);
    else for (const listener of more ?? []) listener(session);
  }
}

/**
 * What the sessions of one options object (an endpoint) share: the options, the clock, the
 * epoch their times count from, and the ticker that enforces their limits.
 */
class Endpoint {
  readonly options: WsSessionOptions;
  readonly clock: Clock;
  readonly ticker: Ticker | undefined;
  #epoch: number;

  constructor(options: WsSessionOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.#epoch = this.clock.now();
    const shortest = Math.min(
      options.idle?.ms ?? Number.POSITIVE_INFINITY,
      options.maxDuration?.ms ?? Number.POSITIVE_INFINITY,
    );
    this.ticker = Number.isFinite(shortest)
      ? new Ticker(this, Math.min(1000, Math.max(10, shortest / 10)))
      : undefined;
  }
  /** Milliseconds since the epoch. */
  elapsed(): number {
    return this.clock.now() - this.#epoch;
  }
  /** Moves the epoch `ms` later (the ticker does, before times outgrow small integers). */
  advanceEpoch(ms: number): void {
    this.#epoch += ms;
  }
}

/** Past this many ms since the epoch (about 12 days), the ticker moves the epoch to now. */
const REBASE_AFTER_MS = 2 ** 30;

/**
 * One timer for all the sessions of one endpoint: it visits them every tenth of the shorter
 * limit (10 ms to 1 s), so a limit is enforced within that much of its deadline, and an idle
 * session holds no timer of its own. It stops when no session is left.
 */
class Ticker {
  readonly #sessions = new Set<Session>();
  readonly #endpoint: Endpoint;
  readonly #everyMs: number;
  #timer: unknown;

  constructor(endpoint: Endpoint, everyMs: number) {
    this.#endpoint = endpoint;
    this.#everyMs = everyMs;
  }
  add(session: Session): void {
    this.#sessions.add(session);
    if (this.#timer === undefined) this.#timer = this.#endpoint.clock.setTimeout(this.#tick, this.#everyMs);
  }
  delete(session: Session): void {
    this.#sessions.delete(session);
    if (this.#sessions.size === 0 && this.#timer !== undefined) {
      this.#endpoint.clock.clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }
  readonly #tick = (): void => {
    this.#timer = undefined;
    let now = this.#endpoint.elapsed();
    if (now >= REBASE_AFTER_MS) {
      this.#endpoint.advanceEpoch(now);
      for (const session of this.#sessions) session.rebase(now);
      now = 0;
    }
    for (const session of this.#sessions) session.check(now);
    if (this.#sessions.size > 0 && this.#timer === undefined)
      this.#timer = this.#endpoint.clock.setTimeout(this.#tick, this.#everyMs);
  };
}

const endpoints = new WeakMap<WsSessionOptions, Endpoint>();

function endpointOf(options: WsSessionOptions): Endpoint {
  let endpoint = endpoints.get(options);
  if (!endpoint) {
    endpoint = new Endpoint(options);
    endpoints.set(options, endpoint);
  }
  return endpoint;
}

// Shared listeners (`this` is the socket): no closures per session.
function touch(this: Tagged, data: WsData, isBinary: boolean): void {
  Session.touch(this, data, isBinary);
}
function closeOrRefuse(this: Tagged, code?: number, reason?: string | Buffer): void {
  Session.refuse(this, code, reason);
}
function closed(this: Tagged, code: number, reason: Buffer): void {
  Session.closed(this, code, reason);
}
function noop(): void {}
