import { describe, expect, it, vi } from 'vitest';
import { rateLimitFields } from '../../src/http/index.ts';
import { defineCatalog } from '../../src/index.ts';
import { createLimiter, createMemoryStore, type LimitStore } from '../../src/limits/index.ts';

const entry = { category: 'Limits', fix: ['Wait.'], retryable: true } as const;
const api = defineCatalog({
  name: 'limits-test',
  entries: {
    RATE: { ...entry, title: 'Rate', status: 429, message: 'Slow down ({limit}/min).' },
    BUSY: { ...entry, title: 'Busy', status: 429, message: 'Too many at once.', retryAfterSeconds: 2 },
    DOWN: { ...entry, title: 'Down', status: 503, message: 'Try later.' },
  },
});

const errors = {
  rate: (i: { limit: number; retryAfterSeconds: number; headers: Readonly<Record<string, string>> }) =>
    api.error('RATE', { limit: i.limit }, { retryAfterSeconds: i.retryAfterSeconds, headers: i.headers }),
  concurrency: (i: { headers: Readonly<Record<string, string>> }) =>
    api.error('BUSY', {}, { headers: i.headers }),
  unavailable: (i: { retryAfterSeconds: number; cause: unknown }) =>
    api.error('DOWN', {}, { retryAfterSeconds: i.retryAfterSeconds, cause: i.cause }),
};

function flaky(): LimitStore & { broken: boolean } {
  const inner = createMemoryStore({ now: () => 0 });
  const store = {
    ...inner,
    broken: false,
    async decide(check: Parameters<LimitStore['decide']>[0]) {
      if (store.broken) throw new Error('connect ECONNREFUSED');
      return inner.decide(check);
    },
  };
  return store;
}

describe('createLimiter', () => {
  it('sends RateLimit-Policy and RateLimit for every rule, and Retry-After equal to the reset on a 429', async () => {
    let now = 0;
    const limiter = createLimiter({ store: createMemoryStore({ now: () => now }), errors });
    const check = {
      subject: 'k',
      rate: { limit: 2, windowSeconds: 60, policy: 'rpm' },
      concurrency: { limit: 3 },
    };
    const first = await limiter.admit(check);
    expect(first.headers).toEqual({
      'ratelimit-policy': '"rpm";q=2;w=60, "concurrency";q=3;qu="concurrent-requests"',
      ratelimit: '"rpm";r=1;t=60, "concurrency";r=2',
    });
    now = 15_000;
    (await limiter.admit(check)).release();
    first.release();
    first.release(); // idempotent
    const error = await limiter.admit(check).catch((e: unknown) => e);
    expect(error).toMatchObject({ id: 'RATE', retryAfterSeconds: 45 });
    expect((error as { headers: Record<string, string> }).headers['ratelimit']).toBe(
      '"rpm";r=0;t=45, "concurrency";r=3',
    );
  });

  it('open: a failing store admits unchecked, logged once per outage with its cause, and again when back', async () => {
    const store = flaky();
    const log = { error: vi.fn(), info: vi.fn() };
    const limiter = createLimiter({ store, errors, log });
    const check = { subject: 'k', rate: { limit: 1, windowSeconds: 60 } };
    await limiter.admit(check);
    store.broken = true;
    for (let i = 0; i < 5; i++) expect(await limiter.admit(check)).toMatchObject({ unchecked: true });
    expect(log.error).toHaveBeenCalledTimes(1);
    expect(log.error.mock.calls[0]![0].err).toBeInstanceOf(Error);
    store.broken = false;
    // Never a false refusal during the outage; after it, the real state answers.
    await expect(limiter.admit(check)).rejects.toMatchObject({ id: 'RATE' });
    expect(log.info).toHaveBeenCalledTimes(1);
    expect((await limiter.health()).ok).toBe(true);
  });

  it('closed: a failing store answers the unavailable error with Retry-After, never a limit error', async () => {
    const store = flaky();
    store.broken = true;
    const limiter = createLimiter({
      store,
      errors,
      onStoreFailure: 'closed',
      unavailableRetryAfterSeconds: 7,
    });
    await expect(
      limiter.admit({ subject: 'k', rate: { limit: 1, windowSeconds: 60 } }),
    ).rejects.toMatchObject({
      id: 'DOWN',
      retryAfterSeconds: 7,
    });
  });

  it('admitNow answers a memory store in the same call and throws its refusals there', () => {
    const limiter = createLimiter({ store: createMemoryStore({ now: () => 0 }), errors });
    const check = { subject: 'k', rate: { limit: 1, windowSeconds: 60 } };
    const admission = limiter.admitNow(check);
    expect(admission).not.toBeInstanceOf(Promise);
    expect(admission).toMatchObject({ unchecked: false });
    expect(() => limiter.admitNow(check)).toThrow(expect.objectContaining({ id: 'RATE' }));
    // A store that throws synchronously is a failing store, not a limit hit.
    const broken = createMemoryStore();
    broken.decide = () => {
      throw new Error('corrupt');
    };
    expect(createLimiter({ store: broken, errors }).admitNow(check)).toMatchObject({ unchecked: true });
    expect(() => createLimiter({ store: broken, errors, onStoreFailure: 'closed' }).admitNow(check)).toThrow(
      expect.objectContaining({ id: 'DOWN' }),
    );
  });

  it('writes the same RateLimit fields as rateLimitFields for every rule set, however plans interleave', async () => {
    const limiter = createLimiter({ store: createMemoryStore({ now: () => 0 }), errors });
    const rules = [
      { rate: { limit: 3, windowSeconds: 60, policy: 'rpm' }, concurrency: { limit: 2 } },
      { rate: { limit: 5, windowSeconds: 1 } },
      { concurrency: { limit: 4, policy: 'say "hi"' } },
      { rate: { limit: 3, windowSeconds: 30, policy: 'rpm' }, concurrency: { limit: 2 } },
      { rate: { limit: 4, windowSeconds: 60, policy: 'rpm' }, concurrency: { limit: 2 } },
      { rate: { limit: 3, windowSeconds: 60, policy: 'rpm' }, concurrency: { limit: 9 } },
      { rate: { limit: 3, windowSeconds: 60, policy: 'uploads' }, concurrency: { limit: 2 } },
      { rate: { limit: 3, windowSeconds: 60, policy: 'rpm' }, concurrency: { limit: 2, policy: 'slots' } },
    ];
    for (let i = 0; i < 24; i++) {
      const rule = rules[(i * 5) % rules.length]!;
      // A fresh subject: one admission used, one slot held, the window resets in full.
      const admission = await limiter.admit({ subject: `s${i}`, ...rule });
      const policies = [];
      if (rule.rate)
        policies.push({
          name: rule.rate.policy ?? 'rate',
          quota: rule.rate.limit,
          windowSeconds: rule.rate.windowSeconds,
          remaining: rule.rate.limit - 1,
          resetSeconds: rule.rate.windowSeconds,
        });
      if (rule.concurrency)
        policies.push({
          name: rule.concurrency.policy ?? 'concurrency',
          quota: rule.concurrency.limit,
          unit: 'concurrent-requests',
          remaining: rule.concurrency.limit - 1,
        });
      expect(admission.headers).toEqual(rateLimitFields(policies));
    }
  });
});
