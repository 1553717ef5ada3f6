/**
 * Scenario 4's ingest alone, with the server's CPU split by thread:
 * `node bench/tools/ws-ingest.ts` (ROUNDS alternating rounds, default 5; FRESH=1 starts a new
 * pair of processes every round). Each round sends 4 sessions × 40 binary messages of 1 MiB to
 * the bare `ws` server and to the real service (as scenario 4 does) and prints, per MiB, the
 * server's CPU from /proc: main thread and the other threads (V8's GC helpers, libuv), user and
 * system. `BARE_FLAGS` / `SERVICE_FLAGS` (space-separated) add Node flags to one side
 * (`--trace-gc`, `--cpu-prof --cpu-prof-dir=…`); `MESSAGE_KIB` changes the message size.
 * `ALLOCATIONS=<dir>`: the last round also samples what each server allocated on its JS heap
 * (`bare.heapprofile`, `service.heapprofile`; `node bench/lib/heap-diff.ts --allocations
 * <file> 160` prints bytes per MiB by function).
 */
import { type ChildProcess, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pinSelf, type ServerChild, startServer } from '../lib/child.ts';
import { median } from '../lib/result.ts';
import { type Service, startService, YOUNG_GENERATION_CAP } from '../lib/service.ts';
import { type ThreadCpu, threadCpu } from '../lib/threads.ts';
import { openMany, sendAndAwaitAnswers } from '../lib/ws-clients.ts';

const root = join(import.meta.dirname, '..', '..');
const tmp = join(root, 'bench/.tmp');
const ROUNDS = Number(process.env['ROUNDS'] ?? 5);
const FRESH = process.env['FRESH'] === '1';
const SIZE = Number(process.env['MESSAGE_KIB'] ?? 1024) * 1024;
const MiB = 2 ** 20;
const PARALLEL = 4;
const FRAMES = 40;
const ALLOCATIONS = process.env['ALLOCATIONS'];
const memoryPreload = ALLOCATIONS ? ['--import', join(root, 'bench/servers/memory.ts')] : [];
const flags = (name: string) => [...memoryPreload, ...(process.env[name] ?? '').split(' ').filter(Boolean)];
mkdirSync(tmp, { recursive: true });
pinSelf(0);

/** Asks a server with bench/servers/memory.ts loaded to start (`'start'`) or write (a path) its allocation profile. */
function profile(child: ChildProcess, value: string): Promise<void> {
  return new Promise((resolve) => {
    const wait = (message: unknown) => {
      if ((message as { profile?: unknown } | null)?.profile === value) {
        child.off('message', wait);
        resolve();
      }
    };
    child.on('message', wait);
    child.send({ profile: value });
  });
}

async function ingest(
  url: string,
  protocols: string[],
  answered: (t: string) => boolean,
  child: ChildProcess,
  allocations?: string,
) {
  const pid = child.pid!;
  const frame = randomBytes(SIZE);
  const sockets = await openMany(url, protocols, PARALLEL);
  if (allocations) await profile(child, 'start');
  const before = threadCpu(pid);
  const started = performance.now();
  await sendAndAwaitAnswers(sockets, frame, FRAMES, answered);
  const seconds = (performance.now() - started) / 1000;
  const after = threadCpu(pid);
  if (allocations) await profile(child, allocations);
  for (const ws of sockets) ws.close();
  const mib = (PARALLEL * FRAMES * SIZE) / MiB;
  const per = (key: keyof ThreadCpu) => (after[key] - before[key]) / mib;
  return {
    speed: mib / seconds,
    total: per('mainUser') + per('mainSystem') + per('other'),
    mainUser: per('mainUser'),
    mainSystem: per('mainSystem'),
    other: per('other'),
    faults: per('minorFaults'),
  };
}

async function tokenFor(service: Service): Promise<string> {
  const bin = join(root, 'apps/signals-api/src/cli/bin.ts');
  const env = { ...process.env, DATABASE_URL: `sqlite:${join(service.dir, 'signals.db')}` };
  const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8' });
  const big = ['--rpm', '1000000', '--concurrency', '1000000', '--period-minutes', '1000000'];
  run(['plans', 'set', 'bench', ...big, '--daily-minutes', '1000000']);
  const key = JSON.parse(
    run(['keys', 'create', '--scopes', 'interhumanai.stream', '--plan', 'bench']).stdout,
  ) as { key_id: string; key_secret: string };
  const response = await fetch(`${service.url}/v0/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...key, scopes: ['interhumanai.stream'] }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

let bare: ServerChild | undefined;
let service: Service | undefined;
let token = '';
async function start(): Promise<void> {
  await bare?.stop();
  await service?.stop();
  // The service's young-generation cap on both sides (see lib/service.ts).
  bare = await startServer(join(root, 'bench/servers/ws-bare.ts'), [], 1, [
    YOUNG_GENERATION_CAP,
    ...flags('BARE_FLAGS'),
  ]);
  service = await startService(tmp, 1, { nodeArgs: flags('SERVICE_FLAGS'), countRead: false });
  // What the service prints from now on (e.g. --trace-gc lines), on this process's stderr.
  service.child.stdout!.on('data', (d: string) => process.stderr.write(d));
  token = await tokenFor(service);
}

const isAck = (t: string) => t.includes('"ack"');
const isAnswer = (t: string) => t.includes('"error_id"');
const rows: { bare: Awaited<ReturnType<typeof ingest>>; service: Awaited<ReturnType<typeof ingest>> }[] = [];
const fmt = (r: Awaited<ReturnType<typeof ingest>>) =>
  `${r.speed.toFixed(0)} MiB/s, CPU ${r.total.toFixed(0)} µs/MiB (main user ${r.mainUser.toFixed(0)}, main sys ${r.mainSystem.toFixed(0)}, other threads ${r.other.toFixed(0)}; ${r.faults.toFixed(0)} faults/MiB)`;
try {
  for (let round = 0; round < ROUNDS; round++) {
    if (round === 0 || FRESH) {
      await start();
      await ingest(`ws://127.0.0.1:${bare!.port}/`, [], isAck, bare!.process);
      await ingest(streamUrl(), ['access_token', token], isAnswer, service!.child);
    }
    const last = ALLOCATIONS && round === ROUNDS - 1;
    const b = await ingest(
      `ws://127.0.0.1:${bare!.port}/`,
      [],
      isAck,
      bare!.process,
      last ? join(ALLOCATIONS, 'bare.heapprofile') : undefined,
    );
    const s = await ingest(
      streamUrl(),
      ['access_token', token],
      isAnswer,
      service!.child,
      last ? join(ALLOCATIONS, 'service.heapprofile') : undefined,
    );
    rows.push({ bare: b, service: s });
    console.log(
      `round ${round + 1}: bare ${fmt(b)}\n         service ${fmt(s)}  ratio ${(s.total / b.total).toFixed(2)}×`,
    );
  }
  const m = (f: (r: (typeof rows)[number]) => number) => median(rows.map(f)).toFixed(2);
  console.log(
    `median CPU ratio ${m((r) => r.service.total / r.bare.total)}×, speed ratio ${m((r) => r.service.speed / r.bare.speed)}×; load ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}`,
  );
} finally {
  await bare?.stop();
  await service?.stop();
}

function streamUrl(): string {
  return `${service!.url.replace('http', 'ws')}/v0/stream/analyze`;
}
