/**
 * The state of one account's bucket after a request took (or failed to take) a token.
 * @example const { allowed, headers, retryAfter }: BucketResult = buckets.take(account);
 */
export interface BucketResult {
  readonly allowed: boolean;
  /** The headers every authenticated response carries. */
  readonly headers: Record<string, string>;
  /** Seconds until one token is back (only when refused). */
  readonly retryAfter: number;
}

/**
 * A token bucket per account: `capacity` tokens, refilled evenly over a minute, one per request.
 * @example const limiter = tokenBuckets(60, Date.now); limiter.take('acct').allowed
 */
export function tokenBuckets(capacity: number, now: () => number) {
  const perMs = capacity / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key: string): BucketResult {
      const t = now();
      const bucket = buckets.get(key) ?? { tokens: capacity, at: t };
      bucket.tokens = Math.min(capacity, bucket.tokens + (t - bucket.at) * perMs);
      bucket.at = t;
      buckets.set(key, bucket);
      const allowed = bucket.tokens >= 1;
      if (allowed) bucket.tokens -= 1;
      const fullInMs = (capacity - bucket.tokens) / perMs;
      const retryAfter = allowed ? 0 : Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
      return {
        allowed,
        retryAfter,
        headers: {
          'x-ratelimit-limit': String(capacity),
          'x-ratelimit-remaining': String(Math.floor(bucket.tokens)),
          'x-ratelimit-reset': String(Math.ceil((t + fullInMs) / 1000)),
        },
      };
    },
  };
}

/**
 * Failed authentications per address in a sliding minute. Once an address reaches the limit,
 * every attempt from it is refused before its secret is even looked at, so a guesser learns
 * nothing until the minute has passed.
 * @example const guard = authFailures(30, Date.now); if (guard.blockedFor(ip) > 0) refuse();
 */
export function authFailures(limit: number, now: () => number) {
  const failures = new Map<string, number[]>();
  const recent = (ip: string): number[] => {
    const cutoff = now() - 60_000;
    const list = (failures.get(ip) ?? []).filter((at) => at > cutoff);
    if (list.length) failures.set(ip, list);
    else failures.delete(ip);
    return list;
  };
  return {
    /** Seconds until the address may try again; 0 when it may now. */
    blockedFor(ip: string): number {
      const list = recent(ip);
      if (list.length < limit) return 0;
      return Math.max(1, Math.ceil((list[list.length - limit]! + 60_000 - now()) / 1000));
    },
    fail(ip: string): void {
      failures.set(ip, [...recent(ip), now()]);
    },
  };
}
