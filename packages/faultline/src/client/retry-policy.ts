import type { DecodedError } from '../formats/types.ts';

/**
 * What an override may change for the errors it matches (`byCode`, `byStatus`).
 * @example const once: RetryOverride = { maxAttempts: 2, requireServerDelay: true }; // "429: retry once after Retry-After"
 */
export interface RetryOverride {
  /** `true`: retryable whatever the status; `false`: never retried. */
  readonly retry?: boolean;
  /** Total attempts of a call that fails with this error, the first included (1 = never retry). */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly jitter?: 'full' | 'none';
  readonly jitterMs?: number;
  readonly maxServerDelayMs?: number;
  /** Retry only when the server said when (`Retry-After`, `retry-after-ms`, RetryInfo…). */
  readonly requireServerDelay?: boolean;
}

/**
 * How a client retries. Every delay is in milliseconds.
 * @example const policy: RetryPolicy = { ...defaultRetryPolicy, maxAttempts: 5, byStatus: { 429: { maxAttempts: 2 } } };
 */
export interface RetryPolicy {
  /** Total attempts, the first included (1 = never retry). */
  readonly maxAttempts: number;
  /** Backoff base: retry n (1-based) draws from [0, base × 2^(n-1)) with full jitter. */
  readonly baseDelayMs: number;
  /** Cap on computed backoff (a server's delay is capped by `maxServerDelayMs` instead). */
  readonly maxDelayMs: number;
  /** Extra random delay in [0, jitterMs) added to computed backoff, never to a server's delay. */
  readonly jitterMs: number;
  /** Longest server-requested delay the client will wait; beyond it, it gives up at once. */
  readonly maxServerDelayMs: number;
  /** Statuses worth retrying when the body does not say otherwise. */
  readonly retryStatuses: ReadonlySet<number>;
  /** Error codes that are retryable whatever their status (e.g. from a catalog's `retryable`). */
  readonly retryCodes?: ReadonlySet<string>;
  /** Codes never retried, even on a retryable status. */
  readonly neverCodes?: ReadonlySet<string>;
  /**
   * `full` (default): the backoff is a random draw in [0, cap) — AWS's "full jitter", which
   * spreads a crowd of clients best. `none`: exactly base × 2^(n-1) (plus `jitterMs`).
   */
  readonly jitter?: 'full' | 'none';
  /** Per-code rules; they win over `byStatus` and the fields above. */
  readonly byCode?: Readonly<Record<string, RetryOverride>>;
  /** Per-status rules; they win over the fields above. */
  readonly byStatus?: Readonly<Record<number, RetryOverride>>;
}

/**
 * Retry on 408, 429, 500, 502, 503, 504 and network failures; three attempts; 1 s doubling
 * backoff with full jitter; a server's delay is followed up to two minutes.
 * @example createClient({ baseUrl, policy: { ...defaultRetryPolicy, maxAttempts: 5 } })
 */
export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  jitterMs: 0,
  maxServerDelayMs: 120_000,
  retryStatuses: new Set([408, 429, 500, 502, 503, 504]),
  jitter: 'full',
};

/**
 * Why a call is not retried (`ResponseError.reason`).
 * @example if (error.reason === 'budget-exhausted') alertOps();
 */
export type StopReason =
  | 'not-retryable'
  | 'server-said-no'
  | 'attempts-exhausted'
  | 'delay-too-long'
  | 'deadline'
  | 'unsafe-method'
  | 'budget-exhausted'
  | 'streamed-body'
  | 'aborted';

/**
 * The decision for one failed attempt.
 * @example const d: RetryDecision = { retry: true, delayMs: 30_000, reason: 'server-delay' };
 */
export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number; readonly reason: 'server-delay' | 'backoff' }
  | { readonly retry: false; readonly reason: StopReason };

/**
 * What the policy looks at: the decoded error, which attempt failed, and whether repeating is safe.
 * @example decideRetry({ error, attempt: 2, idempotent: false, remainingMs: 10_000 } satisfies RetryInput)
 */
export interface RetryInput {
  readonly error: DecodedError;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** True for GET, HEAD, PUT, DELETE, OPTIONS and for a request carrying an `Idempotency-Key`. */
  readonly idempotent: boolean;
  /** Source of randomness in [0, 1), injectable for tests. */
  readonly random?: () => number;
  /** Time left before the call's deadline; a longer wait fails fast. */
  readonly remainingMs?: number;
}

/**
 * Whether the status itself says the request was not processed, so even a POST may be sent
 * again: 429 (refused before any work) and a 503 that says when to come back. A 500 never is:
 * the server may have done part of the work.
 * @example notProcessed({ status: 503, retryAfterMs: 30_000 } as DecodedError) // true
 */
export function notProcessed(error: DecodedError): boolean {
  return error.status === 429 || (error.status === 503 && error.retryAfterMs !== undefined);
}

/**
 * Decides whether and when to retry, in this order: the server's explicit "do not retry"
 * (`x-should-retry: false`); the policy (per-code over per-status over defaults); attempts
 * left; safety (idempotent, or an idempotency key, or `notProcessed`); then the delay — the
 * server's own (never jittered; beyond `maxServerDelayMs` or the deadline: give up now), else
 * exponential backoff with full jitter.
 * @example decideRetry({ error, attempt: 1, idempotent: true }) // { retry: true, delayMs: 30000, reason: 'server-delay' }
 */
export function decideRetry(input: RetryInput, policy: RetryPolicy = defaultRetryPolicy): RetryDecision {
  const { error, attempt } = input;
  if (error.shouldRetry === false) return { retry: false, reason: 'server-said-no' };
  const rule = effectiveRule(error, policy);
  const serverDelay = error.retryAfterMs;
  const retryable =
    rule.retry ??
    (error.code !== undefined && policy.neverCodes?.has(error.code)
      ? false
      : (error.code !== undefined && policy.retryCodes?.has(error.code) === true) ||
        policy.retryStatuses.has(error.status) ||
        error.format === 'network' ||
        error.shouldRetry === true ||
        (serverDelay !== undefined && error.status >= 400));
  if (!retryable) return { retry: false, reason: 'not-retryable' };
  if (attempt >= (rule.maxAttempts ?? policy.maxAttempts))
    return { retry: false, reason: 'attempts-exhausted' };
  if (!input.idempotent && !notProcessed(error)) return { retry: false, reason: 'unsafe-method' };
  const remaining = input.remainingMs ?? Number.POSITIVE_INFINITY;
  if (serverDelay !== undefined) {
    if (serverDelay > (rule.maxServerDelayMs ?? policy.maxServerDelayMs))
      return { retry: false, reason: 'delay-too-long' };
    if (serverDelay > remaining) return { retry: false, reason: 'deadline' };
    return { retry: true, delayMs: serverDelay, reason: 'server-delay' };
  }
  if (rule.requireServerDelay) return { retry: false, reason: 'not-retryable' };
  const random = input.random ?? Math.random;
  const cap = Math.min(
    rule.maxDelayMs ?? policy.maxDelayMs,
    (rule.baseDelayMs ?? policy.baseDelayMs) * 2 ** (attempt - 1),
  );
  const jitterMs = rule.jitterMs ?? policy.jitterMs;
  const backoff = (rule.jitter ?? policy.jitter ?? 'full') === 'full' ? Math.floor(random() * cap) : cap;
  const delayMs = backoff + (jitterMs > 0 ? Math.floor(random() * jitterMs) : 0);
  if (delayMs > remaining) return { retry: false, reason: 'deadline' };
  return { retry: true, delayMs, reason: 'backoff' };
}

function effectiveRule(error: DecodedError, policy: RetryPolicy): RetryOverride {
  const byStatus = policy.byStatus?.[error.status];
  const byCode = error.code === undefined ? undefined : policy.byCode?.[error.code];
  if (!byStatus) return byCode ?? {};
  return byCode ? { ...byStatus, ...byCode } : byStatus;
}
