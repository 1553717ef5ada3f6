import type { ApiError } from '../error/api-error.ts';
import type { WsSession } from './session.ts';
import { type Clock, systemClock } from './timers.ts';

/**
 * Options of `createDrain`: the two catalog errors a drain speaks in.
 * @example createDrain({ warning: (s) => api.error('shutdown_warning', { seconds_remaining: s }), goingAway: () => api.error('going_away') })
 */
export interface DrainOptions {
  readonly clock?: Clock | undefined;
  /** The warning every session gets at the start and once more near the end, with whole seconds left. */
  readonly warning: (secondsRemaining: number) => ApiError;
  /** The error every session is closed with when the drain ends. */
  readonly goingAway: () => ApiError;
  /** How long a closed session may take to answer the close before its socket is cut (default 2 s). */
  readonly closeTimeoutMs?: number | undefined;
}

/**
 * How one drain runs.
 * @example drain.start({ durationMs: 300_000, restart: true })
 */
export interface StartDrainOptions {
  readonly durationMs: number;
  /** Close with 1012 (Service Restart) instead of the error's own code (1001 Going Away). */
  readonly restart?: boolean | undefined;
}

/**
 * A drain controller for a set of sessions.
 * @example if (!drain.add(session)) session.end(api.error('going_away'));
 */
export interface Drain {
  /** True from `start` on: new sessions must be refused. */
  readonly draining: boolean;
  /** Sessions still open. */
  readonly size: number;
  /** Tracks a session until it closes; false (and not tracked) once draining. */
  add(session: WsSession): boolean;
  /** Starts the drain (once; later calls return the same promise). Resolves when every session is closed. */
  start(options: StartDrainOptions): Promise<void>;
  /** Ends every session now with the going-away error (the second signal); resolves once they are closed or cut. */
  abort(options?: { readonly restart?: boolean | undefined }): Promise<void>;
}

/**
 * The final warning's lead: `min(30 s, a tenth of the drain)` before its end.
 * @example finalWarningLeadMs(300_000) // 30_000
 * @example finalWarningLeadMs(10_000) // 1_000
 */
export function finalWarningLeadMs(durationMs: number): number {
  return Math.min(30_000, durationMs / 10);
}

/**
 * Drains sessions for a shutdown that loses nothing. `start` stops admitting sessions, warns
 * every open one (with `seconds_remaining`) at once and again when `finalWarningLeadMs` is
 * left, and lets them keep working until the deadline. Then each session stops reading new
 * messages, its work in flight finishes and is answered, and it is closed with the
 * going-away error (1001, or 1012 for a restart). The drain ends early when the last session
 * leaves on its own.
 * @example
 * const drain = createDrain({ warning, goingAway });
 * wss.on('connection', (socket) => { const s = createWsSession(socket, randomUUID(), opts); if (!drain.add(s)) s.end(goingAway()); });
 * process.once('SIGTERM', async () => { await drain.start({ durationMs: 300_000 }); process.exit(0); });
 */
export function createDrain(options: DrainOptions): Drain {
  const clock = options.clock ?? systemClock;
  const closeTimeoutMs = options.closeTimeoutMs ?? 2_000;
  const sessions = new Set<WsSession>();
  let started: Promise<void> | undefined;
  let timers: unknown[] = [];
  let restart = false;
  let onEmpty: (() => void) | undefined;

  // One listener for every session: an idle server holds thousands of them.
  const remove = (session: WsSession) => {
    sessions.delete(session);
    if (sessions.size === 0) onEmpty?.();
  };

  const warnAll = (secondsRemaining: number) => {
    const error = options.warning(secondsRemaining);
    for (const session of sessions) session.sendError(error);
  };

  const finish = async (session: WsSession) => {
    // Messages sent after the deadline stay unread (the client was warned): only work already
    // received is finished and answered, so what the client has no answer for, it resends elsewhere.
    session.stopReading();
    await session.settled();
    session.end(options.goingAway(), restart ? { code: 1012 } : undefined);
    await cutAfter(session);
  };

  /** Resolves when the client has answered the close, or after `closeTimeoutMs`, cutting the socket. */
  const cutAfter = (session: WsSession): Promise<void> =>
    new Promise((resolve) => {
      const timer = clock.setTimeout(() => {
        session.socket.terminate();
        resolve();
      }, closeTimeoutMs);
      session.onClose(() => {
        clock.clearTimeout(timer);
        resolve();
      });
    });

  const finishAll = () => Promise.all([...sessions].map(finish)).then(() => undefined);

  return {
    get draining() {
      return started !== undefined;
    },
    get size() {
      return sessions.size;
    },
    add(session) {
      if (started !== undefined || !session.open) return false;
      sessions.add(session);
      session.onClose(remove);
      return true;
    },
    start(startOptions) {
      if (started) return started;
      restart = startOptions.restart === true;
      const deadline = clock.now() + startOptions.durationMs;
      const secondsLeft = () => Math.max(0, Math.ceil((deadline - clock.now()) / 1000));
      started = new Promise<void>((resolve) => {
        onEmpty = () => {
          for (const timer of timers) clock.clearTimeout(timer);
          timers = [];
          resolve();
        };
        if (sessions.size === 0) return onEmpty();
        warnAll(secondsLeft());
        const lead = finalWarningLeadMs(startOptions.durationMs);
        timers.push(clock.setTimeout(() => warnAll(secondsLeft()), startOptions.durationMs - lead));
        timers.push(clock.setTimeout(finishAll, startOptions.durationMs));
      });
      return started;
    },
    abort(abortOptions) {
      if (abortOptions?.restart !== undefined) restart = abortOptions.restart;
      for (const timer of timers) clock.clearTimeout(timer);
      timers = [];
      const error = options.goingAway();
      return Promise.all(
        [...sessions].map((session) => {
          session.end(error, restart ? { code: 1012 } : undefined);
          return cutAfter(session);
        }),
      ).then(() => undefined);
    },
  };
}
