/**
 * faultline/limits: rate and concurrency limits that raise your catalog errors, with IETF
 * RateLimit headers; an in-process store and a Redis store (one round trip per request);
 * calendar windows for quotas. No app code, no browser code.
 */
export { type CalendarWindow, utcDay, utcMonth } from './calendar.ts';
export {
  type Admission,
  createLimiter,
  type Limiter,
  type LimiterErrors,
  type LimiterLog,
  type LimiterOptions,
  type LimitInfo,
} from './limiter.ts';
export { createMemoryStore, type MemoryStoreOptions } from './memory-store.ts';
export { createRedisStore, type RedisLike, type RedisStoreOptions } from './redis-store.ts';
export type { ConcurrencyRule, Decision, Lease, LimitCheck, LimitStore, RateRule } from './types.ts';
