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

  it('slides the rate window: times leave it as it passes, and the list outlives its newest time', async () => {
    const store = createRedisStore({ redis, prefix });
    const check = { subject: 'slide', rate: { limit: 3, windowSeconds: 2 } };
    const first = await store.decide(check);
    expect(first).toMatchObject({ allowed: true, rateUsed: 1, rateResetMs: 2000 });
    await new Promise((done) => setTimeout(done, 300));
    await store.decide(check);
    await store.decide(check);
    const refused = await store.decide(check);
    expect(refused).toMatchObject({ allowed: false, rejectedBy: 'rate', rateUsed: 3 });
    // The first admission leaves the window first: the wait is what is left of its second.
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(1700);
    const ttl = await redis.pttl(`${prefix}{slide}:log`);
    expect(ttl).toBeGreaterThan(2000);
    expect(ttl).toBeLessThanOrEqual(4000);
    // Once the first time has left, exactly one more fits; the two later ones still count.
    await new Promise((done) => setTimeout(done, refused.retryAfterMs + 20));
    const [again, over] = await Promise.all([store.decide(check), store.decide(check)]);
    expect(again).toMatchObject({ allowed: true, rateUsed: 3 });
    expect(over).toMatchObject({ allowed: false, rejectedBy: 'rate', rateUsed: 3 });
    expect(await redis.llen(`${prefix}{slide}:log`)).toBe(3);
    // A refused request consumed nothing, and the popping renewed the list's life.
    expect(await redis.pttl(`${prefix}{slide}:log`)).toBeGreaterThan(2000);
  });

  it('keeps each key alive past its newest entry, writing its TTL only when it runs low', async () => {
    // Windows of 2 s: a late timer (a loaded machine) has ~1.9 s of slack before a key could end.
    const store = createRedisStore({ redis, prefix, leaseMs: 2000 });
    const check = { subject: 'ttl', rate: { limit: 100, windowSeconds: 2 }, concurrency: { limit: 100 } };
    const log = `${prefix}{ttl}:log`;
    const leases = `${prefix}{ttl}:leases`;
    await store.decide(check);
    // Created: two windows (lease TTLs) ahead.
    for (const key of [log, leases]) {
      expect(await redis.pttl(key)).toBeGreaterThan(3000);
      expect(await redis.pttl(key)).toBeLessThanOrEqual(4000);
    }
    await new Promise((done) => setTimeout(done, 300));
    const before = await redis.pttl(leases);
    await store.decide(check);
    // More than a window left: not rewritten (it did not jump back to 4000).
    expect(await redis.pttl(leases)).toBeLessThanOrEqual(before);
    await new Promise((done) => setTimeout(done, 1800));
    // Less than a window left now: the next admission renews both keys, so its own time and
    // lease (2000 ms from now) end before the keys do.
    await store.decide(check);
    for (const key of [log, leases]) expect(await redis.pttl(key)).toBeGreaterThan(2000);
    expect(await redis.zcard(leases)).toBe(3);
  });

  it('drops a long run of times that left the window at once, keeping the later ones', async () => {
    const store = createRedisStore({ redis, prefix });
    const check = { subject: 'long-run', rate: { limit: 100, windowSeconds: 2 } };
    const start = Date.now();
    await Promise.all(Array.from({ length: 40 }, () => store.decide(check)));
    await new Promise((done) => setTimeout(done, 1000));
    await Promise.all(Array.from({ length: 5 }, () => store.decide(check)));
    await new Promise((done) => setTimeout(done, Math.max(0, start + 2100 - Date.now())));
    // The 40 first left (popped one by one, then in runs); the 5 later ones still count.
    expect(await store.decide(check)).toMatchObject({ allowed: true, rateUsed: 6 });
    expect(await redis.llen(`${prefix}{long-run}:log`)).toBe(6);
  });

  it('decides a turn of many subjects and rules in one call, each on its own state', async () => {
    const store = createRedisStore({ redis, prefix });
    const tight = { subject: 'mixed-a', rate: { limit: 1, windowSeconds: 60 }, concurrency: { limit: 5 } };
    const loose = { subject: 'mixed-b', rate: { limit: 100, windowSeconds: 60 } };
    const single = { subject: 'mixed-c', concurrency: { limit: 1 } };
    await store.decide(loose); // loads the script
    commands = 0;
    const decisions = await Promise.all([
      store.decide(tight),
      store.decide(loose),
      store.decide(single),
      store.decide(tight),
      store.decide(single),
      store.decide(loose),
    ]);
    expect(commands).toBe(1);
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false, false, true]);
    expect(decisions[3]).toMatchObject({ rejectedBy: 'rate', rateUsed: 1, inFlight: 0 });
    expect(decisions[4]).toMatchObject({ rejectedBy: 'concurrency', inFlight: 1 });
    expect(decisions[5]).toMatchObject({ rateUsed: 3, inFlight: 0 });
    expect(decisions[0]!.lease).not.toBe(decisions[2]!.lease);
    expect(decisions[1]!.lease).toBeUndefined();
    // Each admission holding a slot holds its own lease, and gives back exactly that one.
    expect(await redis.zscore(`${prefix}{mixed-c}:leases`, decisions[2]!.lease as string)).not.toBeNull();
    store.release('mixed-c', decisions[2]!.lease!);
    expect(await store.decide(single)).toMatchObject({ allowed: true, inFlight: 1 });
    expect(await redis.zcard(`${prefix}{mixed-a}:leases`)).toBe(1);
  });

  it("on a cluster sends each decision alone, carrying only its own subject's releases", async () => {
    // A cluster client as the store sees it (ioredis sets isCluster): keys of one slot per script.
    const cluster = Object.create(redis, { isCluster: { value: true } }) as Redis;
    const store = createRedisStore({ redis: cluster, prefix });
    const check = (subject: string) => ({
      subject,
      rate: { limit: 10, windowSeconds: 60 },
      concurrency: { limit: 1 },
    });
    const [p, q] = await Promise.all([store.decide(check('slot-p')), store.decide(check('slot-q'))]);
    commands = 0;
    store.release('slot-p', p.lease!);
    store.release('slot-q', q.lease!);
    const [p2, r] = await Promise.all([store.decide(check('slot-p')), store.decide(check('slot-r'))]);
    // Two decisions, two calls: slot-p's release rode with slot-p; slot-q's left alone.
    expect(commands).toBe(3);
    expect([p2.allowed, r.allowed]).toEqual([true, true]);
    expect(await redis.zcard(`${prefix}{slot-q}:leases`)).toBe(0);
  });

  it('fails every decision of a call that fails or answers something unreadable', async () => {
    for (const answer of [() => Promise.reject(new Error('down')), () => Promise.resolve(null)]) {
      const client = {
        defineCommand(name: string) {
          (this as Record<string, unknown>)[name] = answer;
        },
        zrem: () => Promise.resolve(0),
        ping: () => Promise.resolve('PONG'),
      };
      const store = createRedisStore({ redis: client });
      const check = { subject: 'broken', rate: { limit: 5, windowSeconds: 60 } };
      const settled = await Promise.allSettled([store.decide(check), store.decide(check)]);
      expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    }
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
