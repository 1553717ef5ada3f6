import { DECIDE, RENEW } from './redis-scripts.ts';
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
  /**
   * An ioredis client. Fail fast rather than queue: `enableOfflineQueue: false`, a `commandTimeout`.
   * Leave `enableAutoPipelining` off on a client the store has to itself: the store already sends
   * the decisions of one turn of the event loop in one call, and a pipeline around that call only
   * adds a turn and its own bookkeeping.
   */
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
  faultlineRenew(lease: string, id: string, ttl: number): Promise<unknown>;
};

/** A decision waiting for the script call of its turn of the event loop. */
interface Waiting {
  readonly check: LimitCheck;
  resolve(decision: Decision): void;
  reject(cause: unknown): void;
}

/** Leases of one lease set sent in one call at most (Lua's unpack has a stack limit). */
const MAX_LEASES_PER_KEY = 256;
/** Decisions in one script call at most: a script blocks Redis while it runs. */
const MAX_DECISIONS = 128;
/** Lease sets with leases to give back in one script call at most. */
const MAX_RELEASED_KEYS = 128;
/** Lease ids restart here: no lease lives through a trillion decisions of one process. */
const MAX_SEQUENCE = 1e12;

let sequence = 0;
const instance = `${Math.random().toString(36).slice(2, 10)}:`;

/**
 * Limit state in Redis, shared by every instance: one script call decides all rules of a
 * request atomically, and a refused request consumes nothing. The decisions requested during
 * one turn of the event loop leave together in one call (each still atomic, in order), with the
 * leases given back meanwhile: one round trip, one script run and one reply per turn, not per
 * request. Keys carry a `{subject}` hash tag, so both keys of a subject live on one Redis
 * Cluster slot; on a cluster each decision goes alone (a script may touch one slot only).
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
    redis.defineCommand('faultlineRenew', { numberOfKeys: 1, lua: RENEW });
  }
  // On one Redis server a script may touch any key it declares; on a cluster only keys of one
  // slot (one subject): there decisions go alone, carrying their own subject's releases only.
  const anyKey = redis.isCluster !== true;
  const logKeyOf = (subject: string) => `${prefix}{${subject}}:log`;
  const leaseKeyOf = (subject: string) => `${prefix}{${subject}}:leases`;
  // Until the end of this turn of the event loop: decisions asked for, and leases given back
  // (subject → leases). Then they leave together.
  let waiting: Waiting[] = [];
  const pending = new Map<string, string[]>();
  let scheduled = false;
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
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

  /** Sends `batch` (may be empty) with up to MAX_RELEASED_KEYS lease sets' releases. */
  const send = (batch: Waiting[], carry: boolean): void => {
    const first = nextSequence(batch.length);
    const keys: string[] = [];
    const args: (string | number)[] = [batch.length, instance, first];
    for (const w of batch) keys.push(logKeyOf(w.check.subject), leaseKeyOf(w.check.subject));
    // Rules in runs (a count, then the text): a turn's requests mostly share one plan's rules.
    let run = -1;
    let runRules = '';
    for (const w of batch) {
      const rules = rulesOf(w.check);
      if (rules === runRules) (args[run] as number)++;
      else {
        run = args.length;
        runRules = rules;
        args.push(1, rules);
      }
    }
    if (carry) {
      if (anyKey)
        for (const [subject, leases] of pending) {
          if (keys.length - 2 * batch.length >= MAX_RELEASED_KEYS) break;
          keys.push(leaseKeyOf(subject));
          args.push(leases.length, ...leases);
          pending.delete(subject);
        }
      else {
        // One decision alone on a cluster: only its own subject's leases ride along.
        const subject = batch[0]!.check.subject;
        const own = pending.get(subject);
        if (own) {
          pending.delete(subject);
          keys.push(leaseKeyOf(subject));
          args.push(own.length, ...own);
        }
      }
    }
    // ioredis flattens one level of nested argument arrays: no spread copies of keys and args.
    const reply = redis.faultlineDecide(keys.length, keys, args);
    if (batch.length === 0) {
      // A lost release is not fatal: the lease lapses after its TTL; outages surface in decide().
      reply.catch(ignore);
      return;
    }
    // A failed call (or an unreadable reply) fails every decision still waiting in it.
    reply
      .then((flat) => settle(batch, flat, first))
      .catch((cause: unknown) => {
        for (const w of batch) w.reject(cause);
      });
  };

  const flush = () => {
    scheduled = false;
    const batch = waiting;
    waiting = [];
    if (anyKey) {
      for (let i = 0; i < batch.length; i += MAX_DECISIONS)
        send(batch.length <= MAX_DECISIONS ? batch : batch.slice(i, i + MAX_DECISIONS), true);
      while (pending.size > 0) send([], true);
      return;
    }
    for (const w of batch) send([w], true);
    for (const [subject, leases] of pending) redis.zrem(leaseKeyOf(subject), ...leases).catch(ignore);
    pending.clear();
  };

  return {
    kind: 'redis',
    leaseMs,
    decide(check: LimitCheck): Promise<Decision> {
      return new Promise((resolve, reject) => {
        waiting.push({ check, resolve, reject });
        schedule();
      });
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
      schedule();
    },
    async renew(subject, lease) {
      if (typeof lease === 'string') await redis.faultlineRenew(leaseKeyOf(subject), lease, leaseMs);
    },
    async ping() {
      await redis.ping();
    },
  };
}

/** Reserves `count` lease sequence numbers; returns the first. */
function nextSequence(count: number): number {
  if (sequence + count >= MAX_SEQUENCE) sequence = 0;
  const first = sequence + 1;
  sequence += count;
  return first;
}

/** Hands each decision of a batch its part of the flat reply (integers, read in place). */
function settle(batch: Waiting[], reply: number[], first: number): void {
  let o = 0;
  for (let i = 0; i < batch.length; i++) {
    const w = batch[i]!;
    const head = reply[o]!;
    if (head >= 0) {
      w.resolve(
        w.check.concurrency
          ? {
              allowed: true,
              rateUsed: head,
              rateResetMs: reply[o + 1]!,
              inFlight: reply[o + 2]!,
              retryAfterMs: 0,
              lease: `${instance}${first + i}`,
            }
          : {
              allowed: true,
              rateUsed: head,
              rateResetMs: reply[o + 1]!,
              inFlight: reply[o + 2]!,
              retryAfterMs: 0,
            },
      );
      o += 3;
    } else {
      w.resolve({
        allowed: false,
        rejectedBy: head === -1 ? 'rate' : 'concurrency',
        rateUsed: reply[o + 1]!,
        rateResetMs: reply[o + 2]!,
        inFlight: reply[o + 3]!,
        retryAfterMs: reply[o + 4]!,
      });
      o += 5;
    }
  }
}

function ignore(): void {}
