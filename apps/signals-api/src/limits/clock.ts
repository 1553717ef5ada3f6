import type { Config } from '../config.ts';

/**
 * The service clock in ms since the epoch: `Date.now`, or — when `SIGNALS_NOW` is set, for
 * black-box tests of calendar quotas — that instant plus the real time elapsed since start.
 * @example const now = serviceClock(config); new Date(now()).toISOString();
 */
export function serviceClock(config: Pick<Config, 'clockStart'>): () => number {
  if (config.clockStart === undefined) return Date.now;
  const offset = config.clockStart.getTime() - Date.now();
  return () => Date.now() + offset;
}
