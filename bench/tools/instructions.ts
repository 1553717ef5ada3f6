/**
 * Instructions per request of bench servers, counted by valgrind's callgrind: unlike time, the
 * count hardly moves when other work shares the CPUs, so it compares variants on a busy machine.
 * `node bench/tools/instructions.ts --server=bench/servers/limits.ts --path=/limited none faultline-memory`
 * Each variant runs in its own server under callgrind with instrumentation off (near native
 * speed) for WARM requests, so the JIT settles; then counting is switched on for N requests
 * (`WARM`, `N` env, default 20 000 and 4 000; autocannon, 10 connections).
 * Also printed: instructions spent in V8's slow path for object literals with computed keys
 * (`Runtime_DefineKeyedOwnPropertyInLiteral`). Some processes build Node's nextTick objects
 * through it (the JIT-state effect described in bench/README.md), adding ~35 000
 * instructions per request whatever the variant; the "clean" figure leaves it out.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const option = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const script = option('server', join(root, 'bench/servers/limits.ts'));
const path = option('path', '/limited');
const variants = process.argv.slice(2).filter((a) => !a.startsWith('--'));
// `--node=<flag>` (repeatable) passes a Node/V8 flag to the servers, e.g. --node=--perf-basic-prof
// (then /tmp/perf-<pid>.map names the JIT code callgrind shows as bare addresses).
const nodeFlags = process.argv.filter((a) => a.startsWith('--node=')).map((a) => a.slice('--node='.length));
const WARM = Number(process.env['WARM'] ?? 20_000);
const N = Number(process.env['N'] ?? 4000);
// Load connections (`CONNECTIONS`, default 10); scenario 2's wrk runs 50.
const CONNECTIONS = process.env['CONNECTIONS'] ?? '10';
const autocannon = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
const dir = join(root, 'bench/.tmp/callgrind');
mkdirSync(dir, { recursive: true });

function run(command: string, args: string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${command} failed: ${r.stderr || r.error}`);
  return r.stdout;
}

for (const variant of variants) {
  const base = join(dir, variant);
  // This variant's dumps only (`faultline` must not take `faultline-registered`'s with it).
  const ours = (f: string) => f === variant || f.startsWith(`${variant}.`);
  for (const f of readdirSync(dir)) if (ours(f)) rmSync(join(dir, f));
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      '-q',
      '--smc-check=all-non-file', // V8 writes code at run time
      '--instr-atstart=no',
      `--callgrind-out-file=${base}`,
      process.execPath,
      ...nodeFlags,
      script,
      variant,
      `bench:callgrind:${Date.now()}:`,
    ],
    { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
  );
  const port = await new Promise<number>((resolve) =>
    child.on('message', (m: { listening?: number }) => {
      if (typeof m?.listening === 'number') resolve(m.listening);
    }),
  );
  const url = `http://127.0.0.1:${port}${path}`;
  run(process.execPath, [autocannon, '-c', CONNECTIONS, '-a', String(WARM), '-j', url]);
  run('callgrind_control', ['-i', 'on', String(child.pid)]);
  run('callgrind_control', ['-z', String(child.pid)]);
  const report = JSON.parse(
    run(process.execPath, [autocannon, '-c', CONNECTIONS, '-a', String(N), '-j', url]),
  ) as {
    requests: { total: number };
    non2xx: number;
  };
  run('callgrind_control', ['-d', String(child.pid)]);
  child.kill('SIGKILL');
  // The last dump is the measured window (the first holds what ran before `-z`).
  const dump = readdirSync(dir).filter(ours).sort().at(-1)!;
  const text = readFileSync(join(dir, dump), 'utf8');
  const total = Number(/^summary: (\d+)/m.exec(text)?.[1] ?? 0);
  const inclusive = run('callgrind_annotate', ['--inclusive=yes', '--threshold=100', join(dir, dump)]);
  const slow = /^\s*([\d,]+) .*Runtime_DefineKeyedOwnPropertyInLiteral/m.exec(inclusive);
  const slowTotal = slow ? Number(slow[1]!.replace(/,/g, '')) : 0;
  const n = report.requests.total;
  console.log(
    `${variant}: ${Math.round(total / n)} instructions/request (clean ${Math.round((total - slowTotal) / n)}; literal slow path ${Math.round(slowTotal / n)}) over ${n} requests, ${report.non2xx} non-2xx (pid ${child.pid}, ${dump})`,
  );
}
