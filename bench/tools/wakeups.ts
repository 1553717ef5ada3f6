/**
 * How much of a server's CPU per request is the load generator's wake-ups:
 * `node bench/tools/wakeups.ts bare bare-spin faultline` (servers of `servers/errors.ts`;
 * `--server=<script>` for another, `ROUNDS` alternating rounds, default 3). For each variant,
 * a fresh server pinned to CPU 1, 2 s of warm-up, then 3 s of wrk on CPU 0 under
 * `perf stat -e context-switches`: prints wrk's sleeps per request and the server's user and
 * system µs per request (/proc/<pid>/stat), then the medians. On loopback the server's `write`
 * runs the receive path of wrk's socket and wakes wrk when it sleeps, so the server's system time
 * follows how often wrk sleeps, which grows when the server is slower (bench/README.md,
 * "Where the CPU gap goes"). `bare-spin` is bare plus a busy loop (BENCH_SPIN iterations), the
 * control: slower for a reason that has nothing to do with faultline.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasCommand, startServer } from '../lib/child.ts';
import { load } from '../lib/load.ts';
import { median } from '../lib/result.ts';

if (!hasCommand('perf') || !hasCommand('wrk') || !hasCommand('taskset'))
  throw new Error('wakeups.ts needs perf, wrk and taskset');
const root = join(import.meta.dirname, '..', '..');
const serverArg = process.argv.find((a) => a.startsWith('--server='));
const script = serverArg ? serverArg.slice('--server='.length) : join(root, 'bench/servers/errors.ts');
const variants = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const ROUNDS = Number(process.env['ROUNDS'] ?? 3);
const TICK_MICROS = 10_000; // /proc/<pid>/stat counts clock ticks of 10 ms (USER_HZ 100)

function times(pid: number): { user: number; system: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return { user: Number(fields[11]) * TICK_MICROS, system: Number(fields[12]) * TICK_MICROS };
}

interface Row {
  readonly sleeps: number;
  readonly user: number;
  readonly system: number;
}
const rows = new Map<string, Row[]>(variants.map((v) => [v, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const variant of round % 2 === 0 ? variants : [...variants].reverse()) {
    const server = await startServer(script, [variant], 1);
    try {
      const url = `http://127.0.0.1:${server.port}/err`;
      await load({ url, seconds: 2, connections: 50, cpu: 0 });
      const before = times(server.process.pid!);
      const wrk = spawnSync(
        'taskset',
        ['-c', '0', 'perf', 'stat', '-x,', '-e', 'context-switches', 'wrk', '-t1', '-c50', '-d3s', url],
        { encoding: 'utf8' },
      );
      const after = times(server.process.pid!);
      const requests = Number(/(\d+) requests in/.exec(wrk.stdout)?.[1] ?? 0);
      const switches = Number(/^(\d+),,context-switches/m.exec(wrk.stderr)?.[1] ?? Number.NaN);
      const row = {
        sleeps: switches / requests,
        user: (after.user - before.user) / requests,
        system: (after.system - before.system) / requests,
      };
      rows.get(variant)!.push(row);
      console.log(
        `${variant}: wrk sleeps/request ${row.sleeps.toFixed(3)}, server user ${row.user.toFixed(2)} µs/request, system ${row.system.toFixed(2)}`,
      );
    } finally {
      await server.stop();
    }
  }
}
console.log(`\nmedians of ${ROUNDS} rounds:`);
for (const [variant, list] of rows) {
  const m = (pick: (r: Row) => number) => median(list.map(pick));
  console.log(
    `${variant.padEnd(20)} wrk sleeps/request ${m((r) => r.sleeps).toFixed(2)}  user ${m((r) => r.user).toFixed(1)} µs  system ${m((r) => r.system).toFixed(1)} µs`,
  );
}
