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
  readonly jitter?: Jitter;
  readonly maxServerDelayMs?: number;
  /** Retry only when the server said when (`Retry-After`, `retry-after-ms`, RetryInfo…). */
  readonly requireServerDelay?: boolean;
  /**
   * The API documents that this error means nothing was done (refused before any work), so
   * even a POST without an idempotency key may be repeated — what `notProcessed` assumes of
   * 429 and of a 503 with `Retry-After`. `false` denies it even for those.
   */
  readonly notProcessed?: boolean;
}

/**
 * How a computed backoff (`base × 2^(n-1)`, capped) is randomised before retry n:
 * - `'full'`: a random draw in [0, backoff) — AWS's "full jitter", which spreads a crowd of
 *   clients best; the default, as a schedule no one documented should not be lock-step;
 * - `'none'`: exactly the backoff, for an API that documents an exact schedule;
 * - `{ maxMs }`: exactly the backoff plus a random extra in [0, maxMs); with
 *   `serverDelays: true` the extra is added to a server's delay too (some APIs ask for it, so
 *   clients all told the same `Retry-After` do not come back at the same instant). Without it
 *   a server's delay is followed exactly, as with `'full'` and `'none'`.
 * @example const documented: Jitter = { maxMs: 1000, serverDelays: true }; // "Retry-After or 2^n s, plus 0–1 s"
 */
export type Jitter = 'full' | 'none' | { readonly maxMs: number; readonly serverDelays?: boolean };

/**
 * How a client retries. Every delay is in milliseconds.
 * @example const exact: RetryPolicy = { ...defaultRetryPolicy, maxAttempts: 5, jitter: 'none', byStatus: { 429: { maxAttempts: 2 } } };
 */
export interface RetryPolicy {
  /** Total attempts, the first included (1 = never retry). */
  readonly maxAttempts: number;
  /** Backoff base: retry n (1-based) backs off base × 2^(n-1), randomised as `jitter` says. */
  readonly baseDelayMs: number;
  /** Cap on computed backoff (a server's delay is capped by `maxServerDelayMs` instead). */
  readonly maxDelayMs: number;
  /** How the backoff is randomised: `'full'` (default), `'none'` or `{ maxMs }` (see `Jitter`). */
  readonly jitter: Jitter;
  /** Longest server-requested delay the client will wait; beyond it, it gives up at once. */
  readonly maxServerDelayMs: number;
  /** Statuses worth retrying when the body does not say otherwise. */
  readonly retryStatuses: ReadonlySet<number>;
  /** Error codes that are retryable whatever their status (e.g. from a catalog's `retryable`). */
  readonly retryCodes?: ReadonlySet<string>;
  /** Codes never retried, even on a retryable status. */
  readonly neverCodes?: ReadonlySet<string>;
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
  jitter: 'full',
  maxServerDelayMs: 120_000,
  retryStatuses: new Set([408, 429, 500, 502, 503, 504]),
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
 * left; safety (idempotent, or an idempotency key, or `notProcessed`, or an override saying
 * so); then the delay — the server's own (not jittered unless `jitter.serverDelays`; beyond
 * `maxServerDelayMs` or the deadline: give up now), else exponential backoff randomised as
 * `jitter` says (full jitter by default).
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
  if (!input.idempotent && !(rule.notProcessed ?? notProcessed(error)))
    return { retry: false, reason: 'unsafe-method' };
  const remaining = input.remainingMs ?? Infinity;
  const random = input.random ?? Math.random;
  // `?? 'full'`: a policy built before `jitter` existed, or cast from partial input, keeps the default.
  const jitter = rule.jitter ?? policy.jitter ?? 'full';
  const extra = typeof jitter === 'object' && jitter.maxMs > 0 ? Math.floor(random() * jitter.maxMs) : 0;
  if (serverDelay !== undefined) {
    if (serverDelay > (rule.maxServerDelayMs ?? policy.maxServerDelayMs))
      return { retry: false, reason: 'delay-too-long' };
    const delayMs = serverDelay + (typeof jitter === 'object' && jitter.serverDelays ? extra : 0);
    if (delayMs > remaining) return { retry: false, reason: 'deadline' };
    return { retry: true, delayMs, reason: 'server-delay' };
  }
  if (rule.requireServerDelay) return { retry: false, reason: 'not-retryable' };
  const cap = Math.min(
    rule.maxDelayMs ?? policy.maxDelayMs,
    (rule.baseDelayMs ?? policy.baseDelayMs) * 2 ** (attempt - 1),
  );
  const delayMs = (jitter === 'full' ? Math.floor(random() * cap) : cap) + extra;
  if (delayMs > remaining) return { retry: false, reason: 'deadline' };
  return { retry: true, delayMs, reason: 'backoff' };
}

function effectiveRule(error: DecodedError, policy: RetryPolicy): RetryOverride {
  const byStatus = policy.byStatus?.[error.status];
  const byCode = error.code === undefined ? undefined : policy.byCode?.[error.code];
  if (!byStatus) return byCode ?? {};
  return byCode ? { ...byStatus, ...byCode } : byStatus;
}
