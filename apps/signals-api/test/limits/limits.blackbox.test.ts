import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectCatalogError, LEGACY_UNTIL, startServer, type TestServer } from '../support/server.ts';
import { countingModel, emptyUpload, keyOnPlan, oneMinuteVideo, setPlan, uploadBytes } from './support.ts';

/** The service clock of these servers: 1 h 30 min before a UTC midnight, 11 days before a month ends. */
const NOW = '2026-05-20T22:30:00Z';
const NEXT_MIDNIGHT = '2026-05-21T00:00:00.000Z';
const AUTH_RPM_PER_IP = 30;
/** How long a refused auth waits for its answer here (SIGNALS_AUTH_REFUSAL_DELAY_MS). */
const AUTH_REFUSAL_DELAY_MS = 300;

for (const mode of ['legacy', 'structured'] as const) {
  describe(`account limits on one instance (SQLite, in-process limits, ${mode} errors)`, () => {
    let server: TestServer;
    let model: Awaited<ReturnType<typeof countingModel>>;
    let authCalls = 0;
    const expectError = (res: Response, id: string) => expectCatalogError(res, id, { transitionMode: mode });
    const keyOn = async (plan: string) => {
      authCalls++;
      return keyOnPlan(server, plan);
    };

    beforeAll(async () => {
      model = await countingModel({ holdUntil: 1_000 });
      server = await startServer({
        SIGNALS_LEGACY_UNTIL: LEGACY_UNTIL[mode],
        SIGNALS_NOW: NOW,
        SIGNALS_ANALYZER: 'http',
        SIGNALS_ANALYZER_URL: model.url,
        SIGNALS_AUTH_RPM_PER_IP: String(AUTH_RPM_PER_IP),
        SIGNALS_AUTH_REFUSAL_DELAY_MS: String(AUTH_REFUSAL_DELAY_MS),
        SIGNALS_MAX_IN_FLIGHT_ANALYSES: '100',
      });
    });
    // A failed test must not leave an analysis held for the next one.
    afterEach(() => model.releaseAll());
    afterAll(async () => {
      await server?.stop();
      await model?.close();
    });

    it('sends RateLimit-Policy and RateLimit on a success, and bills ceil(duration) seconds', async () => {
      await setPlan(server, 'roomy', { rpm: 50, concurrency: 2, periodMinutes: 100, dailyMinutes: 100 });
      const { token } = await keyOn('roomy');
      const pending = uploadBytes(server.url, token, await oneMinuteVideo());
      await model.overlapping(1);
      model.releaseAll();
      const res = await pending;
      expect(res.status, await res.clone().text()).toBe(200);
      expect(res.headers.get('ratelimit-policy')).toBe(
        '"rpm";q=50;w=60, "concurrency";q=2;qu="concurrent-requests"',
      );
      expect(res.headers.get('ratelimit')).toBe('"rpm";r=49;t=60, "concurrency";r=1');
      expect(((await res.json()) as { video: { duration_seconds: number } }).video.duration_seconds).toBe(60);
    });

    it('ih3001: the request past the plan rpm, with Retry-After and a RateLimit reset that agree', async () => {
      await setPlan(server, 'two-rpm', { rpm: 2, concurrency: 5, periodMinutes: 100, dailyMinutes: 100 });
      const { token } = await keyOn('two-rpm');
      for (const remaining of [1, 0]) {
        const passed = await emptyUpload(server.url, token);
        await expectError(passed, 'ih4001');
        expect(passed.headers.get('ratelimit')).toMatch(
          new RegExp(`^"rpm";r=${remaining};t=\\d+, "concurrency";r=4$`),
        );
      }
      const res = await emptyUpload(server.url, token);
      expect(res.headers.get('ratelimit-policy')).toBe(
        '"rpm";q=2;w=60, "concurrency";q=5;qu="concurrent-requests"',
      );
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(res.headers.get('ratelimit')).toBe(`"rpm";r=0;t=${retryAfter}, "concurrency";r=5`);
      const body = await expectError(res, 'ih3001');
      expect(body['message']).toContain('2 per minute');
    });

    it('ih3002: a second upload while the plan’s only slot is analysing; the slot frees with the answer', async () => {
      await setPlan(server, 'one-slot', { rpm: 50, concurrency: 1, periodMinutes: 100, dailyMinutes: 100 });
      const { token } = await keyOn('one-slot');
      const video = await oneMinuteVideo();
      const first = uploadBytes(server.url, token, video);
      await model.overlapping(1);
      const second = await uploadBytes(server.url, token, video);
      expect(second.headers.get('ratelimit')).toMatch(/^"rpm";r=49;t=\d+, "concurrency";r=0$/);
      expect(Number(second.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const body = await expectError(second, 'ih3002');
      expect(body['message']).toContain('1 request');
      model.releaseAll();
      expect((await first).status).toBe(200);
      // The first answer gave the slot back.
      await expectError(await emptyUpload(server.url, token), 'ih4001');
    });

    it('ih3003: nothing left in the billing period, refused before the body, Retry-After until the next month', async () => {
      await setPlan(server, 'no-period', { rpm: 50, concurrency: 2, periodMinutes: 0, dailyMinutes: 100 });
      const { token } = await keyOn('no-period');
      const res = await uploadBytes(server.url, token, await oneMinuteVideo());
      expect(model.stats().current).toBe(0);
      const untilJune = (Date.parse('2026-06-01T00:00:00Z') - Date.parse(NOW)) / 1000;
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(retryAfter).toBeLessThanOrEqual(untilJune);
      expect(retryAfter).toBeGreaterThan(untilJune - 120);
      expect(res.headers.get('ratelimit-policy')).toContain('"rpm";q=50;w=60');
      await expectError(res, 'ih3003');
    });

    it('ih3004: nothing left today; reset_time is the next UTC midnight of the service clock', async () => {
      await setPlan(server, 'no-day', { rpm: 50, concurrency: 2, periodMinutes: 100, dailyMinutes: 0 });
      const { token } = await keyOn('no-day');
      const res = await uploadBytes(server.url, token, await oneMinuteVideo());
      const untilMidnight = (Date.parse(NEXT_MIDNIGHT) - Date.parse(NOW)) / 1000;
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(retryAfter).toBeLessThanOrEqual(untilMidnight);
      expect(retryAfter).toBeGreaterThan(untilMidnight - 120);
      const body = await expectError(res, 'ih3004');
      expect(body['reset_time']).toBe(NEXT_MIDNIGHT);
      expect(body['message']).toContain(NEXT_MIDNIGHT);
    });

    it('ih3004 after use: one minute a day, one 60-second video billed, the next refused', async () => {
      await setPlan(server, 'one-minute-day', {
        rpm: 50,
        concurrency: 2,
        periodMinutes: 100,
        dailyMinutes: 1,
      });
      const { token } = await keyOn('one-minute-day');
      const video = await oneMinuteVideo();
      const first = uploadBytes(server.url, token, video);
      await model.overlapping(1);
      model.releaseAll();
      expect((await first).status).toBe(200);
      await expectError(await uploadBytes(server.url, token, video), 'ih3004');
    });

    it('ih3005: an inactive subscription is refused (402) until it is active again', async () => {
      const { keyId, token } = await keyOn('roomy');
      const off = await server.cli(['accounts', 'set-subscription', keyId, 'inactive']);
      expect(off.code).toBe(0);
      await expectError(await emptyUpload(server.url, token), 'ih3005');
      await server.cli(['accounts', 'set-subscription', keyId, 'active']);
      await expectError(await emptyUpload(server.url, token), 'ih4001');
    });

    it('ih3001 on /v0/auth: SIGNALS_AUTH_RPM_PER_IP requests a minute from one IP, checked before the body', async () => {
      const attempt = () =>
        fetch(`${server.url}/v0/auth`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{',
        });
      for (let i = authCalls; i < AUTH_RPM_PER_IP; i++) await expectError(await attempt(), 'ih4006');
      // A client that goes away while its refusal waits leaves nothing behind; the next one is answered.
      const gone = new AbortController();
      const abandoned = fetch(`${server.url}/v0/auth`, { method: 'POST', body: '{', signal: gone.signal });
      setTimeout(() => gone.abort(), 50);
      await expect(abandoned).rejects.toThrow();
      // The refusal itself is held back (a flood of guesses is answered at the server's pace, not
      // the client's): the only timing here is that deliberate lower bound.
      const sent = performance.now();
      const res = await attempt();
      expect(performance.now() - sent).toBeGreaterThanOrEqual(AUTH_REFUSAL_DELAY_MS - 5);
      expect(res.headers.get('ratelimit-policy')).toBe(`"auth-per-ip";q=${AUTH_RPM_PER_IP};w=60`);
      expect(res.headers.get('ratelimit')).toBe(`"auth-per-ip";r=0;t=${res.headers.get('retry-after')}`);
      await expectError(res, 'ih3001');
    });
  });
}
