import { type Clock, createDrain, type Drain, systemClock } from 'faultline/ws';
import { signals } from '../catalog.ts';
import type { StreamConfig } from './config.ts';

/**
 * The service's live sessions, as the process sees them: how many are open, whether a drain
 * runs, and the two ways of ending them.
 * @example await app.streams.drain(); await app.close();
 */
export interface StreamHub {
  readonly drainer: Drain;
  readonly clock: Clock;
  /** Seconds until the running drain ends (0 when none runs). */
  secondsLeft(): number;
  /** Drains for `SIGNALS_DRAIN_SECONDS`; resolves once every session is closed. */
  drain(): Promise<void>;
  /** Closes every session now with ih6005 (a second signal); resolves once they are closed or cut. */
  abort(): Promise<void>;
}

/**
 * Makes the hub of one server. The drain speaks ih6006 (warning with `seconds_remaining`) and
 * ih6005 (the close: 1001, or 1012 with `SIGNALS_DRAIN_CLOSE_CODE=1012`).
 * @example const hub = createStreamHub(loadStreamConfig(process.env));
 */
export function createStreamHub(config: StreamConfig, clock: Clock = systemClock): StreamHub {
  const drainer = createDrain({
    clock,
    warning: (seconds) => signals.error('ih6006', { seconds_remaining: seconds }),
    goingAway: () => signals.error('ih6005'),
  });
  const restart = config.drainCloseCode === 1012;
  let deadline: number | undefined;
  return {
    drainer,
    clock,
    secondsLeft: () => (deadline === undefined ? 0 : Math.max(0, Math.ceil((deadline - clock.now()) / 1000))),
    drain() {
      deadline ??= clock.now() + config.drainSeconds * 1000;
      return drainer.start({ durationMs: config.drainSeconds * 1000, restart });
    },
    abort: () => drainer.abort({ restart }),
  };
}
