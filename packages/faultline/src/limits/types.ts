/**
 * A rate rule: at most `limit` admissions in any trailing window of `windowSeconds`.
 * @example const rule: RateRule = { limit: 60, windowSeconds: 60, policy: 'rpm' };
 */
export interface RateRule {
  readonly limit: number;
  readonly windowSeconds: number;
  /** Policy name in the RateLimit headers (default `"rate"`). */
  readonly policy?: string;
}

/**
 * A concurrency rule: at most `limit` admissions held at once. A holder that never releases
 * (a crashed process) loses its lease after the store's lease TTL.
 * @example const rule: ConcurrencyRule = { limit: 2, policy: 'concurrency' };
 */
export interface ConcurrencyRule {
  readonly limit: number;
  /** Policy name in the RateLimit headers (default `"concurrency"`). */
  readonly policy?: string;
}

/**
 * Every limit one request must pass, decided together: all or nothing.
 * @example const check: LimitCheck = { subject: 'acct_1', rate: { limit: 60, windowSeconds: 60 }, concurrency: { limit: 2 } };
 */
export interface LimitCheck {
  /** Partition key: whose budget this is (an account, an IP). Never shown to clients. */
  readonly subject: string;
  readonly rate?: RateRule;
  readonly concurrency?: ConcurrencyRule;
}

/**
 * What a store answers for one check. A rejected check consumed nothing.
 * @example if (!decision.allowed) console.log(decision.rejectedBy, decision.retryAfterMs);
 */
export interface Decision {
  readonly allowed: boolean;
  /** Which rule refused, rate first (the cheaper question for the client to fix). */
  readonly rejectedBy?: 'rate' | 'concurrency';
  /** Admissions in the trailing window, this one included when allowed. */
  readonly rateUsed: number;
  /** Milliseconds until one more admission fits the rate window (0 when one fits now). */
  readonly rateResetMs: number;
  /** Leases held, this one included when allowed. */
  readonly inFlight: number;
  /** When refused: how long to wait, in milliseconds. */
  readonly retryAfterMs: number;
  /** The lease to give back; present when allowed with a concurrency rule. */
  readonly lease?: Lease;
}

/**
 * One held concurrency slot, as its store names it: opaque, give it back as it is (the Redis
 * store names leases with strings; the memory store hands out the slot itself, so giving it
 * back needs no lookup).
 * @example if (decision.lease !== undefined) await store.release(check.subject, decision.lease);
 */
export type Lease = string | object;

/**
 * Where limit state lives. `decide` answers all rules of a check in one step (one round trip
 * for a networked store); `release` gives a lease back; `renew` keeps a long holder's lease.
 * An in-process store may answer synchronously (a value, not a promise): the limiter then
 * decides without a promise or a microtask per request.
 * @example const decision = await store.decide({ subject: 'k', rate: { limit: 10, windowSeconds: 1 } });
 */
export interface LimitStore {
  /** `memory` or `redis`, for logs and health reports. */
  readonly kind: string;
  decide(check: LimitCheck): Decision | Promise<Decision>;
  release(subject: string, lease: Lease): void | Promise<void>;
  renew(subject: string, lease: Lease): void | Promise<void>;
  /** Milliseconds a lease lives without renewal. */
  readonly leaseMs: number;
  /** Throws when the store cannot answer. */
  ping(): Promise<void>;
}
