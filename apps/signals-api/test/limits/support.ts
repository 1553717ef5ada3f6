import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import type { TestServer } from '../support/server.ts';

export const UPLOAD_SCOPE = 'interhumanai.upload';
export const UPLOAD_PATH = '/v0/upload/analyze';
const PG_ADMIN_URL = process.env['SIGNALS_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const run = promisify(execFile);

/**
 * A PostgreSQL database of its own for one test run (dropped by `drop`).
 * @example const db = await freshDatabase(); … await db.drop();
 */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `signals_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end({ timeout: 5 });
    },
  };
}

/**
 * A Redis key prefix no other run uses, and a cleanup that deletes its keys.
 * @example const redis = freshRedisPrefix(); env.SIGNALS_REDIS_PREFIX = redis.prefix;
 */
export function freshRedisPrefix(url = 'redis://127.0.0.1:6379'): { url: string; prefix: string } {
  return { url, prefix: `signals-test:${randomBytes(6).toString('hex')}:` };
}

/**
 * Deletes every key under a prefix (end of a run).
 * @example await dropRedisPrefix(redis.url, redis.prefix);
 */
export async function dropRedisPrefix(url: string, prefix: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, { lazyConnect: true });
  await client.connect();
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await client.del(...keys);
  } while (cursor !== '0');
  client.disconnect();
}

/**
 * A private `redis-server` on a free port, to stop and start again mid-test.
 * @example const redis = await privateRedis(); await redis.stop(); await redis.start();
 */
export async function privateRedis(): Promise<{
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  dispose(): Promise<void>;
}> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'signals-redis-'));
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`redis-server did not start:\n${out}`)), 15_000);
      child!.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          done();
        }
      });
      child!.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`redis-server exited (${code}):\n${out}`));
      });
    });
  };
  const stop = async () => {
    const current = child;
    if (!current || current.exitCode !== null) return;
    const exited = new Promise((done) => current.once('exit', done));
    current.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

let minuteVideo: Promise<Uint8Array> | undefined;

/**
 * A 60.000-second MP4 (1 fps, tiny frames, ~70 KB) made with the shipped ffmpeg, once per run.
 * @example const bytes = await oneMinuteVideo();
 */
export function oneMinuteVideo(): Promise<Uint8Array> {
  minuteVideo ??= (async () => {
    const ffmpeg = (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;
    const dir = mkdtempSync(join(tmpdir(), 'signals-minute-'));
    const file = join(dir, 'minute.mp4');
    await run(ffmpeg, [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=128x96:rate=1', '-t', '60'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '60', '-crf', '40', file],
    ]);
    const bytes = new Uint8Array(readFileSync(file));
    rmSync(dir, { recursive: true, force: true });
    return bytes;
  })();
  return minuteVideo;
}

/**
 * A model service for the `http` analyzer that counts overlapping analyses. `hold` keeps each
 * request open until `release()` (or until `holdUntil` requests overlap), so overlaps are real.
 * @example const model = await countingModel(); env.SIGNALS_ANALYZER_URL = model.url;
 */
export async function countingModel(options: { holdUntil?: number } = {}) {
  let holdUntil = options.holdUntil;
  let current = 0;
  let max = 0;
  let total = 0;
  let waiting: (() => void)[] = [];
  let watchers: { count: number; done: () => void }[] = [];
  const notify = () => {
    const due = watchers.filter((w) => current >= w.count);
    watchers = watchers.filter((w) => current < w.count);
    for (const w of due) w.done();
  };
  const releaseAll = () => {
    for (const go of waiting.splice(0)) go();
  };
  const server: Server = createServer((req, res) => {
    req.resume();
    req.once('end', async () => {
      current++;
      total++;
      max = Math.max(max, current);
      notify();
      if (holdUntil !== undefined) {
        if (current >= holdUntil) releaseAll();
        else await new Promise<void>((go) => waiting.push(go));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"signals":[],"engagement_state":[]}', () => {
        current--;
      });
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/analyze`,
    stats: () => ({ current, max, total }),
    /** Resolves once `count` analyses are in the model at the same time. */
    overlapping: (count: number) =>
      new Promise<void>((done) => {
        watchers.push({ count, done });
        notify();
      }),
    releaseAll,
    /** Hold each analysis until `count` overlap (undefined: answer at once). */
    holdUntil(count: number | undefined) {
      holdUntil = count;
      releaseAll();
    },
    reset() {
      max = current;
      total = 0;
      waiting = [];
    },
    close: () =>
      new Promise<void>((done) => {
        releaseAll();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/**
 * Runs the real CLI against a server's database: `plans set NAME …`.
 * @example await setPlan(server, 'tight', { rpm: 2, concurrency: 1, periodMinutes: 10, dailyMinutes: 10 });
 */
export async function setPlan(
  server: TestServer,
  name: string,
  plan: { rpm: number; concurrency: number; periodMinutes: number; dailyMinutes: number },
): Promise<void> {
  const result = await server.cli([
    ...['plans', 'set', name, '--rpm', String(plan.rpm), '--concurrency', String(plan.concurrency)],
    ...['--period-minutes', String(plan.periodMinutes), '--daily-minutes', String(plan.dailyMinutes)],
  ]);
  if (result.code !== 0) throw new Error(`plans set failed: ${result.stderr}`);
}

/**
 * A key on `plan` (real CLI) and an upload token for it (real POST /v0/auth).
 * @example const { keyId, token } = await keyOnPlan(server, 'tight');
 */
export async function keyOnPlan(server: TestServer, plan: string): Promise<{ keyId: string; token: string }> {
  const key = await server.createKey([UPLOAD_SCOPE], plan);
  const res = await fetch(`${server.url}/v0/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key_id: key.key_id, key_secret: key.key_secret, scopes: [UPLOAD_SCOPE] }),
  });
  if (res.status !== 200) throw new Error(`auth failed: ${res.status} ${await res.text()}`);
  return { keyId: key.key_id, token: ((await res.json()) as { access_token: string }).access_token };
}

/**
 * Uploads `bytes` as `file` (multipart, over a real socket).
 * @example const res = await uploadBytes(server.url, token, await oneMinuteVideo());
 */
export function uploadBytes(
  origin: string,
  token: string,
  bytes: Uint8Array,
  name = 'clip.mp4',
): Promise<Response> {
  const form = new FormData();
  form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>]), name);
  return fetch(`${origin}${UPLOAD_PATH}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
}

/**
 * An upload request with an empty body: it goes through every limit, then stops cheaply
 * (ih3003 on a plan with no minutes, or ih4001 when the limits let it through).
 * @example const res = await emptyUpload(server.url, token);
 */
export function emptyUpload(origin: string, token: string): Promise<Response> {
  return fetch(`${origin}${UPLOAD_PATH}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/form-data; boundary=x' },
    body: '--x--\r\n',
  });
}

/**
 * Sum of billed seconds committed for a key, read from the ledger (SQLite file or PostgreSQL).
 * @example expect(await ledgerSeconds(server.databaseUrl, keyId)).toBe(600);
 */
export async function ledgerSeconds(
  databaseUrl: string,
  keyId: string,
): Promise<{ committed: number; reserved: number }> {
  if (databaseUrl.startsWith('postgres')) {
    const sql = postgres(databaseUrl, { max: 1 });
    const [row] = await sql`SELECT
      COALESCE(SUM(billed_seconds) FILTER (WHERE state = 'committed'), 0) AS committed,
      COALESCE(SUM(billed_seconds) FILTER (WHERE state = 'reserved'), 0) AS reserved
      FROM usage WHERE key_id = ${keyId}`;
    await sql.end({ timeout: 1 });
    return { committed: Number(row?.['committed']), reserved: Number(row?.['reserved']) };
  }
  const { DatabaseSync } = await import('node:sqlite');
  const db = new DatabaseSync(databaseUrl.slice('sqlite:'.length), { readOnly: true });
  const row = db
    .prepare(
      `SELECT COALESCE(SUM(CASE WHEN state = 'committed' THEN billed_seconds END), 0) AS committed,
              COALESCE(SUM(CASE WHEN state = 'reserved' THEN billed_seconds END), 0) AS reserved
       FROM usage WHERE key_id = ?`,
    )
    .get(keyId);
  db.close();
  return { committed: Number(row?.['committed']), reserved: Number(row?.['reserved']) };
}

/**
 * Counts responses by `error_id` (or `200`).
 * @example tally(responses) // { '200': 10, ih3003: 90 }
 */
export async function tally(responses: readonly Response[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const res of responses) {
    const text = await res.text();
    let id = String(res.status);
    if (res.status !== 200) {
      try {
        id = String((JSON.parse(text) as { error_id?: string }).error_id ?? res.status);
      } catch {}
    }
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}
