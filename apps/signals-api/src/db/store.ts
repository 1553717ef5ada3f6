/**
 * What the service persists, behind one async interface so SQLite (one machine) and
 * PostgreSQL (a cluster) are interchangeable. Times are `Date`s; the store owns the encoding.
 */

/**
 * An API key. The secret itself is never stored: only its keyed hash (HMAC-SHA-256 + pepper).
 * @example const key: KeyRecord | undefined = await store.getKey('key_abc'); if (key?.revokedAt) …
 */
export interface KeyRecord {
  readonly id: string;
  /** `hmac-sha256$…` from `SecretHasher.hash` (or a legacy `scrypt$…` row, rehashed on use). */
  readonly secretHash: string;
  readonly scopes: readonly string[];
  /** Name of the plan whose limits apply. */
  readonly plan: string;
  readonly createdAt: Date;
  /** Set once revoked; a revoked key never authenticates again. */
  readonly revokedAt: Date | undefined;
}

/**
 * Fields of a new key.
 * @example await store.createKey({ id, secretHash: await hashSecret(secret), scopes: ['interhumanai.upload'], plan: 'default', createdAt: new Date() });
 */
export interface NewKey {
  readonly id: string;
  readonly secretHash: string;
  readonly scopes: readonly string[];
  readonly plan: string;
  readonly createdAt: Date;
}

/**
 * Limits of a plan (enforced by the limits layer; stored here).
 * @example await store.putPlan({ name: 'pro', rpm: 600, concurrency: 8, periodMinutes: 6000, dailyMinutes: 600 });
 */
export interface Plan {
  readonly name: string;
  /** Requests per minute. */
  readonly rpm: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** Video-minutes per billing period (calendar month, UTC). */
  readonly periodMinutes: number;
  /** Video-minutes per UTC day. */
  readonly dailyMinutes: number;
}

/**
 * Billing state of the account a key belongs to (one account per key).
 * @example await store.setSubscription('key_abc', 'inactive', new Date());
 */
export type SubscriptionStatus = 'active' | 'inactive';

/**
 * One analysed piece of video, the unit of quota accounting.
 * @example await store.recordUsage({ keyId: 'key_abc', correlationId, at: new Date(), videoSeconds: 42.5 });
 */
export interface UsageRecord {
  readonly keyId: string;
  readonly correlationId: string;
  readonly at: Date;
  /** Seconds of video analysed. */
  readonly videoSeconds: number;
}

/**
 * What the limits layer needs about a key, read together.
 * @example const limits = await store.accountLimits('key_abc'); if (limits?.subscription === 'inactive') …
 */
export interface AccountLimits {
  readonly plan: Plan;
  readonly subscription: SubscriptionStatus;
}

/**
 * The calendar windows a quota counts in: `[from, to)` each.
 * @example const windows: QuotaWindows = { periodFrom, periodTo, dayFrom, dayTo };
 */
export interface QuotaWindows {
  readonly periodFrom: Date;
  readonly periodTo: Date;
  readonly dayFrom: Date;
  readonly dayTo: Date;
}

/**
 * Billed seconds used in each window.
 * @example const { periodSeconds, daySeconds }: UsageTotals = await store.usageTotals(key, windows, now);
 */
export interface UsageTotals {
  readonly periodSeconds: number;
  readonly daySeconds: number;
}

/**
 * A hold on quota while a video is analysed; it lapses at `expiresAt` unless committed, so a
 * crashed instance never keeps minutes reserved forever.
 * @example await store.reserveUsage({ id, keyId, correlationId, videoSeconds: 59.9, billedSeconds: 60, at, expiresAt, ...windows, periodLimitSeconds: 36000, dailyLimitSeconds: 3600 });
 */
export interface Reservation extends QuotaWindows {
  readonly id: string;
  readonly keyId: string;
  readonly correlationId: string;
  readonly videoSeconds: number;
  /** Whole seconds billed: `ceil(videoSeconds)`. */
  readonly billedSeconds: number;
  readonly at: Date;
  readonly expiresAt: Date;
  readonly periodLimitSeconds: number;
  readonly dailyLimitSeconds: number;
}

/**
 * The persistence port. Every method is async, even where SQLite is synchronous, so a
 * network database fits without changing a caller.
 * @example
 * const store = await openStore('sqlite:./data/signals.db');
 * const key = await store.getKey('key_abc');
 */
export interface Store {
  /** Which implementation this is, for logs and `/healthz`. */
  readonly kind: 'sqlite' | 'postgres';

  /** Adds a key; throws if the id exists or the plan is unknown. */
  createKey(key: NewKey): Promise<KeyRecord>;
  /** A key by id, revoked or not; undefined when there is none. */
  getKey(id: string): Promise<KeyRecord | undefined>;
  /** Every key, oldest first. */
  listKeys(): Promise<KeyRecord[]>;
  /** Marks a key revoked; false when no such key. Revoking twice keeps the first time. */
  revokeKey(id: string, at: Date): Promise<boolean>;
  /**
   * Replaces a key's stored hash only while it still equals `from` (a legacy row rehashed on
   * use; two instances racing write the same kind of value). False when nothing changed.
   */
  replaceSecretHash(id: string, from: string, to: string): Promise<boolean>;

  /** Creates or replaces a plan. */
  putPlan(plan: Plan): Promise<void>;
  getPlan(name: string): Promise<Plan | undefined>;
  listPlans(): Promise<Plan[]>;

  /** Sets a key's subscription; false when no such key. */
  setSubscription(keyId: string, status: SubscriptionStatus, at: Date): Promise<boolean>;
  /** A key's subscription; keys start `active`. Undefined when no such key. */
  getSubscription(keyId: string): Promise<SubscriptionStatus | undefined>;

  /** A setting (e.g. the JWT secret), or undefined. */
  getSetting(name: string): Promise<string | undefined>;
  /** Writes a setting unconditionally. */
  putSetting(name: string, value: string): Promise<void>;
  /**
   * Writes a setting only if absent and returns the value now stored: the caller's when it
   * won, another process's when it lost. Lets instances agree on a generated secret.
   */
  putSettingIfAbsent(name: string, value: string): Promise<string>;

  /** Records analysed video for quotas. */
  recordUsage(usage: UsageRecord): Promise<void>;
  /** Seconds of video a key used in `[from, to)`. */
  usageSeconds(keyId: string, from: Date, to: Date): Promise<number>;

  /** Plan and subscription of a key's account in one read; undefined when no such key. */
  accountLimits(keyId: string): Promise<AccountLimits | undefined>;
  /** Billed seconds counted against the windows now: committed usage plus live reservations. */
  usageTotals(keyId: string, windows: QuotaWindows, now: Date): Promise<UsageTotals>;
  /**
   * Atomically reserves `reservation.billedSeconds` when both windows still have room, else
   * names the window that has not (the period is checked first). Across processes and instances.
   */
  reserveUsage(reservation: Reservation): Promise<'reserved' | 'period' | 'daily'>;
  /** Turns a reservation into billed usage; false when it was not (or no longer) reserved. */
  commitUsage(id: string, at: Date): Promise<boolean>;
  /** Drops a reservation that was not committed (a failed analysis charges nothing). */
  releaseUsage(id: string): Promise<void>;

  /** Throws when the database cannot answer (for `/healthz`). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Name of the plan a key gets when none is given (rpm 60, concurrency 2, 600 period minutes,
 * 60 daily minutes); created by the second migration.
 * @example await store.getPlan(DEFAULT_PLAN) // { name: 'dev', rpm: 60, … }
 */
export const DEFAULT_PLAN = 'dev';
