import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/limits/index.ts';

describe('memory store', () => {
  it('admits exactly `limit` in any trailing window, whatever the arrival times (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 150 }),
        async (limit, gaps) => {
          let now = 0;
          const store = createMemoryStore({ now: () => now });
          const admitted: number[] = [];
          for (const gap of gaps) {
            now += gap;
            const decision = await store.decide({ subject: 's', rate: { limit, windowSeconds: 1 } });
            // Reference: count admissions in (now - 1000, now].
            const inWindow = admitted.filter((t) => t > now - 1000).length;
            expect(decision.allowed).toBe(inWindow < limit);
            if (decision.allowed) admitted.push(now);
            else expect(decision.retryAfterMs).toBeGreaterThan(0);
          }
        },
      ),
    );
  });

  it('gives the wait until the oldest admission leaves the window', async () => {
    let now = 1000;
    const store = createMemoryStore({ now: () => now });
    const rate = { limit: 2, windowSeconds: 60 };
    expect((await store.decide({ subject: 'k', rate })).allowed).toBe(true);
    now += 10_000;
    const second = await store.decide({ subject: 'k', rate });
    expect(second).toMatchObject({ allowed: true, rateUsed: 2, rateResetMs: 50_000 });
    const third = await store.decide({ subject: 'k', rate });
    expect(third).toMatchObject({ allowed: false, rejectedBy: 'rate', retryAfterMs: 50_000 });
    now += 50_000;
    expect((await store.decide({ subject: 'k', rate })).allowed).toBe(true);
  });

  it('a request refused by concurrency consumes no rate, and one refused by rate takes no slot', async () => {
    const now = 0;
    const store = createMemoryStore({ now: () => now });
    const check = { subject: 'k', rate: { limit: 3, windowSeconds: 60 }, concurrency: { limit: 1 } };
    const held = await store.decide(check);
    expect(held).toMatchObject({ allowed: true, inFlight: 1 });
    for (let i = 0; i < 5; i++)
      expect(await store.decide(check)).toMatchObject({ rejectedBy: 'concurrency' });
    await store.release('k', held.lease!);
    // Only the first admission counted: two more fit the rate.
    const next = await store.decide(check);
    expect(next).toMatchObject({ allowed: true, rateUsed: 2 });
    await store.release('k', next.lease!);
    await store.release('k', (await store.decide(check)).lease!);
    expect(await store.decide(check)).toMatchObject({ rejectedBy: 'rate', inFlight: 0 });
  });

  it('frees the slot of a holder that never released, after the lease TTL; renew keeps it', async () => {
    let now = 0;
    const store = createMemoryStore({ now: () => now, leaseMs: 1000 });
    const check = { subject: 'k', concurrency: { limit: 1 } };
    const renewed = await store.decide(check);
    now = 900;
    await store.renew('k', renewed.lease!);
    now = 1500;
    expect((await store.decide(check)).allowed).toBe(false);
    now = 1901;
    expect((await store.decide(check)).allowed).toBe(true);
  });

  it('stays within maxSubjects, forgetting idle subjects first', async () => {
    let now = 0;
    const store = createMemoryStore({ now: () => now, maxSubjects: 3 });
    const busy = await store.decide({ subject: 'busy', concurrency: { limit: 1 } });
    expect(busy.allowed).toBe(true);
    for (const subject of ['a', 'b', 'c', 'd', 'e']) {
      now += 10;
      await store.decide({ subject, rate: { limit: 1, windowSeconds: 0.001 } });
    }
    // 'busy' still holds its slot: it was not the one evicted.
    expect((await store.decide({ subject: 'busy', concurrency: { limit: 1 } })).allowed).toBe(false);
  });

  it('adopts a changed limit without losing the admissions it already counted', async () => {
    const now = 0;
    const store = createMemoryStore({ now: () => now });
    for (let i = 0; i < 3; i++) await store.decide({ subject: 'k', rate: { limit: 5, windowSeconds: 60 } });
    expect(await store.decide({ subject: 'k', rate: { limit: 2, windowSeconds: 60 } })).toMatchObject({
      allowed: false,
    });
    expect(await store.decide({ subject: 'k', rate: { limit: 4, windowSeconds: 60 } })).toMatchObject({
      allowed: true,
      rateUsed: 3,
    });
  });
});
