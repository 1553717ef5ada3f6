/**
 * Scenario 4 — WebSocket sessions: the real service's `GET /v0/stream/analyze` vs a bare `ws`
 * server, in the same run. Idle authenticated sessions (RSS growth per session), ingest of
 * 1 MiB binary messages, and how fast a drain's first warning reaches every open session.
 * Run alone: `node bench/scenarios/4-websocket.ts` (BENCH_WS_SESSIONS overrides 10,000;
 * BENCH_WS_HEAP_SNAPSHOTS=<dir> writes heap snapshots around the idle sessions and a
 * sampled profile of what opening them allocated, for `bench/lib/heap-diff.ts`).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { pinSelf, type ServerChild, startServer } from '../lib/child.ts';
import { compare, emit, type Figure, median } from '../lib/result.ts';
import { type Service, startService } from '../lib/service.ts';

const SESSIONS = Number(process.env['BENCH_WS_SESSIONS'] ?? 10_000);
const FRAMES = 40;
const PARALLEL = 4;
const ROUNDS = 3;
const MiB = 2 ** 20;
const twoCores = availableParallelism() >= 2;
const SERVER_CPU = twoCores ? 1 : undefined;
const root = join(import.meta.dirname, '..', '..');
const tmp = join(root, 'bench/.tmp');
const memoryPreload = join(root, 'bench/servers/memory.ts');
const notes: string[] = [];
const figures: Figure[] = [];
const pinnedHere = twoCores && pinSelf(0);

interface Memory {
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly spaces: Readonly<Record<string, number>>;
  readonly settledRss: number;
}

/** Memory of a server after a GC, over IPC. */
function memoryOf(child: {
  send(message: string): void;
  once(event: 'message', f: (m: unknown) => void): void;
}): Promise<Memory> {
  return new Promise((resolve) => {
    const wait = (message: unknown) => {
      if (typeof (message as { rss?: number } | null)?.rss === 'number') resolve(message as Memory);
      else child.once('message', wait);
    };
    child.once('message', wait);
    child.send('memory');
  });
}

/** With BENCH_WS_HEAP_SNAPSHOTS=<dir>: a heap snapshot of a server, for bench/lib/heap-diff.ts. */
function snapshotOf(
  child: { send(message: unknown): void; once(event: 'message', f: (m: unknown) => void): void },
  name: string,
): Promise<void> {
  const dir = process.env['BENCH_WS_HEAP_SNAPSHOTS'];
  if (!dir) return Promise.resolve();
  const [key, value] = name.endsWith('-start')
    ? ['profile', 'start']
    : name.endsWith('.heapprofile')
      ? ['profile', join(dir, name)]
      : ['snapshot', join(dir, `${name}.heapsnapshot`)];
  return new Promise((resolve) => {
    const wait = (message: unknown) => {
      if ((message as Record<string, unknown> | null)?.[key] === value) resolve();
      else child.once('message', wait);
    };
    child.once('message', wait);
    child.send({ [key]: value });
  });
}

/** Opens `count` connections, `batch` at a time, each resolved once its first message arrived. */
async function openMany(url: string, protocols: string[], count: number): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (let done = 0; done < count; done += 250) {
    const batch = Array.from(
      { length: Math.min(250, count - done) },
      () =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(url, protocols);
          ws.once('message', () => resolve(ws));
          ws.once('error', reject);
        }),
    );
    sockets.push(...(await Promise.all(batch)));
  }
  return sockets;
}

async function closeAll(sockets: WebSocket[]): Promise<void> {
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === ws.CLOSED) return resolve();
          ws.once('close', () => resolve());
          ws.close();
        }),
    ),
  );
}

/** Sends FRAMES messages of 1 MiB on each of PARALLEL sessions; MiB/s until every one was answered. */
async function ingest(
  url: string,
  protocols: string[],
  answered: (text: string) => boolean,
): Promise<number> {
  const frame = randomBytes(MiB);
  const sockets = await openMany(url, protocols, PARALLEL);
  const started = performance.now();
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          let count = 0;
          ws.on('message', (data) => {
            if (answered(String(data)) && ++count === FRAMES) resolve();
          });
          for (let i = 0; i < FRAMES; i++) ws.send(frame);
        }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  await closeAll(sockets);
  return (PARALLEL * FRAMES) / seconds;
}

/** A key on a plan roomy enough for the whole run (plan limits count sessions once they exist). */
function roomyKey(service: Service): { key_id: string; key_secret: string } {
  const bin = join(root, 'apps/signals-api/src/cli/bin.ts');
  const env = { ...process.env, DATABASE_URL: `sqlite:${join(service.dir, 'signals.db')}` };
  const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8' });
  run([
    'plans',
    'set',
    'bench',
    '--rpm',
    '1000000',
    '--concurrency',
    '1000000',
    '--period-minutes',
    '1000000',
    '--daily-minutes',
    '1000000',
  ]);
  const created = run(['keys', 'create', '--scopes', 'interhumanai.stream', '--plan', 'bench']);
  if (created.status !== 0) throw new Error(`keys create failed: ${created.stderr}`);
  return JSON.parse(created.stdout) as { key_id: string; key_secret: string };
}

async function tokenFor(service: Service, key: { key_id: string; key_secret: string }): Promise<string> {
  const response = await fetch(`${service.url}/v0/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...key, scopes: ['interhumanai.stream'] }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

mkdirSync(tmp, { recursive: true });
let bare: ServerChild | undefined;
let service: Service | undefined;
try {
  // Fresh processes for each part: memory is measured on servers that never held a 1 MiB message.
  const start = async () => {
    await bare?.stop();
    await service?.stop();
    bare = await startServer(join(root, 'bench/servers/ws-bare.ts'), [], SERVER_CPU, ['--expose-gc']);
    service = await startService(tmp, SERVER_CPU, {
      nodeArgs: ['--expose-gc', '--import', memoryPreload],
      env: { SIGNALS_DRAIN_SECONDS: '30' },
      countRead: false,
    });
    const token = await tokenFor(service, roomyKey(service));
    return {
      bare,
      service,
      bareUrl: `ws://127.0.0.1:${bare.port}/`,
      streamUrl: `${service.url.replace('http', 'ws')}/v0/stream/analyze`,
      protocols: ['access_token', token],
    };
  };
  let { bareUrl, streamUrl, protocols } = await start();

  // --- B. ingest of 1 MiB binary messages, rounds alternating --------------------------------
  const isAck = (text: string) => text.includes('"ack"');
  // The service answers each message as a segment: random bytes are no video, refused (ih4002)
  // from their first bytes in memory — the WebSocket path and the first validation step, not
  // ffprobe (a real segment then costs tens of milliseconds of ffprobe and analysis).
  const isSegmentAnswer = (text: string) => text.includes('"error_id"');
  await ingest(bareUrl, [], isAck); // warm-up
  await ingest(streamUrl, protocols, isSegmentAnswer);
  const speed = { bare: [] as number[], service: [] as number[], ratio: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    const b = await ingest(bareUrl, [], isAck);
    const s = await ingest(streamUrl, protocols, isSegmentAnswer);
    speed.bare.push(b);
    speed.service.push(s);
    speed.ratio.push(s / b);
  }
  const bareSpeed = { name: 'bare ws, 1 MiB messages', value: median(speed.bare) };
  figures.push({ ...bareSpeed, unit: 'MiB/s' });
  figures.push(
    compare('signals-api stream, 1 MiB segments', median(speed.service), 'MiB/s', bareSpeed, 0.8, {
      ratio: median(speed.ratio),
    }),
  );
  notes.push(
    `ingest per round (bare / service MiB/s): ${speed.bare.map((b, i) => `${b.toFixed(0)}/${speed.service[i]!.toFixed(0)}`).join(', ')}; ${PARALLEL} sessions × ${FRAMES} messages each`,
  );

  // --- A. idle sessions: RSS growth per session -------------------------------------------------
  const fresh = await start();
  ({ bareUrl, streamUrl, protocols } = fresh);
  const bareChild = fresh.bare.process as never;
  const serviceChild = fresh.service.child as never;
  // Both servers get the same warm-up (500 connections opened and closed) before their baseline.
  await closeAll(await openMany(bareUrl, [], 500));
  await snapshotOf(bareChild, 'bare-before');
  const bareMemory = await memoryOf(bareChild);
  await snapshotOf(bareChild, 'bare-start');
  const bareSockets = await openMany(bareUrl, [], SESSIONS);
  await snapshotOf(bareChild, 'bare.heapprofile');
  const bareMemoryAfter = await memoryOf(bareChild);
  await snapshotOf(bareChild, 'bare-after');
  const [bareBefore, bareAfter] = [bareMemory.rss, bareMemoryAfter.rss];
  await closeAll(bareSockets);
  const servicePrime = await openMany(streamUrl, protocols, 500); // warm-up
  await closeAll(servicePrime);
  await snapshotOf(serviceChild, 'service-before');
  const serviceMemory = await memoryOf(serviceChild);
  await snapshotOf(serviceChild, 'service-start');
  const sessions = await openMany(streamUrl, protocols, SESSIONS);
  await snapshotOf(serviceChild, 'service.heapprofile');
  const serviceMemoryAfter = await memoryOf(serviceChild);
  await snapshotOf(serviceChild, 'service-after');
  const [serviceBefore, serviceAfter] = [serviceMemory.rss, serviceMemoryAfter.rss];
  const perSession = (after: Memory, before: Memory, key: 'heapUsed' | 'heapTotal' | 'external') =>
    ((after[key] - before[key]) / SESSIONS / 1024).toFixed(1);
  notes.push(
    `per session, live JS heap / JS heap capacity / external: bare ${perSession(bareMemoryAfter, bareMemory, 'heapUsed')} / ${perSession(bareMemoryAfter, bareMemory, 'heapTotal')} / ${perSession(bareMemoryAfter, bareMemory, 'external')} KiB, service ${perSession(serviceMemoryAfter, serviceMemory, 'heapUsed')} / ${perSession(serviceMemoryAfter, serviceMemory, 'heapTotal')} / ${perSession(serviceMemoryAfter, serviceMemory, 'external')} KiB`,
  );
  const spaceGrowth = (after: Memory, before: Memory) =>
    Object.keys(after.spaces)
      .map(
        (name) => [name, ((after.spaces[name] ?? 0) - (before.spaces[name] ?? 0)) / SESSIONS / 1024] as const,
      )
      .filter(([, kib]) => Math.abs(kib) >= 0.1)
      .map(([name, kib]) => `${name} ${kib.toFixed(1)}`)
      .join(', ');
  notes.push(
    `heap capacity growth per session by space (KiB): bare ${spaceGrowth(bareMemoryAfter, bareMemory)}; service ${spaceGrowth(serviceMemoryAfter, serviceMemory)}`,
  );
  const bareGrowth = {
    name: `bare ws, ${SESSIONS} idle connections`,
    value: (bareAfter - bareBefore) / SESSIONS / 1024,
  };
  figures.push({ ...bareGrowth, unit: 'KiB/session' });
  figures.push(
    compare(
      `signals-api, ${SESSIONS} idle authenticated sessions`,
      (serviceAfter - serviceBefore) / SESSIONS / 1024,
      'KiB/session',
      bareGrowth,
      1.2,
      { higherIsBetter: false },
    ),
  );
  // The same after a memory-reducing GC (the young generation shrunk, as an idle process's is).
  const bareSettled = {
    name: `bare ws, ${SESSIONS} idle connections, settled`,
    value: (bareMemoryAfter.settledRss - bareMemory.settledRss) / SESSIONS / 1024,
  };
  figures.push({ ...bareSettled, unit: 'KiB/session' });
  figures.push(
    compare(
      `signals-api, ${SESSIONS} idle authenticated sessions, settled`,
      (serviceMemoryAfter.settledRss - serviceMemory.settledRss) / SESSIONS / 1024,
      'KiB/session',
      bareSettled,
      1.2,
      { higherIsBetter: false },
    ),
  );
  notes.push(
    `RSS after a GC: bare ${(bareBefore / MiB).toFixed(0)} → ${(bareAfter / MiB).toFixed(0)} MiB, service ${(serviceBefore / MiB).toFixed(0)} → ${(serviceAfter / MiB).toFixed(0)} MiB`,
  );

  // --- C. drain: SIGTERM → first warning on every session ------------------------------------
  let warned = 0;
  const allWarned = new Promise<number>((resolve) => {
    for (const ws of sessions)
      ws.once('message', (data) => {
        if (String(data).includes('shutdown.warning') && ++warned === sessions.length)
          resolve(performance.now());
      });
  });
  const signalled = performance.now();
  fresh.service.child.kill('SIGTERM');
  const reached = (await allWarned) - signalled;
  figures.push({
    name: `drain warning reaches all ${SESSIONS} sessions`,
    value: reached,
    unit: 'ms',
    target: '< 1000 ms',
    ok: reached < 1000,
  });
  // Second signal: close them all now (the drain itself is the tests' business).
  await new Promise((done) => setTimeout(done, 2_100));
  fresh.service.child.kill('SIGTERM');
  await closeAll(sessions);
  notes.push(
    `${pinnedHere ? 'client on CPU 0, servers on CPU 1' : 'not pinned'}; ulimit -n must exceed ${SESSIONS} + a few (each side holds one descriptor per session)`,
  );
} finally {
  await bare?.stop();
  await service?.stop();
}

emit({
  id: '4-websocket',
  title: 'WebSocket sessions (GET /v0/stream/analyze) vs bare ws',
  method:
    'Servers run as their own processes (the service exactly as `npm start` runs it, with a GC/RSS preload); the client is this process. Ingest: rounds alternate bare/service, ratio = median of per-round ratios. Memory: RSS after 3 forced GCs, before and after opening the sessions (each answered its first message), divided by the session count; "settled": the same after a further memory-reducing GC (young generation shrunk, as V8\'s memory reducer does in an idle process), which leaves out the young-generation slack that the bursts of allocation while opening sessions grew. Drain: from SIGTERM to the last client receiving shutdown.warning, measured by the client.',
  figures,
  notes,
});
