/**
 * Scenario 2 — the error path through the Fastify adapter vs bare Fastify and peer libraries.
 * Each server is its own process pinned to CPU 1; the load generator (wrk, else autocannon) is
 * pinned to CPU 0. Run alone: `node bench/scenarios/2-fastify-errors.ts`.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pinning, type ServerChild, startServer } from '../lib/child.ts';
import { load, loadTool } from '../lib/load.ts';
import { compare, emit, type Figure, median } from '../lib/result.ts';

const WARMUP_S = 2;
const SECONDS = 5;
const CONNECTIONS = 50;
/** Rounds in alternating order, so drift on a shared box hits every target alike. */
const ROUNDS = 3;
const twoCores = availableParallelism() >= 2;
const SERVER_CPU = twoCores ? 1 : undefined;
const LOAD_CPU = twoCores ? 0 : undefined;

const root = join(import.meta.dirname, '..', '..');
const adapterReady = existsSync(join(root, 'packages/faultline/src/server/fastify/index.ts'));
const targets = [
  { id: 'bare', label: 'bare Fastify reply.code(400).send(obj)' },
  ...(adapterReady ? [{ id: 'faultline', label: 'faultline: throw catalog error + faultlineFastify' }] : []),
  { id: 'fastify-default', label: "Fastify's default handler, thrown Error{statusCode:400}" },
  { id: 'sensible-reply', label: '@fastify/sensible reply.badRequest()' },
  { id: 'sensible-throw', label: '@fastify/sensible throw httpErrors.badRequest()' },
  { id: 'boom', label: '@hapi/boom throw Boom.badRequest() + setErrorHandler' },
] as const;

const servers = new Map<string, ServerChild>();
const notes: string[] = [];
const url = (id: string) => `http://127.0.0.1:${servers.get(id)!.port}/err`;
const stopAll = async () => {
  await Promise.all([...servers.values()].map((s) => s.stop()));
  servers.clear();
};
try {
  const rates = new Map<string, number[]>(targets.map((t) => [t.id, []]));
  const cpuPerRequest = new Map<string, number[]>(targets.map((t) => [t.id, []]));
  const problems: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Fresh processes every round: a server's JIT state differs from one process to the next
    // (see README), so each round samples it anew instead of reusing one lucky or unlucky process.
    for (const t of targets) {
      servers.set(t.id, await startServer(join(root, 'bench/servers/errors.ts'), [t.id], SERVER_CPU));
    }
    if (round === 0) {
      // Every target must really answer the 400 it claims to; the sizes explain part of any gap.
      for (const t of targets) {
        const response = await fetch(url(t.id));
        const body = await response.text();
        if (response.status !== 400) throw new Error(`${t.id} answered ${response.status}: ${body}`);
        notes.push(`${t.id}: 400, ${Buffer.byteLength(body)} B body \`${body}\``);
      }
    }
    for (const t of targets)
      await load({ url: url(t.id), seconds: WARMUP_S, connections: CONNECTIONS, cpu: LOAD_CPU });
    const order = round % 2 === 0 ? targets : [...targets].reverse();
    for (const t of order) {
      const server = servers.get(t.id)!;
      const cpuBefore = await server.cpuMicros();
      const r = await load({ url: url(t.id), seconds: SECONDS, connections: CONNECTIONS, cpu: LOAD_CPU });
      cpuPerRequest.get(t.id)!.push(((await server.cpuMicros()) - cpuBefore) / r.requests);
      rates.get(t.id)!.push(r.requestsPerSecond);
      // All answers are 400s: anything below the request count, or a socket error, is a broken run.
      if (r.errors > 0 || r.non2xx < r.requests)
        problems.push(`${t.id} round ${round + 1}: ${JSON.stringify(r)}`);
    }
    await stopAll();
  }
  const list = (xs: number[]) => xs.map((x) => Math.round(x).toLocaleString('en-US')).join(' / ');
  notes.push(`req/s per round: ${targets.map((t) => `${t.id} ${list(rates.get(t.id)!)}`).join('; ')}`);

  const figures: Figure[] = [];
  // Throughput, as asked; then server CPU per request, which a busy shared box distorts far less.
  for (const [metric, unit, series, target, higherIsBetter] of [
    ['req/s', 'req/s', rates, 0.9, true],
    ['server CPU per request', 'µs', cpuPerRequest, 1 / 0.9, false],
  ] as const) {
    const bare = series.get('bare')!;
    const baseline = { name: 'bare', value: median(bare) };
    figures.push({ name: `${targets[0].label} — ${metric}`, value: baseline.value, unit });
    for (const t of targets.slice(1)) {
      const own = series.get(t.id)!;
      const ratio = median(own.map((v, i) => v / bare[i]!)); // paired with bare in the same round
      const goal = t.id === 'faultline' ? Number(target.toFixed(2)) : undefined;
      figures.push(
        compare(`${t.label} — ${metric}`, median(own), unit, baseline, goal, { ratio, higherIsBetter }),
      );
    }
  }
  if (!adapterReady) notes.unshift('faultline/fastify does not exist yet: the faultline target was not run');
  notes.unshift(
    `load: ${loadTool}, 1 thread, ${CONNECTIONS} connections; ${pinning && twoCores ? 'server pinned to CPU 1, load to CPU 0 (taskset)' : 'not pinned (no taskset or one core)'}`,
    ...(problems.length ? [`PROBLEMS (unexpected status or socket errors): ${problems.join('; ')}`] : []),
  );
  emit({
    id: 'fastify-errors',
    title: '2. Fastify error path — faultline adapter vs bare Fastify and peers',
    method: `GET /err answering 400, each server its own process (logger off); ${ROUNDS} rounds, each with fresh server processes, a ${WARMUP_S} s warm-up per target, then ${SECONDS} s measured per target (order alternating between rounds); value = median over rounds, ratio = median of per-round ratios to bare; CPU per request = server process user+system time / requests answered (its target ≤ 1/0.9 × bare is the same 0.9× capacity).`,
    figures,
    notes,
  });
} finally {
  await stopAll();
}
