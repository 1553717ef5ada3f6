import { SlidingLog } from './sliding-log.ts';
import type { Decision, Lease, LimitCheck, LimitStore } from './types.ts';

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
  /** Slots held, in no order (a release moves the last one into the gap). */
  slots: Slot[] | undefined;
}

/**
 * One held concurrency slot, and the lease the store hands out for it: giving it back needs no
 * lookup and no id, and a slot given back (or lapsed) twice is a no-op.
 */
interface Slot {
  expiry: number;
  /** Position in `held`; -1 once given back or lapsed. */
  index: number;
  readonly held: Slot[];
}

/** Takes a slot out of its subject's list in O(1). */
function free(slot: Slot): void {
  const held = slot.held;
  const last = held.pop()!;
  if (last !== slot) {
    held[slot.index] = last;
    last.index = slot.index;
  }
  slot.index = -1;
}

/** Drops the slots whose lease lapsed (their holders crashed or forgot to give them back). */
function sweep(held: Slot[], at: number): void {
  for (let i = held.length - 1; i >= 0; i--) if (held[i]!.expiry <= at) free(held[i]!);
}

function isSlot(lease: Lease): lease is Slot {
  return typeof lease === 'object' && Array.isArray((lease as Partial<Slot>).held);
}

/**
 * Limit state in this process: exact, bounded, with an injectable monotonic clock. Use it for
 * one instance; use `createRedisStore` when several instances must share one budget.
 * @example
 * const store = createMemoryStore({ now: () => fakeNow });
 * const limiter = createLimiter({ store, errors });
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): LimitStore {
  // The global `performance` is a lazy getter in Node: read it once, not per decision.
  const clock = performance;
  const now = options.now ?? (() => clock.now());
  const maxSubjects = options.maxSubjects ?? 100_000;
  const leaseMs = options.leaseMs ?? 60_000;
  const subjects = new Map<string, Subject>();

  const idle = (subject: Subject, at: number): boolean => {
    if (subject.log && subject.log.newest() > at - subject.windowMs) return false;
    if (subject.slots) for (const slot of subject.slots) if (slot.expiry > at) return false;
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
    const subject: Subject = { log: undefined, windowMs: 0, slots: undefined };
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
      const concurrency = check.concurrency;
      if (concurrency) {
        subject.slots ??= [];
        const held = subject.slots;
        // Lapsed leases only matter when they would block: sweep them then, not on every call.
        if (held.length >= concurrency.limit) sweep(held, at);
        inFlight = held.length;
        if (inFlight >= concurrency.limit)
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
      if (!concurrency) return { allowed: true, rateUsed, rateResetMs, inFlight, retryAfterMs: 0 };
      const held = subject.slots!;
      const lease: Slot = { expiry: at + leaseMs, index: held.length, held };
      held.push(lease);
      return { allowed: true, rateUsed, rateResetMs, inFlight: inFlight + 1, retryAfterMs: 0, lease };
    },
    // A slot knows its list: no subject lookup (a subject forgotten meanwhile keeps no state).
    release(_key, lease) {
      if (isSlot(lease) && lease.index >= 0) free(lease);
    },
    renew(_key, lease) {
      if (isSlot(lease) && lease.index >= 0) lease.expiry = now() + leaseMs;
    },
    async ping() {},
  };
}
