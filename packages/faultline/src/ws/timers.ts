/**
 * Time as the session code sees it: a clock and one-shot timers. Injected, so tests drive
 * idle timeouts, session limits and drains without waiting for them.
 * @example const clock: Clock = { now: () => fake.now, setTimeout: fake.set, clearTimeout: fake.clear };
 */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * The real clock: `Date.now` and the global timers (which Vitest's fake timers replace).
 * @example createSessionTimers({ clock: systemClock, idleMs: 300_000, onIdle })
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Options of `createSessionTimers`. Leave a limit out to have no such limit.
 * @example createSessionTimers({ idleMs: 300_000, maxMs: 3_600_000, onIdle: () => end('idle'), onMax: () => end('max') })
 */
export interface SessionTimerOptions {
  readonly clock?: Clock | undefined;
  /** Time without client data (and without work in flight) after which `onIdle` runs. */
  readonly idleMs?: number | undefined;
  /** Time from the start after which `onMax` runs, whatever happens. */
  readonly maxMs?: number | undefined;
  readonly onIdle?: (() => void) | undefined;
  readonly onMax?: (() => void) | undefined;
}

/**
 * The two clocks of a session.
 * @example const timers = createSessionTimers(options); socket.on('message', timers.touch);
 */
export interface SessionTimers {
  /** Client data arrived: the idle countdown starts over. */
  touch(): void;
  /** Work began that the client waits for: no idle timeout until the returned release runs. */
  hold(): () => void;
  /** Clears every timer (on close); idempotent. */
  stop(): void;
}

/**
 * Idle and maximum-duration timers for one session. The idle timer is re-armed lazily: a
 * message only records the time, and the timer, when it fires early, sleeps for the rest — so
 * a session receiving thousands of frames sets no timer per frame. While work is held (a
 * segment being analysed) the session is not idle: the client is waiting for us.
 * @example
 * const timers = createSessionTimers({ idleMs: 300_000, onIdle: () => session.end(api.error('idle')) });
 * socket.on('message', () => timers.touch());
 * socket.on('close', () => timers.stop());
 */
export function createSessionTimers(options: SessionTimerOptions): SessionTimers {
  const clock = options.clock ?? systemClock;
  const { idleMs, maxMs } = options;
  let last = clock.now();
  let held = 0;
  let stopped = false;
  let idleTimer: unknown;
  let maxTimer: unknown;

  const armIdle = (ms: number) => {
    idleTimer = clock.setTimeout(onIdleTimer, ms);
  };
  function onIdleTimer() {
    idleTimer = undefined;
    if (stopped || held > 0 || idleMs === undefined) return;
    const quiet = clock.now() - last;
    if (quiet >= idleMs) options.onIdle?.();
    else armIdle(idleMs - quiet);
  }

  if (idleMs !== undefined) armIdle(idleMs);
  if (maxMs !== undefined)
    maxTimer = clock.setTimeout(() => {
      maxTimer = undefined;
      if (!stopped) options.onMax?.();
    }, maxMs);

  return {
    touch() {
      last = clock.now();
    },
    hold() {
      held++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        held--;
        last = clock.now();
        if (held === 0 && !stopped && idleMs !== undefined && idleTimer === undefined) armIdle(idleMs);
      };
    },
    stop() {
      stopped = true;
      if (idleTimer !== undefined) clock.clearTimeout(idleTimer);
      if (maxTimer !== undefined) clock.clearTimeout(maxTimer);
      idleTimer = undefined;
      maxTimer = undefined;
    },
  };
}
