import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCatalogError, startServer, type TestServer } from '../support/server.ts';
import {
  countingModel,
  dropRedisPrefix,
  emptyUpload,
  freshDatabase,
  freshRedisPrefix,
  keyOnPlan,
  ledgerSeconds,
  oneMinuteVideo,
  setPlan,
  tally,
  uploadBytes,
} from './support.ts';

const expectError = (res: Response, id: string) =>
  expectCatalogError(res, id, { transitionMode: 'structured' });
const STRUCTURED = '2000-01-01T00:00:00Z';

describe('two instances sharing PostgreSQL and Redis behave as one service', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  const redis = freshRedisPrefix();
  let model: Awaited<ReturnType<typeof countingModel>>;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    db = await freshDatabase();
    model = await countingModel();
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      SIGNALS_REDIS_PREFIX: redis.prefix,
      SIGNALS_LEGACY_UNTIL: STRUCTURED,
      SIGNALS_ANALYZER: 'http',
      SIGNALS_ANALYZER_URL: model.url,
      SIGNALS_MAX_IN_FLIGHT_ANALYSES: '1000',
      // 100 bodies arrive at once: load shedding (ih1002 past 32 by default) is not under test here.
      SIGNALS_MAX_RECEIVING_UPLOADS: '1000',
    };
    // Started together: the migrations must serialise between them.
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await model?.close();
    await db?.drop();
    await dropRedisPrefix(redis.url, redis.prefix);
  });

  it('reports both backends reachable on /healthz', async () => {
    for (const server of [a, b]) {
      const health = (await (await fetch(`${server.url}/healthz`)).json()) as Record<string, unknown>;
      expect(health['backends']).toEqual({
        store: { kind: 'postgres', reachable: true },
        limits: { kind: 'redis', reachable: true, on_failure: 'open' },
      });
    }
  });

  it('rpm 100: of 1,000 concurrent requests over both instances, exactly 100 get past the rate limiter', async () => {
    // No minutes at all: a request the rate limiter lets through stops at the quota pre-check.
    await setPlan(a, 'rpm100', { rpm: 100, concurrency: 5000, periodMinutes: 0, dailyMinutes: 0 });
    const { token } = await keyOnPlan(a, 'rpm100');
    const responses = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => emptyUpload((i % 2 ? a : b).url, token)),
    );
    expect(await tally(responses)).toEqual({ ih3003: 100, ih3001: 900 });
  });

  it('concurrency 5: the analyzer never sees a 6th overlapping analysis', async () => {
    await setPlan(a, 'five', { rpm: 1000, concurrency: 5, periodMinutes: 1000, dailyMinutes: 1000 });
    const { token } = await keyOnPlan(b, 'five');
    const video = await oneMinuteVideo();
    model.reset();
    // Each analysis waits until five overlap, so the five slots are all held at once.
    model.holdUntil(5);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => uploadBytes((i % 2 ? a : b).url, token, video)),
    );
    model.holdUntil(undefined);
    const counts = await tally(responses);
    expect(model.stats().max).toBe(5);
    expect(counts['200']).toBeGreaterThanOrEqual(5);
    expect(counts['200']! + (counts['ih3002'] ?? 0)).toBe(20);
    expect(counts['ih3002']).toBeGreaterThan(0);
  });

  it('10 billing minutes, 100 parallel 1-minute uploads: exactly 10 succeed, 90 get ih3003, 10 minutes billed', async () => {
    await setPlan(a, 'ten-minutes', { rpm: 1000, concurrency: 1000, periodMinutes: 10, dailyMinutes: 1000 });
    const { keyId, token } = await keyOnPlan(a, 'ten-minutes');
    const video = await oneMinuteVideo();
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => uploadBytes((i % 2 ? a : b).url, token, video)),
    );
    expect(await tally(responses)).toEqual({ '200': 10, ih3003: 90 });
    expect(await ledgerSeconds(db.url, keyId)).toEqual({ committed: 600, reserved: 0 });
    await expectError(await emptyUpload(b.url, token), 'ih3003');
    const usage = await b.cli(['accounts', 'usage', keyId]);
    expect(JSON.parse(usage.stdout)).toMatchObject({
      plan: 'ten-minutes',
      period: { used_minutes: 10, limit_minutes: 10 },
      day: { used_minutes: 10, limit_minutes: 1000 },
    });
  });
});

describe('one instance on SQLite: the same quota race', () => {
  let model: Awaited<ReturnType<typeof countingModel>>;
  let server: TestServer;

  beforeAll(async () => {
    model = await countingModel();
    server = await startServer({
      SIGNALS_LEGACY_UNTIL: STRUCTURED,
      SIGNALS_ANALYZER: 'http',
      SIGNALS_ANALYZER_URL: model.url,
      SIGNALS_MAX_IN_FLIGHT_ANALYSES: '1000',
      // 100 bodies arrive at once: load shedding (ih1002 past 32 by default) is not under test here.
      SIGNALS_MAX_RECEIVING_UPLOADS: '1000',
    });
  });
  afterAll(async () => {
    await server?.stop();
    await model?.close();
  });

  it('10 billing minutes, 100 parallel 1-minute uploads: exactly 10 succeed, 90 get ih3003, 10 minutes billed', async () => {
    await setPlan(server, 'ten-minutes', {
      rpm: 1000,
      concurrency: 1000,
      periodMinutes: 10,
      dailyMinutes: 1000,
    });
    const { keyId, token } = await keyOnPlan(server, 'ten-minutes');
    const video = await oneMinuteVideo();
    const responses = await Promise.all(
      Array.from({ length: 100 }, () => uploadBytes(server.url, token, video)),
    );
    expect(await tally(responses)).toEqual({ '200': 10, ih3003: 90 });
    expect(await ledgerSeconds(server.databaseUrl, keyId)).toEqual({ committed: 600, reserved: 0 });
  });

  it('a failed analysis charges nothing', async () => {
    await setPlan(server, 'one-minute', { rpm: 1000, concurrency: 10, periodMinutes: 1, dailyMinutes: 1 });
    const { keyId, token } = await keyOnPlan(server, 'one-minute');
    // Not a video at all: refused at inspection, before any reservation.
    await expectError(await uploadBytes(server.url, token, new Uint8Array(20_000).fill(7)), 'ih4002');
    await model.close();
    // The model service is gone: the analysis fails after the reservation, which is released.
    await expectError(await uploadBytes(server.url, token, await oneMinuteVideo()), 'ih1002');
    expect(await ledgerSeconds(server.databaseUrl, keyId)).toEqual({ committed: 0, reserved: 0 });
  });
});
