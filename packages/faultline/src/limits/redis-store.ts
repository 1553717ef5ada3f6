import { DECIDE, RELEASE, RENEW } from './redis-scripts.ts';
import type { Decision, LimitCheck, LimitStore } from './types.ts';

/**
 * The slice of an ioredis client the store uses (so any ioredis-compatible client fits).
 * @example const redis: RedisLike = new Redis(process.env.REDIS_URL);
 */
export interface RedisLike {
  defineCommand(name: string, definition: { numberOfKeys?: number; lua: string }): void;
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
  /** ioredis sets it on cluster clients: keys of different subjects then live on different nodes. */
  readonly isCluster?: boolean;
  /** numkeys, keys, args; ioredis flattens one level of nested arrays (no deeper). */
  faultlineDecide(...numkeysKeysArgs: (string | number | (string | number)[])[]): Promise<number[]>;
  faultlineRelease(...numkeysKeysArgs: (string | number | (string | number)[])[]): Promise<unknown>;
  faultlineRenew(lease: string, id: string, ttl: number): Promise<unknown>;
};

/** Leases of one lease set sent in one call at most (Lua's unpack has a stack limit). */
const MAX_LEASES_PER_KEY = 256;
/** Other subjects' lease sets a decision carries at most. */
const MAX_CARRIED_KEYS = 32;

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
    redis.defineCommand('faultlineDecide', { lua: DECIDE });
    redis.defineCommand('faultlineRelease', { lua: RELEASE });
    redis.defineCommand('faultlineRenew', { numberOfKeys: 1, lua: RENEW });
  }
  // On one Redis server a script may touch any key it declares; on a cluster only keys of one
  // slot (one subject), so there releases ride only with a decision for the same subject.
  const anyKey = redis.isCluster !== true;
  const leaseKeyOf = (subject: string) => `${prefix}{${subject}}:leases`;
  // Releases wait for the end of this turn of the event loop (subject → leases): a decision in
  // the meantime carries them in its script call; the rest leave together in one call.
  const pending = new Map<string, string[]>();
  let flushing = false;
  const flush = () => {
    flushing = false;
    if (pending.size === 0) return;
    // A lost release is not fatal: the lease lapses after its TTL; outages surface in decide().
    if (pending.size === 1 || !anyKey) {
      for (const [subject, leases] of pending) redis.zrem(leaseKeyOf(subject), ...leases).catch(ignore);
    } else {
      const keys: string[] = [];
      const args: (string | number)[] = [];
      for (const [subject, leases] of pending) {
        keys.push(leaseKeyOf(subject));
        args.push(leases.length, ...leases);
      }
      // ioredis flattens one level of nested argument arrays: no spread copies of keys and args.
      redis.faultlineRelease(keys.length, keys, args).catch(ignore);
    }
    pending.clear();
  };
  // A service has few plans, so the text of the last one's rules is kept.
  let lastRules = { rateLimit: -1, windowMs: -1, concurrencyLimit: -1, text: '' };
  const rulesOf = (check: LimitCheck): string => {
    const rateLimit = check.rate ? check.rate.limit : 0;
    const windowMs = check.rate ? check.rate.windowSeconds * 1000 : 0;
    const concurrencyLimit = check.concurrency ? check.concurrency.limit : 0;
    const last = lastRules;
    if (
      last.rateLimit === rateLimit &&
      last.windowMs === windowMs &&
      last.concurrencyLimit === concurrencyLimit
    )
      return last.text;
    const text = `${rateLimit} ${windowMs} ${concurrencyLimit} ${leaseMs}`;
    lastRules = { rateLimit, windowMs, concurrencyLimit, text };
    return text;
  };

  return {
    kind: 'redis',
    leaseMs,
    async decide(check: LimitCheck): Promise<Decision> {
      const concurrency = check.concurrency;
      const subject = check.subject;
      const id = `${instance}:${++sequence}`;
      const rateKey = `${prefix}{${subject}}:rate`;
      const leaseKey = leaseKeyOf(subject);
      let reply: number[];
      // Rules and member id travel as one argument: each argument costs the client a write.
      const head = `${rulesOf(check)} ${id}`;
      if (pending.size === 0) reply = await redis.faultlineDecide(2, rateKey, leaseKey, head);
      else {
        const keys: string[] = [rateKey, leaseKey];
        const args: (string | number)[] = [head];
        const own = pending.get(subject);
        if (own) {
          pending.delete(subject);
          args.push(own.length, ...own);
        } else args.push(0);
        if (anyKey)
          for (const [other, leases] of pending) {
            if (keys.length - 2 >= MAX_CARRIED_KEYS) break;
            keys.push(leaseKeyOf(other));
            args.push(leases.length, ...leases);
            pending.delete(other);
          }
        reply = await redis.faultlineDecide(keys.length, keys, args);
      }
      // Integer replies arrive as numbers: read them in place, no copy.
      if (reply.length === 3)
        return concurrency
          ? {
              allowed: true,
              rateUsed: reply[0]!,
              rateResetMs: reply[1]!,
              inFlight: reply[2]!,
              retryAfterMs: 0,
              lease: id,
            }
          : {
              allowed: true,
              rateUsed: reply[0]!,
              rateResetMs: reply[1]!,
              inFlight: reply[2]!,
              retryAfterMs: 0,
            };
      return {
        allowed: false,
        rejectedBy: reply[0] === -1 ? 'rate' : 'concurrency',
        rateUsed: reply[1]!,
        rateResetMs: reply[2]!,
        inFlight: reply[3]!,
        retryAfterMs: reply[4]!,
      };
    },
    release(subject, lease) {
      // Leases of this store are strings; anything else was never one of its leases.
      if (typeof lease !== 'string') return;
      const leases = pending.get(subject);
      if (!leases) pending.set(subject, [lease]);
      else if (leases.length < MAX_LEASES_PER_KEY) leases.push(lease);
      else {
        // A full batch leaves now; the next lease starts a new one.
        pending.set(subject, [lease]);
        redis.zrem(leaseKeyOf(subject), ...leases).catch(ignore);
      }
      if (!flushing) {
        flushing = true;
        setImmediate(flush);
      }
    },
    async renew(subject, lease) {
      if (typeof lease === 'string') await redis.faultlineRenew(leaseKeyOf(subject), lease, leaseMs);
    },
    async ping() {
      await redis.ping();
    },
  };
}

function ignore(): void {}
