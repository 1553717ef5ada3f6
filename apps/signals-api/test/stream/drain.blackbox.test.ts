import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signals } from '../../src/catalog.ts';
import { unlimitedPlan } from '../support/plans.ts';
import {
  expectCatalogError,
  LEGACY_UNTIL,
  REPO_ROOT,
  runCli,
  startServer,
  TEST_JWT_SECRET,
  type TestServer,
} from '../support/server.ts';
import {
  type ClientSession,
  fixture,
  type Message,
  openSession,
  refusedUpgrade,
  tokenFor,
} from './client.ts';
import { startModel } from './model.ts';

const STREAM = 'interhumanai.stream';
const SESSIONS = 100;
const warnings = (session: ClientSession) => session.messages.filter((m) => m.type === 'shutdown.warning');
const isGoingAway = (m: Message) => m.type === 'error' && m.data['error_id'] === 'ih6005';

/** Opens `count` sessions, a few at a time (the machine is small and shared). */
async function openMany(server: TestServer, token: string, count: number): Promise<ClientSession[]> {
  const sessions: ClientSession[] = [];
  while (sessions.length < count) {
    const batch = Math.min(20, count - sessions.length);
    sessions.push(...(await Promise.all(Array.from({ length: batch }, () => openSession(server, token)))));
  }
  await Promise.all(sessions.map((s) => s.next((m) => m.type === 'session.ready')));
  return sessions;
}

describe('SIGTERM drains the sessions and loses nothing', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('100 sessions with a segment in flight: warned twice, every segment answered, closed with ih6005, exit 0', async () => {
    const model = await startModel({ holding: true });
    cleanup.push(() => model.close());
    const server = await startServer({
      SIGNALS_LEGACY_UNTIL: LEGACY_UNTIL.structured,
      SIGNALS_ANALYZER: 'http',
      SIGNALS_ANALYZER_URL: model.url,
      SIGNALS_MAX_IN_FLIGHT_ANALYSES: '4',
      SIGNALS_DRAIN_SECONDS: '4',
    });
    cleanup.push(() => server.stop());
    const token = await tokenFor(server, [STREAM], await unlimitedPlan(server));
    const sessions = await openMany(server, token, SESSIONS);
    const segment = fixture('good.mp4');
    for (const session of sessions) session.ws.send(segment);
    await Promise.all(sessions.map((s) => s.next((m) => m.type === 'segment.processing')));
    // The model holds its answers: every segment is in flight (at the model or waiting its turn).
    await model.waitFor(1);
    expect(sessions.some((s) => s.messages.some((m) => m.type === 'segment.completed'))).toBe(false);

    server.kill('SIGTERM');
    const first = await Promise.all(sessions.map((s) => s.next((m) => m.type === 'shutdown.warning')));
    for (const warning of first) {
      expect(warning.data).toMatchObject({ error_id: 'ih6006', seconds_remaining: 4 });
      expect(warning.data['message']).toBe(signals.error('ih6006', { seconds_remaining: 4 }).message);
    }
    // No new session while draining: an HTTP answer, before any upgrade.
    const refusal = await refusedUpgrade(server, { authorization: `Bearer ${token}` });
    const response = new Response(JSON.stringify(refusal.body), {
      status: refusal.status,
      headers: Object.entries(refusal.headers).map(([k, v]) => [k, String(v)] as [string, string]),
    });
    await expectCatalogError(response, 'ih1002', { transitionMode: 'structured' });
    expect(Number(refusal.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    // The final warning comes min(30 s, drain/10) = 0.4 s before the end; only then does the
    // model answer, so every segment finishes after the drain's deadline.
    await Promise.all(sessions.map((s) => s.next(() => warnings(s).length === 2, 'the final warning')));
    // 0.4 s left, rounded up (0 only if the timer ran more than 0.4 s late on a loaded machine).
    for (const session of sessions)
      expect(warnings(session)[1]!.data['seconds_remaining']).toBeLessThanOrEqual(1);
    model.release();

    const closes = await Promise.all(sessions.map((s) => s.closed));
    for (const [index, session] of sessions.entries()) {
      expect(closes[index]).toEqual({ code: 1001, reason: 'ih6005 Server Going Away' });
      const types = session.messages.map((m) => m.type);
      const completed = types.indexOf('segment.completed');
      expect(completed, `session ${index}: ${types.join(',')}`).toBeGreaterThan(-1);
      expect(session.messages[completed]!.data).toMatchObject({ segment: 1, signals: 1, analyzer: 'http' });
      // The segment's answer comes before the going-away message, which is the last one.
      expect(session.messages.findIndex(isGoingAway)).toBe(session.messages.length - 1);
      expect(completed).toBeLessThan(session.messages.length - 1);
    }
    expect(model.received()).toBe(SESSIONS);
    expect(await server.exited).toBe(0);
  }, 120_000);

  it('a second SIGTERM closes every session with ih6005 at once and exits', async () => {
    const model = await startModel({ holding: true });
    cleanup.push(() => model.close());
    const server = await startServer({ SIGNALS_ANALYZER: 'http', SIGNALS_ANALYZER_URL: model.url });
    cleanup.push(() => server.stop());
    const token = await tokenFor(server, [STREAM], await unlimitedPlan(server));
    const session = await openSession(server, token);
    session.ws.send(fixture('good.mp4'));
    await model.waitFor(1);
    server.kill('SIGTERM');
    const warning = await session.next((m) => m.type === 'shutdown.warning');
    expect(warning.data['seconds_remaining']).toBe(300);
    // A repeat within 2 s counts as the same request (npm forwards the signal it gets), so wait that out.
    await new Promise((done) => setTimeout(done, 2_100));
    expect(session.ws.readyState).toBe(session.ws.OPEN);
    server.kill('SIGTERM');
    expect(await session.closed).toEqual({ code: 1001, reason: 'ih6005 Server Going Away' });
    expect(session.messages.some(isGoingAway)).toBe(true);
    expect(await server.exited).toBe(1);
  }, 60_000);
});

/** `npm start` in the repository, in a process group of its own, on a scratch database. */
async function npmStart(
  dir: string,
): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  const env = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? tmpdir(),
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: `sqlite:${join(dir, 'signals.db')}`,
    SIGNALS_JWT_SECRET: TEST_JWT_SECRET,
    SIGNALS_TMP_DIR: join(dir, 'tmp'),
    SIGNALS_DATA_DIR: join(dir, 'data'),
    SIGNALS_DRAIN_SECONDS: '1',
    LOG_LEVEL: 'warn',
    ...(process.env['FAULTLINE_COVERAGE'] ? { FAULTLINE_COVERAGE: process.env['FAULTLINE_COVERAGE'] } : {}),
  };
  const child = spawn('npm', ['start'], {
    cwd: REPO_ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  let out = '';
  child.stderr!.resume();
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`npm start exited (${code}) before listening:\n${out}`)));
  });
  return { child, url, exited };
}

describe.each([
  ['to the npm process (docker stop)', (child: ChildProcess) => child.kill('SIGTERM')],
  ['to the process group (systemd)', (child: ChildProcess) => process.kill(-child.pid!, 'SIGTERM')],
])('npm start, SIGTERM %s', (_name, stop) => {
  it('drains the sessions, then npm and the server exit 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signals-npm-'));
    const { child, url, exited } = await npmStart(dir);
    try {
      const env = { DATABASE_URL: `sqlite:${join(dir, 'signals.db')}`, SIGNALS_JWT_SECRET: TEST_JWT_SECRET };
      const server = {
        url,
        createKey: async (scopes: readonly string[]) => {
          const result = await runCli(['keys', 'create', '--scopes', scopes.join(',')], env, dir);
          return JSON.parse(result.stdout);
        },
      } as unknown as TestServer;
      const session = await openSession(server, await tokenFor(server, [STREAM]));
      await session.next((m) => m.type === 'session.ready');
      stop(child);
      expect((await session.next((m) => m.type === 'shutdown.warning')).data['seconds_remaining']).toBe(1);
      // Drained, not cut: the warning, then ih6005 and 1001 once the second is over.
      expect(await session.closed).toEqual({ code: 1001, reason: 'ih6005 Server Going Away' });
      expect(await exited).toBe(0);
      // Nothing is left listening.
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    } finally {
      try {
        // Whatever is left of the group (nothing, when the test passed).
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // ESRCH: the group is gone.
      }
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
