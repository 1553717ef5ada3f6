import { randomUUID } from 'node:crypto';
import { utcDay, utcMonth } from 'faultline/limits';
import { signals } from '../catalog.ts';
import type { Plan, QuotaWindows, Store } from '../db/store.ts';

/**
 * The billing period (calendar month, UTC) and the UTC day that contain `now`.
 * @example quotaWindows(Date.parse('2026-05-31T23:00:00Z')).dayTo // 2026-06-01T00:00:00.000Z
 */
export function quotaWindows(now: number): QuotaWindows {
  const month = utcMonth(now);
  const day = utcDay(now);
  return {
    periodFrom: new Date(month.start),
    periodTo: new Date(month.end),
    dayFrom: new Date(day.start),
    dayTo: new Date(day.end),
  };
}

/**
 * ih3003 (billing period used up; Retry-After until the next period) or ih3004 (day used up;
 * `reset_time` = next UTC midnight, Retry-After until then).
 * @example throw quotaError('daily', Date.now());
 */
export function quotaError(window: 'period' | 'daily', now: number): Error {
  const w = quotaWindows(now);
  if (window === 'period')
    return signals.error('ih3003', undefined, { retryAfterSeconds: secondsUntil(w.periodTo, now) });
  return signals.error(
    'ih3004',
    { reset_time: w.dayTo.toISOString() },
    { retryAfterSeconds: secondsUntil(w.dayTo, now) },
  );
}

/**
 * Refuses before the body is read when a window has nothing left (ih3003, then ih3004).
 * @example await precheckQuota(store, keyId, plan, now());
 */
export async function precheckQuota(store: Store, keyId: string, plan: Plan, now: number): Promise<void> {
  const used = await store.usageTotals(keyId, quotaWindows(now), new Date(now));
  if (used.periodSeconds >= plan.periodMinutes * 60) throw quotaError('period', now);
  if (used.daySeconds >= plan.dailyMinutes * 60) throw quotaError('daily', now);
}

/**
 * Minutes held for one analysis. `commit()` bills them; `release()` gives them back unless
 * committed (call it in `finally`: a failed analysis charges nothing).
 * @example const charge = await reserveMinutes(...); try { await analyze(); await charge.commit(); } finally { await charge.release(); }
 */
export interface Charge {
  /** Whole seconds reserved: `ceil(duration_seconds)`, i.e. `ceil(duration_seconds) / 60` minutes. */
  readonly billedSeconds: number;
  commit(): Promise<void>;
  release(): Promise<void>;
}

/**
 * Options of `reserveMinutes`.
 * @example const options: ReserveOptions = { store, keyId, plan, correlationId, videoSeconds: 59.9, now: Date.now(), holdMs: 180_000 };
 */
export interface ReserveOptions {
  readonly store: Store;
  readonly keyId: string;
  readonly plan: Plan;
  readonly correlationId: string;
  readonly videoSeconds: number;
  readonly now: number;
  /** How long the reservation lives uncommitted (longer than any analysis). */
  readonly holdMs: number;
}

/**
 * Atomically reserves the video's minutes in the database, or throws ih3003 / ih3004.
 * @example const charge = await reserveMinutes({ store, keyId, plan, correlationId, videoSeconds: 60, now: Date.now(), holdMs: 180_000 });
 */
export async function reserveMinutes(options: ReserveOptions): Promise<Charge> {
  const { store, now } = options;
  const id = randomUUID();
  const billedSeconds = Math.ceil(options.videoSeconds);
  const verdict = await store.reserveUsage({
    ...quotaWindows(now),
    id,
    keyId: options.keyId,
    correlationId: options.correlationId,
    videoSeconds: options.videoSeconds,
    billedSeconds,
    at: new Date(now),
    expiresAt: new Date(now + options.holdMs),
    periodLimitSeconds: options.plan.periodMinutes * 60,
    dailyLimitSeconds: options.plan.dailyMinutes * 60,
  });
  if (verdict !== 'reserved') throw quotaError(verdict, now);
  let settled = false;
  return {
    billedSeconds,
    async commit() {
      if (settled) return;
      settled = true;
      await store.commitUsage(id, new Date(now));
    },
    async release() {
      if (settled) return;
      settled = true;
      await store.releaseUsage(id);
    },
  };
}

function secondsUntil(at: Date, now: number): number {
  return Math.max(1, Math.ceil((at.getTime() - now) / 1000));
}
