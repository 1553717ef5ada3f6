import type { DecodedError } from '../formats/types.ts';

/** How a client retries. Every delay is in milliseconds. */
export interface RetryPolicy {
  /** Total attempts, the first included (1 = never retry). */
  readonly maxAttempts: number;
  /** Backoff base: attempt n (1-based retry) waits base × 2^(n-1) when the server gave no delay. */
  readonly baseDelayMs: number;
  /** Cap on computed backoff (a server's Retry-After is honoured up to `maxServerDelayMs`). */
  readonly maxDelayMs: number;
  /** Random extra delay in [0, jitterMs) added to computed backoff, never to a server's delay. */
  readonly jitterMs: number;
  /** Longest server-requested delay the client will wait; beyond it, it gives up. */
  readonly maxServerDelayMs: number;
  /** Statuses worth retrying when the body does not say otherwise. */
  readonly retryStatuses: ReadonlySet<number>;
  /** Error codes that are retryable whatever their status (e.g. from a catalog's `retryable`). */
  readonly retryCodes?: ReadonlySet<string>;
  /** Codes never retried, even on a retryable status. */
  readonly neverCodes?: ReadonlySet<string>;
}

/** Retry on 408, 429, 500, 502, 503, 504; three attempts; 1 s doubling with up to 1 s of jitter. */
export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  jitterMs: 1000,
  maxServerDelayMs: 120_000,
  retryStatuses: new Set([408, 429, 500, 502, 503, 504]),
};

/** The decision for one failed attempt. */
export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number; readonly reason: 'server-delay' | 'backoff' }
  | {
      readonly retry: false;
      readonly reason: 'not-retryable' | 'attempts-exhausted' | 'delay-too-long' | 'unsafe-method';
    };

/** What the policy looks at: the decoded error, which attempt failed, and whether repeating is safe. */
export interface RetryInput {
  readonly error: DecodedError;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** False for a non-idempotent request without an idempotency key. */
  readonly idempotent: boolean;
  /** Source of randomness in [0, 1), injectable for tests. */
  readonly random?: () => number;
}

/**
 * Decides whether and when to retry: a server's `Retry-After` is followed exactly; otherwise
 * exponential backoff with jitter for retryable statuses and codes. A non-idempotent request is
 * retried only when the server explicitly asked (Retry-After) — it then promised the request was not processed.
 * @example decideRetry({ error, attempt: 1, idempotent: true }) // { retry: true, delayMs: 30000, reason: 'server-delay' }
 */
export function decideRetry(input: RetryInput, policy: RetryPolicy = defaultRetryPolicy): RetryDecision {
  const { error, attempt } = input;
  if (error.code !== undefined && policy.neverCodes?.has(error.code))
    return { retry: false, reason: 'not-retryable' };
  const byCode = error.code !== undefined && policy.retryCodes?.has(error.code) === true;
  const serverDelay = error.retryAfterMs;
  if (!byCode && !policy.retryStatuses.has(error.status) && serverDelay === undefined)
    return { retry: false, reason: 'not-retryable' };
  if (attempt >= policy.maxAttempts) return { retry: false, reason: 'attempts-exhausted' };
  if (serverDelay !== undefined) {
    if (serverDelay > policy.maxServerDelayMs) return { retry: false, reason: 'delay-too-long' };
    return { retry: true, delayMs: serverDelay, reason: 'server-delay' };
  }
  if (!input.idempotent) return { retry: false, reason: 'unsafe-method' };
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jitter = policy.jitterMs > 0 ? Math.floor((input.random ?? Math.random)() * policy.jitterMs) : 0;
  return { retry: true, delayMs: backoff + jitter, reason: 'backoff' };
}
