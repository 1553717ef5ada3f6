import { SlidingLog } from './sliding-log.ts';
import type { Decision, LimitCheck, LimitStore } from './types.ts';

/**
 * Options of `createMemoryStore`.
 * @example const options: MemoryStoreOptions = { maxSubjects: 50_000, leaseMs: 60_000 };
 */
export interface MemoryStoreOptions {
  /** Monotonic clock in ms (default `performance.now`): wall-clock jumps must not free slots. */
  readonly now?: () => number;
  /** Subjects kept at most; idle ones go first when full (default 100 000). */
  readonly maxSubjects?: number;
  /** Lease TTL in ms (default 60 000). */
  readonly leaseMs?: number;
}

interface Subject {
  log: SlidingLog | undefined;
  windowMs: number;
  leases: Map<string, number> | undefined;
}

/**
 * Limit state in this process: exact, bounded, with an injectable monotonic clock. Use it for
 * one instance; use `createRedisStore` when several instances must share one budget.
 * @example
 * const store = createMemoryStore({ now: () => fakeNow });
 * const limiter = createLimiter({ store, errors });
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): LimitStore {
  const now = options.now ?? (() => performance.now());
  const maxSubjects = options.maxSubjects ?? 100_000;
  const leaseMs = options.leaseMs ?? 60_000;
  const subjects = new Map<string, Subject>();
  let sequence = 0;

  const idle = (subject: Subject, at: number): boolean => {
    if (subject.log && subject.log.newest() > at - subject.windowMs) return false;
    if (subject.leases) for (const expiry of subject.leases.values()) if (expiry > at) return false;
    return true;
  };

  const make = (key: string, at: number): Subject => {
    if (subjects.size >= maxSubjects) {
      // Map order is insertion order: the oldest subjects are the likeliest to be idle.
      for (const [name, subject] of subjects) {
        if (subjects.size < maxSubjects) break;
        if (idle(subject, at)) subjects.delete(name);
      }
      // Everyone busy: forget the oldest anyway rather than grow without bound.
      if (subjects.size >= maxSubjects) subjects.delete(subjects.keys().next().value as string);
    }
    const subject: Subject = { log: undefined, windowMs: 0, leases: undefined };
    subjects.set(key, subject);
    return subject;
  };

  return {
    kind: 'memory',
    leaseMs,
    // Synchronous on purpose: the limiter then needs no promise per request.
    decide(check: LimitCheck): Decision {
      const at = now();
      const subject = subjects.get(check.subject) ?? make(check.subject, at);
      let rateUsed = 0;
      let rateResetMs = 0;
      const rate = check.rate;
      const windowMs = rate ? rate.windowSeconds * 1000 : 0;
      if (rate) {
        if (!subject.log) subject.log = new SlidingLog(rate.limit);
        else subject.log.resize(rate.limit);
        subject.windowMs = windowMs;
        rateUsed = subject.log.slide(at, windowMs);
        const wait = subject.log.waitMs(at, windowMs);
        if (wait > 0)
          return {
            allowed: false,
            rejectedBy: 'rate',
            rateUsed,
            rateResetMs: wait,
            inFlight: 0,
            retryAfterMs: wait,
          };
      }
      let inFlight = 0;
      if (check.concurrency) {
        subject.leases ??= new Map();
        // Lapsed leases only matter when they would block: sweep them then, not on every call.
        if (subject.leases.size >= check.concurrency.limit)
          for (const [id, expiry] of subject.leases) if (expiry <= at) subject.leases.delete(id);
        inFlight = subject.leases.size;
        if (inFlight >= check.concurrency.limit)
          return {
            allowed: false,
            rejectedBy: 'concurrency',
            rateUsed,
            rateResetMs: rate ? subject.log!.resetMs(at, windowMs) : 0,
            inFlight,
            retryAfterMs: 0,
          };
      }
      // Every rule passed: only now consume, so a refused request costs nothing.
      if (rate) {
        subject.log!.add(at);
        rateUsed++;
        rateResetMs = subject.log!.resetMs(at, windowMs);
      }
      if (!check.concurrency) return { allowed: true, rateUsed, rateResetMs, inFlight, retryAfterMs: 0 };
      const lease = `m${++sequence}`;
      subject.leases!.set(lease, at + leaseMs);
      return { allowed: true, rateUsed, rateResetMs, inFlight: inFlight + 1, retryAfterMs: 0, lease };
    },
    release(key, lease) {
      subjects.get(key)?.leases?.delete(lease);
    },
    renew(key, lease) {
      const leases = subjects.get(key)?.leases;
      if (leases?.has(lease)) leases.set(lease, now() + leaseMs);
    },
    async ping() {},
  };
}
