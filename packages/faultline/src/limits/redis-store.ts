import { DECIDE, RENEW } from './redis-scripts.ts';
import type { Decision, LimitCheck, LimitStore } from './types.ts';

/**
 * The slice of an ioredis client the store uses (so any ioredis-compatible client fits).
 * @example const redis: RedisLike = new Redis(process.env.REDIS_URL);
 */
export interface RedisLike {
  defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): void;
  zrem(key: string, ...members: string[]): Promise<unknown>;
  ping(): Promise<unknown>;
}

/**
 * Options of `createRedisStore`.
 * @example const options: RedisStoreOptions = { redis, prefix: 'myapp:limits:' };
 */
export interface RedisStoreOptions {
  /** An ioredis client. Fail fast rather than queue: `enableOfflineQueue: false`, a `commandTimeout`. */
  readonly redis: RedisLike;
  /** Prefix of every key (default `faultline:limits:`), so apps and test runs never collide. */
  readonly prefix?: string;
  /** Lease TTL in ms (default 60 000). */
  readonly leaseMs?: number;
}

type Scripted = RedisLike & {
  faultlineDecide(rate: string, lease: string, ...args: (string | number)[]): Promise<number[]>;
  faultlineRenew(lease: string, id: string, ttl: number): Promise<unknown>;
};

let sequence = 0;
const instance = Math.random().toString(36).slice(2, 10);

/**
 * Limit state in Redis, shared by every instance: one `EVALSHA` per request decides all of
 * its rules atomically, and a refused request consumes nothing. Keys carry a `{subject}`
 * hash tag, so both keys of a subject live on one Redis Cluster slot.
 * @example
 * const store = createRedisStore({ redis: new Redis(url, { enableOfflineQueue: false }), prefix: 'api:' });
 */
export function createRedisStore(options: RedisStoreOptions): LimitStore {
  const redis = options.redis as Scripted;
  const prefix = options.prefix ?? 'faultline:limits:';
  const leaseMs = options.leaseMs ?? 60_000;
  // defineCommand: ioredis sends EVALSHA and falls back to EVAL once when the script is unknown.
  if (typeof redis.faultlineDecide !== 'function') {
    redis.defineCommand('faultlineDecide', { numberOfKeys: 2, lua: DECIDE });
    redis.defineCommand('faultlineRenew', { numberOfKeys: 1, lua: RENEW });
  }
  const keys = (subject: string) => [`${prefix}{${subject}}:rate`, `${prefix}{${subject}}:leases`] as const;
  // Releases wait for the end of this turn of the event loop: a decision for the same subject
  // in the meantime carries them in its script call, the rest go out as one ZREM per subject.
  const pending = new Map<string, string[]>();
  let flushing = false;
  const flush = () => {
    flushing = false;
    // A lost release is not fatal: the lease lapses after its TTL; outages surface in decide().
    for (const [subject, leases] of pending) redis.zrem(keys(subject)[1], ...leases).catch(() => {});
    pending.clear();
  };

  return {
    kind: 'redis',
    leaseMs,
    async decide(check: LimitCheck): Promise<Decision> {
      const [rateKey, leaseKey] = keys(check.subject);
      const id = `${instance}:${++sequence}`;
      const released = pending.get(check.subject);
      if (released) pending.delete(check.subject);
      const reply = await redis.faultlineDecide(
        rateKey,
        leaseKey,
        check.rate?.limit ?? 0,
        (check.rate?.windowSeconds ?? 0) * 1000,
        check.concurrency?.limit ?? 0,
        leaseMs,
        id,
        ...(released ?? []),
      );
      const [verdict, rateUsed, rateResetMs, inFlight, wait] = reply.map(Number) as [
        number,
        number,
        number,
        number,
        number,
      ];
      if (verdict === 1)
        return { allowed: false, rejectedBy: 'rate', rateUsed, rateResetMs, inFlight, retryAfterMs: wait };
      if (verdict === 2)
        return {
          allowed: false,
          rejectedBy: 'concurrency',
          rateUsed,
          rateResetMs,
          inFlight,
          retryAfterMs: 0,
        };
      const decision = { allowed: true, rateUsed, rateResetMs, inFlight, retryAfterMs: 0 };
      return check.concurrency ? { ...decision, lease: id } : decision;
    },
    async release(subject, lease) {
      const leases = pending.get(subject);
      if (leases) leases.push(lease);
      else pending.set(subject, [lease]);
      if (!flushing) {
        flushing = true;
        setImmediate(flush);
      }
    },
    async renew(subject, lease) {
      await redis.faultlineRenew(keys(subject)[1], lease, leaseMs);
    },
    async ping() {
      await redis.ping();
    },
  };
}
