import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../../src/limits/index.ts';

const prefix = `faultline-test:${randomBytes(6).toString('hex')}:`;
let redis: Redis;
let commands = 0;

beforeAll(async () => {
  redis = new Redis(process.env['FAULTLINE_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = ((...args: Parameters<typeof send>) => {
    commands++;
    return send(...args);
  }) as typeof redis.sendCommand;
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('Redis store', () => {
  it('decides rate and concurrency together in one round trip', async () => {
    const store = createRedisStore({ redis, prefix });
    const check = { subject: 'one-trip', rate: { limit: 5, windowSeconds: 60 }, concurrency: { limit: 2 } };
    await store.decide(check); // loads the script (EVALSHA, then EVAL once)
    commands = 0;
    const decision = await store.decide(check);
    expect(commands).toBe(1);
    expect(decision).toMatchObject({ allowed: true, rateUsed: 2, inFlight: 2 });
  });

  it('admits exactly `limit` of many concurrent requests, and refusals consume nothing', async () => {
    const store = createRedisStore({ redis, prefix });
    const check = { subject: 'burst', rate: { limit: 30, windowSeconds: 60 }, concurrency: { limit: 1000 } };
    const decisions = await Promise.all(Array.from({ length: 200 }, () => store.decide(check)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(30);
    const refused = decisions.find((d) => !d.allowed)!;
    expect(refused).toMatchObject({ rejectedBy: 'rate', rateUsed: 30 });
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
    // 170 refusals took no slot: only the 30 admitted hold leases.
    expect(await redis.zcard(`${prefix}{burst}:leases`)).toBe(30);
  });

  it('sends releases nobody carried within one turn of the event loop, batched per subject', async () => {
    const store = createRedisStore({ redis, prefix });
    const check = { subject: 'batched', concurrency: { limit: 10 } };
    const leases = await Promise.all([store.decide(check), store.decide(check), store.decide(check)]);
    expect(await redis.zcard(`${prefix}{batched}:leases`)).toBe(3);
    commands = 0;
    for (const decision of leases) await store.release('batched', decision.lease!);
    await new Promise((done) => setImmediate(done));
    expect(await redis.zcard(`${prefix}{batched}:leases`)).toBe(0);
    // One ZREM for the three, plus the ZCARD above.
    expect(commands).toBe(2);
  });

  it('sends the releases of many subjects in one command, or carried by the next decision', async () => {
    const store = createRedisStore({ redis, prefix });
    const subjects = ['many-a', 'many-b', 'many-c'];
    const check = (subject: string) => ({ subject, concurrency: { limit: 10 } });
    const turn = () => new Promise((done) => setImmediate(done));
    const releaseAll = async () => {
      const held = await Promise.all(subjects.map((s) => store.decide(check(s))));
      commands = 0;
      for (const [i, decision] of held.entries()) store.release(subjects[i]!, decision.lease!);
    };
    await releaseAll(); // the first call loads the release script (EVALSHA, then EVAL once)
    await turn();
    await releaseAll();
    await turn();
    expect(commands).toBe(1);
    for (const s of subjects) expect(await redis.zcard(`${prefix}{${s}}:leases`)).toBe(0);
    // Released, then another subject decided before the turn ended: one command for all.
    await releaseAll();
    expect(await store.decide(check('many-d'))).toMatchObject({ allowed: true, inFlight: 1 });
    expect(commands).toBe(1);
    for (const s of subjects) expect(await redis.zcard(`${prefix}{${s}}:leases`)).toBe(0);
  });

  it('gives back every lease of a batch, whether it leaves alone, with others, or with a decision', async () => {
    const store = createRedisStore({ redis, prefix });
    const check = (subject: string) => ({ subject, concurrency: { limit: 10 } });
    const hold = (subject: string, n: number) =>
      Promise.all(Array.from({ length: n }, () => store.decide(check(subject))));
    const giveBack = (subject: string, held: { lease?: unknown }[]) => {
      for (const decision of held) store.release(subject, decision.lease as string);
    };
    const turn = () => new Promise((done) => setImmediate(done));
    const inFlight = (subject: string) => redis.zcard(`${prefix}{${subject}}:leases`);
    // Three leases of two subjects, carried by a decision of one of them and of a third.
    const [x, y] = [await hold('batch-x', 3), await hold('batch-y', 3)];
    giveBack('batch-x', x);
    giveBack('batch-y', y);
    expect(await store.decide(check('batch-y'))).toMatchObject({ allowed: true, inFlight: 1 });
    expect([await inFlight('batch-x'), await inFlight('batch-y')]).toEqual([0, 1]);
    // Three leases of two subjects, left together in one call.
    const [x2, z] = [await hold('batch-x', 3), await hold('batch-z', 3)];
    giveBack('batch-x', x2);
    giveBack('batch-z', z);
    await turn();
    expect([await inFlight('batch-x'), await inFlight('batch-z')]).toEqual([0, 0]);
  });

  it('releases a lease, and lets a lapsed one go by itself', async () => {
    const store = createRedisStore({ redis, prefix, leaseMs: 200 });
    const check = { subject: 'lease', concurrency: { limit: 1 } };
    const first = await store.decide(check);
    expect((await store.decide(check)).rejectedBy).toBe('concurrency');
    await store.release('lease', first.lease!);
    const second = await store.decide(check);
    expect(second.allowed).toBe(true);
    // The holder "crashes": no release. The lease lapses after its TTL.
    const deadline = Date.now() + 5000;
    let freed = false;
    while (!freed && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 50));
      freed = (await store.decide(check)).allowed;
    }
    expect(freed).toBe(true);
  });
});
