/**
 * Scenario 4 — WebSocket sessions: the real service's `GET /v0/stream/analyze` vs a bare `ws`
 * server, in the same run. Idle authenticated sessions (RSS growth per session), ingest of
 * 1 MiB binary messages, and how fast a drain's first warning reaches every open session.
 * Run alone: `node bench/scenarios/4-websocket.ts` (BENCH_WS_SESSIONS overrides 10,000;
 * BENCH_WS_HEAP_SNAPSHOTS=<dir> writes heap snapshots around the idle sessions and a
 * sampled profile of what opening them allocated, for `bench/lib/heap-diff.ts`;
 * BENCH_WS_INGEST_ROUNDS=0 skips the ingest; BENCH_WS_BARE_FLAGS / BENCH_WS_SERVICE_FLAGS add
 * Node flags to one side, noted in the output).
 */
import { type ChildProcess, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type WebSocket from 'ws';
import { pinSelf, type ServerChild, startServer } from '../lib/child.ts';
import { compare, emit, type Figure, median } from '../lib/result.ts';
import { type Service, startService, YOUNG_GENERATION_CAP } from '../lib/service.ts';
import { threadCpu } from '../lib/threads.ts';
import { openMany, sendAndAwaitAnswers } from '../lib/ws-clients.ts';

const SESSIONS = Number(process.env['BENCH_WS_SESSIONS'] ?? 10_000);
const FRAMES = 40;
const PARALLEL = 4;
// BENCH_WS_INGEST_ROUNDS=0 skips the ingest part (to look at idle memory alone).
const ROUNDS = Number(process.env['BENCH_WS_INGEST_ROUNDS'] ?? 3);
const MEMORY_ROUNDS = Number(process.env['BENCH_WS_MEMORY_ROUNDS'] ?? 3);
// Extra Node flags for one side (space-separated), for experiments such as a young-generation
// cap; the notes say when any are set.
const flags = (name: string) => (process.env[name] ?? '').split(' ').filter(Boolean);
const BARE_FLAGS = flags('BENCH_WS_BARE_FLAGS');
const SERVICE_FLAGS = flags('BENCH_WS_SERVICE_FLAGS');
const MiB = 2 ** 20;
const twoCores = availableParallelism() >= 2;
const SERVER_CPU = twoCores ? 1 : undefined;
const root = join(import.meta.dirname, '..', '..');
const tmp = join(root, 'bench/.tmp');
const memoryPreload = join(root, 'bench/servers/memory.ts');
const notes: string[] = [];
const figures: Figure[] = [];
// `taskset -a` can fail while a thread starts or ends (V8 starts its workers lazily): try again.
const pinnedHere = twoCores && (pinSelf(0) || pinSelf(0) || pinSelf(0));

type MemoryKey = 'heapUsed' | 'heapTotal' | 'external';

interface Memory {
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly spaces: Readonly<Record<string, number>>;
  readonly settledRss: number;
  /** Resident bytes by mapping kind: malloc's main heap, other anonymous memory, files. */
  readonly regions?: Readonly<Record<'brk' | 'anon' | 'file', number>>;
  /** The same after the memory-reducing GC. */
  readonly settledRegions?: Readonly<Record<'brk' | 'anon' | 'file', number>>;
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

/** CPU time (user + system, µs, GC threads included) a server process has used so far, over IPC. */
function cpuOf(child: {
  send(message: string): void;
  once(event: 'message', f: (m: unknown) => void): void;
}): Promise<number> {
  return new Promise((resolve) => {
    const wait = (message: unknown) => {
      const micros = (message as { cpuUsage?: number } | null)?.cpuUsage;
      if (typeof micros === 'number') resolve(micros);
      else child.once('message', wait);
    };
    child.once('message', wait);
    child.send('cpu-usage');
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

/**
 * Sends FRAMES messages of 1 MiB on each of PARALLEL sessions: MiB/s until every one was
 * answered, and the server's CPU time per MiB meanwhile (µs).
 */
async function ingest(
  url: string,
  protocols: string[],
  answered: (text: string) => boolean,
  cpu: () => Promise<number>,
): Promise<{ speed: number; cpuPerMiB: number }> {
  const frame = randomBytes(MiB);
  const sockets = await openMany(url, protocols, PARALLEL);
  const cpuBefore = await cpu();
  const started = performance.now();
  await sendAndAwaitAnswers(sockets, frame, FRAMES, answered);
  const seconds = (performance.now() - started) / 1000;
  const cpuPerMiB = ((await cpu()) - cpuBefore) / (PARALLEL * FRAMES);
  await closeAll(sockets);
  return { speed: (PARALLEL * FRAMES) / seconds, cpuPerMiB };
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
    bare = await startServer(join(root, 'bench/servers/ws-bare.ts'), [], SERVER_CPU, [
      '--expose-gc',
      // The service's young-generation cap: both sides run with the same V8 settings.
      YOUNG_GENERATION_CAP,
      ...BARE_FLAGS,
    ]);
    service = await startService(tmp, SERVER_CPU, {
      nodeArgs: ['--expose-gc', ...SERVICE_FLAGS, '--import', memoryPreload],
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
  const bareCpu = () => cpuOf(bare!.process as never);
  const serviceCpu = () => cpuOf(service!.child as never);
  const speed = { bare: [] as number[], service: [] as number[], ratio: [] as number[] };
  const cpu = { bare: [] as number[], service: [] as number[], ratio: [] as number[] };
  const gcThreads = { bare: [] as number[], service: [] as number[] };
  /** One measured ingest, with the CPU of the threads other than the main one (µs per MiB). */
  const measured = async (side: 'bare' | 'service') => {
    const pid = side === 'bare' ? bare!.process.pid! : service!.child.pid!;
    const before = threadCpu(pid).other;
    const result =
      side === 'bare'
        ? await ingest(bareUrl, [], isAck, bareCpu)
        : await ingest(streamUrl, protocols, isSegmentAnswer, serviceCpu);
    gcThreads[side].push((threadCpu(pid).other - before) / (PARALLEL * FRAMES));
    return result;
  };
  // A fresh pair of processes per round: how often V8 runs a full GC during ingest, and so the
  // figure, differs from one process to the next more than between rounds of one process.
  for (let round = 0; round < ROUNDS; round++) {
    if (round > 0) ({ bareUrl, streamUrl, protocols } = await start());
    await ingest(bareUrl, [], isAck, bareCpu); // warm-up
    await ingest(streamUrl, protocols, isSegmentAnswer, serviceCpu);
    const b = await measured('bare');
    const s = await measured('service');
    speed.bare.push(b.speed);
    speed.service.push(s.speed);
    speed.ratio.push(s.speed / b.speed);
    cpu.bare.push(b.cpuPerMiB);
    cpu.service.push(s.cpuPerMiB);
    cpu.ratio.push(s.cpuPerMiB / b.cpuPerMiB);
  }
  if (ROUNDS > 0) {
    const bareSpeed = { name: 'bare ws, 1 MiB messages', value: median(speed.bare) };
    figures.push({ ...bareSpeed, unit: 'MiB/s' });
    figures.push(
      compare('signals-api stream, 1 MiB segments', median(speed.service), 'MiB/s', bareSpeed, 0.8, {
        ratio: median(speed.ratio),
      }),
    );
    // Throughput moves with other work on a shared machine; the server's CPU per MiB far less.
    const bareCpuFigure = { name: 'bare ws, server CPU per MiB', value: median(cpu.bare) };
    figures.push({ ...bareCpuFigure, unit: 'µs' });
    figures.push(
      compare('signals-api stream, server CPU per MiB', median(cpu.service), 'µs', bareCpuFigure, 1.25, {
        ratio: median(cpu.ratio),
        higherIsBetter: false,
      }),
    );
    notes.push(
      `ingest per round (bare / service MiB/s): ${speed.bare.map((b, i) => `${b.toFixed(0)}/${speed.service[i]!.toFixed(0)}`).join(', ')}; server CPU µs per MiB: ${cpu.bare.map((b, i) => `${b.toFixed(0)}/${cpu.service[i]!.toFixed(0)}`).join(', ')}; ${PARALLEL} sessions × ${FRAMES} messages each`,
    );
    notes.push(
      `server CPU outside the main thread (mostly V8's concurrent marking, i.e. full GCs), µs per MiB, bare / service: ${gcThreads.bare.map((b, i) => `${b.toFixed(0)}/${gcThreads.service[i]!.toFixed(0)}`).join(', ')}`,
    );
    notes.push(
      "per 1 MiB message, bare ws: one short text answer; the service: `segment.processing`, then the refusal (ih4002) from the size window and the container sniffed from the first 4 KiB, in memory (no temp file, no ffprobe, no analyzer), then the message's buffer released at once; both sides: `ws` buffers and unmasks the message once",
    );
  }

  // --- A. idle sessions: RSS growth per session -------------------------------------------------
  // RSS growth moves by ±10 % from one pair of processes to the next (how far each young
  // generation grew, page reuse): MEMORY_ROUNDS fresh pairs, medians of values and of per-round
  // ratios. The last round's service sessions stay open for the drain.
  const rounds: { bare: [Memory, Memory]; service: [Memory, Memory] }[] = [];
  let sessions: WebSocket[] = [];
  let serviceChild: ChildProcess | undefined;
  for (let round = 0; round < MEMORY_ROUNDS; round++) {
    const last = round === MEMORY_ROUNDS - 1;
    const fresh = await start();
    ({ bareUrl, streamUrl, protocols } = fresh);
    const bareChild = fresh.bare.process as never;
    const child = fresh.service.child as never;
    serviceChild = fresh.service.child;
    // Heap snapshots, when asked for, of the last round only.
    const snapshot = (server: never, name: string) => (last ? snapshotOf(server, name) : Promise.resolve());
    // Both servers get the same warm-up (500 connections opened and closed) before their baseline.
    await closeAll(await openMany(bareUrl, [], 500));
    await snapshot(bareChild, 'bare-before');
    const bareMemory = await memoryOf(bareChild);
    await snapshot(bareChild, 'bare-start');
    const bareSockets = await openMany(bareUrl, [], SESSIONS);
    await snapshot(bareChild, 'bare.heapprofile');
    const bareMemoryAfter = await memoryOf(bareChild);
    await snapshot(bareChild, 'bare-after');
    await closeAll(bareSockets);
    const servicePrime = await openMany(streamUrl, protocols, 500); // warm-up
    await closeAll(servicePrime);
    await snapshot(child, 'service-before');
    const serviceMemory = await memoryOf(child);
    await snapshot(child, 'service-start');
    sessions = await openMany(streamUrl, protocols, SESSIONS);
    await snapshot(child, 'service.heapprofile');
    const serviceMemoryAfter = await memoryOf(child);
    await snapshot(child, 'service-after');
    if (!last) await closeAll(sessions);
    rounds.push({ bare: [bareMemory, bareMemoryAfter], service: [serviceMemory, serviceMemoryAfter] });
  }
  /** KiB per session that `key` grew by in one side of one round. */
  const growth = ([before, after]: [Memory, Memory], key: 'rss' | 'settledRss' | MemoryKey) =>
    (after[key] - before[key]) / SESSIONS / 1024;
  const middle = (side: 'bare' | 'service', key: 'rss' | 'settledRss' | MemoryKey) =>
    median(rounds.map((r) => growth(r[side], key)));
  const ratioOf = (key: 'rss' | 'settledRss') =>
    median(rounds.map((r) => growth(r.service, key) / growth(r.bare, key)));
  const perSession = (side: 'bare' | 'service') =>
    (['heapUsed', 'heapTotal', 'external'] as const).map((key) => middle(side, key).toFixed(1)).join(' / ');
  notes.push(
    `per session (medians), live JS heap / JS heap capacity / external: bare ${perSession('bare')} KiB, service ${perSession('service')} KiB`,
  );
  const spaceGrowth = ([before, after]: [Memory, Memory]) =>
    Object.keys(after.spaces)
      .map(
        (name) => [name, ((after.spaces[name] ?? 0) - (before.spaces[name] ?? 0)) / SESSIONS / 1024] as const,
      )
      .filter(([, kib]) => Math.abs(kib) >= 0.1)
      .map(([name, kib]) => `${name} ${kib.toFixed(1)}`)
      .join(', ');
  const lastRound = rounds.at(-1)!;
  notes.push(
    `heap capacity growth per session by space (KiB, last round): bare ${spaceGrowth(lastRound.bare)}; service ${spaceGrowth(lastRound.service)}`,
  );
  const bareGrowth = { name: `bare ws, ${SESSIONS} idle connections`, value: middle('bare', 'rss') };
  figures.push({ ...bareGrowth, unit: 'KiB/session' });
  figures.push(
    compare(
      `signals-api, ${SESSIONS} idle authenticated sessions`,
      middle('service', 'rss'),
      'KiB/session',
      bareGrowth,
      1.2,
      { higherIsBetter: false, ratio: ratioOf('rss') },
    ),
  );
  // The same after a memory-reducing GC (the young generation shrunk, as an idle process's is).
  const bareSettled = {
    name: `bare ws, ${SESSIONS} idle connections, settled`,
    value: middle('bare', 'settledRss'),
  };
  figures.push({ ...bareSettled, unit: 'KiB/session' });
  figures.push(
    compare(
      `signals-api, ${SESSIONS} idle authenticated sessions, settled`,
      middle('service', 'settledRss'),
      'KiB/session',
      bareSettled,
      1.2,
      { higherIsBetter: false, ratio: ratioOf('settledRss') },
    ),
  );
  const kib = (value: number) => value.toFixed(2);
  notes.push(
    `RSS growth per round, KiB/session (bare / service; settled bare / service): ${rounds.map((r) => `${kib(growth(r.bare, 'rss'))}/${kib(growth(r.service, 'rss'))}; ${kib(growth(r.bare, 'settledRss'))}/${kib(growth(r.service, 'settledRss'))}`).join(' | ')}`,
  );
  const regionGrowth = (
    side: 'bare' | 'service',
    key: 'brk' | 'anon' | 'file',
    which: 'regions' | 'settledRegions',
  ) =>
    median(
      rounds.map(
        (r) => ((r[side][1][which]?.[key] ?? 0) - (r[side][0][which]?.[key] ?? 0)) / SESSIONS / 1024,
      ),
    ).toFixed(2);
  const regionsOf = (side: 'bare' | 'service', which: 'regions' | 'settledRegions') =>
    `malloc heap ${regionGrowth(side, 'brk', which)}, other anonymous ${regionGrowth(side, 'anon', which)}`;
  notes.push(
    `RSS growth per session by mapping (KiB, medians; malloc heap = native allocations, other anonymous = mostly V8's heap): bare ${regionsOf('bare', 'regions')}; service ${regionsOf('service', 'regions')}; settled: bare ${regionsOf('bare', 'settledRegions')}; service ${regionsOf('service', 'settledRegions')}`,
  );
  notes.push(
    `RSS after a GC, last round: bare ${(lastRound.bare[0].rss / MiB).toFixed(0)} → ${(lastRound.bare[1].rss / MiB).toFixed(0)} MiB, service ${(lastRound.service[0].rss / MiB).toFixed(0)} → ${(lastRound.service[1].rss / MiB).toFixed(0)} MiB`,
  );
  // What each full GC during ingest has to mark at least: the ingest CPU gap tracks it.
  const liveHeap = (side: 'bare' | 'service') =>
    (median(rounds.map((r) => r[side][0].heapUsed)) / MiB).toFixed(1);
  notes.push(
    `live JS heap after GCs, warmed up, before the sessions (median): bare ${liveHeap('bare')} MiB, service ${liveHeap('service')} MiB`,
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
  serviceChild!.kill('SIGTERM');
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
  serviceChild!.kill('SIGTERM');
  await closeAll(sessions);
  if (process.env['BENCH_WS_BARE_GARBAGE_KB'])
    notes.push(
      `control: the bare server allocated BENCH_WS_BARE_GARBAGE_KB=${process.env['BENCH_WS_BARE_GARBAGE_KB']} units (~1.5 KB each) of short-lived objects per connection`,
    );
  if (BARE_FLAGS.length > 0 || SERVICE_FLAGS.length > 0)
    notes.push(
      `extra Node flags (an experiment, not how the servers normally run): bare [${BARE_FLAGS.join(' ')}], service [${SERVICE_FLAGS.join(' ')}]`,
    );
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
    'Servers run as their own processes (the service exactly as `npm start` runs it, with a GC/RSS preload: its young generation capped at 2 × 16 MiB by `--max-semi-space-size=16`; the bare server with the same cap, so both sides run with the same V8 settings — without it, Node 24 sizes it from the heap limit, 2 × 32 MiB on a 4 GiB one, and the bare side would look bigger than it need be); the client is this process. Ingest: one fresh pair of processes per round (a warm-up ingest each, then bare and service measured back to back), ratio = median of per-round ratios; server CPU = user + system time of the server process (GC threads included) over the round, per MiB. Memory: RSS after 3 forced GCs, before and after opening the sessions (each answered its first message), divided by the session count; "settled": the same after a further memory-reducing GC (young generation shrunk, as V8\'s memory reducer does in an idle process), which leaves out the young-generation slack that the bursts of allocation while opening sessions grew. Drain: from SIGTERM to the last client receiving shutdown.warning, measured by the client.',
  figures,
  notes,
});
