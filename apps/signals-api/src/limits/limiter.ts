import {
  createLimiter,
  createMemoryStore,
  createRedisStore,
  type Limiter,
  type LimiterLog,
} from 'faultline/limits';
import type { Redis } from 'ioredis';
import { signals } from '../catalog.ts';
import type { Config } from '../config.ts';

/**
 * The limiter of this instance and what to close on shutdown.
 * @example const { limiter, close } = await openLimiter(config, log);
 */
export interface OpenedLimiter {
  readonly limiter: Limiter;
  close(): Promise<void>;
}

/** How long a Redis command may take before the limiter treats Redis as down. */
const REDIS_COMMAND_TIMEOUT_MS = 1000;
/** How long `serve` waits for Redis at start before serving anyway (with the failure policy). */
const REDIS_READY_WAIT_MS = 5000;

/**
 * Rate and concurrency limits: in this process, or in Redis when `REDIS_URL` is set (every
 * instance then shares one budget per account). Refusals are ih3001 / ih3002; a Redis outage
 * follows `SIGNALS_LIMITS_ON_STORE_FAILURE` (ih1002 when `closed`).
 * @example const { limiter } = await openLimiter(config, { error: console.error, info: console.log });
 */
export async function openLimiter(config: Config, log: LimiterLog): Promise<OpenedLimiter> {
  const leaseMs = config.leaseSeconds * 1000;
  let redis: Redis | undefined;
  if (config.redisUrl !== undefined) {
    // Loaded only when configured: without REDIS_URL the client's code would stay live in the
    // heap for nothing, and every full GC walks it.
    const { Redis } = await import('ioredis');
    redis = new Redis(config.redisUrl, {
      // Fail fast while Redis is away: a queued command would hold the request instead.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      // No auto-pipelining: the store already sends the decisions of one turn of the event loop
      // in one call; a pipeline around that call would only add a turn.
      enableAutoPipelining: false,
      retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    });
    // The limiter logs outages once, with their cause; ioredis would print every reconnect attempt.
    redis.on('error', () => {});
    await ready(redis);
  }
  const store = redis
    ? createRedisStore({ redis, prefix: config.redisPrefix, leaseMs })
    : createMemoryStore({ leaseMs });
  const limiter = createLimiter({
    store,
    log,
    onStoreFailure: config.limitsOnStoreFailure,
    errors: {
      rate: ({ limit, retryAfterSeconds, headers }) =>
        signals.error('ih3001', { limit }, { retryAfterSeconds: Math.max(1, retryAfterSeconds), headers }),
      concurrency: ({ limit, headers }) => signals.error('ih3002', { limit }, { headers }),
      unavailable: ({ retryAfterSeconds, cause }) =>
        signals.error('ih1002', undefined, { retryAfterSeconds, cause }),
    },
  });
  return {
    limiter,
    async close() {
      redis?.disconnect();
    },
  };
}

function ready(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(finish, REDIS_READY_WAIT_MS);
    function finish() {
      clearTimeout(timer);
      redis.off('ready', finish);
      done();
    }
    redis.once('ready', finish);
  });
}
