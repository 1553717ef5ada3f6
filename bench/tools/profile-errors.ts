/**
 * Profiles scenario-2 servers under load: `node bench/tools/profile-errors.ts faultline bare`.
 * Each server (pinned to CPU 1) is warmed up, then V8's sampling profiler (the one behind
 * --cpu-prof, driven through the inspector so start-up and warm-up stay out of it) records
 * exactly the 5 s measured window of load (CPU 0);
 * prints server CPU time per request by function (self and inclusive), and, with two or more
 * variants, where the first spends more than the second. Profiles stay in bench/.tmp/prof/
 * (gitignored) for Chrome DevTools or speedscope.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../lib/child.ts';
import { load } from '../lib/load.ts';
import { type Costs, costs, diff, top } from './cpuprofile.ts';

const root = join(import.meta.dirname, '..', '..');
// `--server=<script>` profiles another server script that takes a variant and serves GET /err.
const serverArg = process.argv.find((a) => a.startsWith('--server='));
const script = serverArg ? serverArg.slice('--server='.length) : join(root, 'bench/servers/errors.ts');
// `--path=<path>` loads another route of that server (default /err), e.g. --path=/limited.
const pathArg = process.argv.find((a) => a.startsWith('--path='));
const path = pathArg ? pathArg.slice('--path='.length) : '/err';
// `--node=<flag>` (repeatable) passes a V8/Node flag to the servers, e.g. --node=--no-opt.
const nodeFlags = process.argv.filter((a) => a.startsWith('--node=')).map((a) => a.slice('--node='.length));
const variants = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (variants.length === 0) variants.push('faultline', 'bare');
const results: Costs[] = [];
for (const variant of variants) {
  const dir = join(root, 'bench/.tmp/prof', variant);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const server = await startServer(script, [variant], 1, nodeFlags);
  const url = `http://127.0.0.1:${server.port}${path}`;
  const file = join(dir, `${variant}.cpuprofile`);
  await load({ url, seconds: 3, connections: 50, cpu: 0 });
  await server.profile('start');
  const cpuBefore = await server.cpuMicros();
  const measured = await load({ url, seconds: 5, connections: 50, cpu: 0 });
  const cpu = ((await server.cpuMicros()) - cpuBefore) / measured.requests;
  await server.profile('stop', file);
  await server.stop();
  const c = costs(JSON.parse(readFileSync(file, 'utf8')), measured.requests);
  results.push(c);
  console.log(
    `\n=== ${variant}: ${Math.round(measured.requestsPerSecond)} req/s under the profiler; ${c.busyPerRequest.toFixed(1)} µs sampled, ${cpu.toFixed(1)} µs process CPU per request`,
  );
  console.log(`-- self time per request\n${top(c.self, 25)}`);
  const ours = (l: string) => /faultline\/src|servers\/|fastify\/lib|fastify-plugin|error-handler/.test(l);
  console.log(
    `-- inclusive time per request (faultline, bench server and Fastify frames)\n${top(c.inclusive, 25, ours)}`,
  );
}
if (results.length >= 2) {
  console.log(
    `\n=== ${variants[0]} minus ${variants[1]}: ${(results[0]!.busyPerRequest - results[1]!.busyPerRequest).toFixed(1)} µs per request`,
  );
  console.log(`-- self time difference per request\n${diff(results[0]!.self, results[1]!.self, 30)}`);
}
