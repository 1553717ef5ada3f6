import { describe, expect, it } from 'vitest';
import { type RateLimitPolicy, rateLimitFields } from '../../src/http/rate-limit-headers.ts';
import { createHeaderCache } from '../../src/limits/headers.ts';
import type { Decision, LimitCheck } from '../../src/limits/types.ts';

/** The fields as `rateLimitFields` writes them from scratch: what the cache must always match. */
function expected(check: LimitCheck, d: Decision): Record<string, string> {
  const policies: RateLimitPolicy[] = [];
  if (check.rate) {
    const refused = d.rejectedBy === 'rate';
    policies.push({
      name: check.rate.policy ?? 'rate',
      quota: check.rate.limit,
      windowSeconds: check.rate.windowSeconds,
      remaining: refused ? 0 : check.rate.limit - d.rateUsed,
      resetSeconds: (refused ? d.retryAfterMs : d.rateResetMs) / 1000,
    });
  }
  if (check.concurrency)
    policies.push({
      name: check.concurrency.policy ?? 'concurrency',
      quota: check.concurrency.limit,
      unit: 'concurrent-requests',
      remaining: d.rejectedBy === 'concurrency' ? 0 : check.concurrency.limit - d.inFlight,
    });
  return rateLimitFields(policies);
}

describe('createHeaderCache', () => {
  it('matches rateLimitFields for every decision while resets, slots and rule sets change', () => {
    const fields = createHeaderCache();
    const checks: LimitCheck[] = [
      { subject: 'a', rate: { limit: 10, windowSeconds: 60, policy: 'rpm' }, concurrency: { limit: 3 } },
      { subject: 'b', rate: { limit: 5, windowSeconds: 1 } },
      { subject: 'c', concurrency: { limit: 2, policy: 'uploads' } },
      { subject: 'd' },
    ];
    // A fixed pseudo-random walk: the same reset and slots repeat (cache hits) and change (misses).
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 2000; i++) {
      const check = checks[next(checks.length)]!;
      const refusal = next(6);
      const decision: Decision = {
        allowed: refusal > 1,
        ...(refusal === 0 ? { rejectedBy: 'rate' as const } : {}),
        ...(refusal === 1 ? { rejectedBy: 'concurrency' as const } : {}),
        rateUsed: next(11),
        rateResetMs: next(3) * 1000 + next(2) * 250,
        inFlight: next(4),
        retryAfterMs: next(3) * 700,
      };
      expect(fields(check, decision)).toEqual(expected(check, decision));
    }
  });

  it('writes both policies and the changing state of one rule set', () => {
    const fields = createHeaderCache();
    const check: LimitCheck = {
      subject: 'a',
      rate: { limit: 60, windowSeconds: 60, policy: 'rpm' },
      concurrency: { limit: 2, policy: 'concurrency' },
    };
    const base = { allowed: true, retryAfterMs: 0 };
    expect(fields(check, { ...base, rateUsed: 1, rateResetMs: 60_000, inFlight: 1 })).toEqual({
      'ratelimit-policy': '"rpm";q=60;w=60, "concurrency";q=2;qu="concurrent-requests"',
      ratelimit: '"rpm";r=59;t=60, "concurrency";r=1',
    });
    expect(fields(check, { ...base, rateUsed: 2, rateResetMs: 59_500, inFlight: 1 })['ratelimit']).toBe(
      '"rpm";r=58;t=60, "concurrency";r=1',
    );
    expect(fields(check, { ...base, rateUsed: 3, rateResetMs: 58_000, inFlight: 2 })['ratelimit']).toBe(
      '"rpm";r=57;t=58, "concurrency";r=0',
    );
  });
});
