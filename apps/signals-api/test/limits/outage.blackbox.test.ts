import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCatalogError, startServer, type TestServer } from '../support/server.ts';
import {
  countingModel,
  emptyUpload,
  freshDatabase,
  keyOnPlan,
  oneMinuteVideo,
  privateRedis,
  setPlan,
  tally,
  uploadBytes,
} from './support.ts';

const expectError = (res: Response, id: string) =>
  expectCatalogError(res, id, { transitionMode: 'structured' });
const UNREACHABLE = 'limits store unreachable';
const BACK = 'limits store reachable again';

/** Lines of a server's log that carry `text`. */
const logLines = (server: TestServer, text: string) =>
  server
    .stdout()
    .split('\n')
    .filter((line) => line.includes(text));

/** Polls /healthz (bounded) until the limits backend is reported reachable. */
async function limitsReachable(server: TestServer): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as {
      backends: { limits: { reachable: boolean } };
    };
    if (health.backends.limits.reachable) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error('limits backend still unreachable after 20 s');
}

describe('Redis stopped mid-test: the configured behaviour, never a false ih3001, and recovery', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let redis: Awaited<ReturnType<typeof privateRedis>>;
  let model: Awaited<ReturnType<typeof countingModel>>;
  let open: TestServer;
  let closed: TestServer;
  let token: string;

  beforeAll(async () => {
    [db, redis, model] = await Promise.all([freshDatabase(), privateRedis(), countingModel()]);
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      SIGNALS_LEGACY_UNTIL: '2000-01-01T00:00:00Z',
      SIGNALS_ANALYZER: 'http',
      SIGNALS_ANALYZER_URL: model.url,
      LOG_LEVEL: 'info',
    };
    [open, closed] = await Promise.all([
      startServer({ ...env, SIGNALS_LIMITS_ON_STORE_FAILURE: 'open' }),
      startServer({ ...env, SIGNALS_LIMITS_ON_STORE_FAILURE: 'closed' }),
    ]);
    // rpm 5 and no minutes: a request the limiter admits ends at the quota pre-check (ih3003).
    await setPlan(open, 'five-rpm', { rpm: 5, concurrency: 100, periodMinutes: 0, dailyMinutes: 0 });
    ({ token } = await keyOnPlan(open, 'five-rpm'));
  });
  afterAll(async () => {
    await Promise.all([open?.stop(), closed?.stop()]);
    await Promise.all([model?.close(), redis?.dispose()]);
    await db?.drop();
  });

  it('enforces the shared limit while Redis is up', async () => {
    const responses = await Promise.all([0, 1, 2].map((i) => emptyUpload((i ? open : closed).url, token)));
    expect(await tally(responses)).toEqual({ ih3003: 3 });
  });

  it('while Redis is down: open admits unchecked (logged once), closed answers ih1002, nobody sees ih3001', async () => {
    await redis.stop();
    const admitted = await Promise.all(Array.from({ length: 10 }, () => emptyUpload(open.url, token)));
    expect(await tally(admitted)).toEqual({ ih3003: 10 });
    for (let i = 0; i < 3; i++) {
      const res = await emptyUpload(closed.url, token);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      await expectError(res, 'ih1002');
    }
    const lines = logLines(open, UNREACHABLE);
    expect(lines).toHaveLength(1);
    // The cause is in the log line, for the operator.
    expect(lines[0]).toMatch(/"err":\{/);
    expect(logLines(closed, UNREACHABLE)).toHaveLength(1);
    const health = (await (await fetch(`${open.url}/healthz`)).json()) as Record<string, unknown>;
    expect(health['status']).toBe('ok');
    expect(health['backends']).toMatchObject({ limits: { kind: 'redis', reachable: false } });
  });

  it('once Redis is back, both instances enforce one shared budget again', async () => {
    await redis.start();
    await Promise.all([limitsReachable(open), limitsReachable(closed)]);
    // The restarted Redis is empty: a fresh window of exactly 5.
    const responses = [];
    for (let i = 0; i < 6; i++) responses.push(await emptyUpload((i % 2 ? closed : open).url, token));
    expect(await tally(responses)).toEqual({ ih3003: 5, ih3001: 1 });
    await expectError(await emptyUpload(open.url, token), 'ih3001');
    expect(logLines(open, BACK).length).toBeGreaterThanOrEqual(1);
    expect(logLines(open, UNREACHABLE)).toHaveLength(1);
  });
});

describe('an instance that dies holding a concurrency slot', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let redis: Awaited<ReturnType<typeof privateRedis>>;
  let model: Awaited<ReturnType<typeof countingModel>>;
  let doomed: TestServer;
  let survivor: TestServer;

  beforeAll(async () => {
    [db, redis, model] = await Promise.all([
      freshDatabase(),
      privateRedis(),
      countingModel({ holdUntil: 1000 }),
    ]);
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      SIGNALS_LEGACY_UNTIL: '2000-01-01T00:00:00Z',
      SIGNALS_ANALYZER: 'http',
      SIGNALS_ANALYZER_URL: model.url,
      SIGNALS_LEASE_SECONDS: '2',
    };
    [doomed, survivor] = await Promise.all([startServer(env), startServer(env)]);
  });
  afterAll(async () => {
    await Promise.all([doomed?.stop(), survivor?.stop()]);
    await Promise.all([model?.close(), redis?.dispose()]);
    await db?.drop();
  });

  it('frees the slot after SIGNALS_LEASE_SECONDS, so the account is not locked out', async () => {
    await setPlan(doomed, 'one-slot', { rpm: 1000, concurrency: 1, periodMinutes: 100, dailyMinutes: 100 });
    const { token } = await keyOnPlan(doomed, 'one-slot');
    const held = uploadBytes(doomed.url, token, await oneMinuteVideo()).catch((error: unknown) => error);
    await model.overlapping(1);
    await expectError(await emptyUpload(survivor.url, token), 'ih3002');
    await doomed.stop('SIGKILL');
    await held;
    // The dead instance never released its lease; it lapses within the TTL (2 s), then the
    // survivor admits again. Bounded polling: 100 × 100 ms.
    let admitted: Response | undefined;
    for (let attempt = 0; attempt < 100 && !admitted; attempt++) {
      const res = await emptyUpload(survivor.url, token);
      if (res.status === 429) {
        await expectError(res, 'ih3002');
        await new Promise((done) => setTimeout(done, 100));
      } else admitted = res;
    }
    await expectError(admitted!, 'ih4001');
  });
});
