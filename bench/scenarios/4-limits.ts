/**
 * Scenario 4 — what a limit check costs on one Fastify route: no limiter vs faultline/limits
 * (memory; Redis deciding rate + concurrency in one EVALSHA) vs rate-limiter-flexible (memory,
 * Redis; one limit; the route sets the same IETF RateLimit headers from its answer, as a service
 * must) and @fastify/rate-limit (memory; its own three X-RateLimit headers). Each server is its own process pinned to
 * CPU 1; the load generator is pinned to CPU 0; Redis runs wherever the OS puts it.
 * Run alone: `node bench/scenarios/4-limits.ts`.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { pinning, type ServerChild, startServer } from '../lib/child.ts';
import { load, loadTool } from '../lib/load.ts';
import { compare, emit, type Figure, median } from '../lib/result.ts';

const WARMUP_S = 1;
const SECONDS = 4;
const CONNECTIONS = 50;
const ROUNDS = 3;
const twoCores = availableParallelism() >= 2;
const SERVER_CPU = twoCores ? 1 : undefined;
const LOAD_CPU = twoCores ? 0 : undefined;
const root = join(import.meta.dirname, '..', '..');
const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const prefix = `bench:limits:${randomBytes(4).toString('hex')}:`;

const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
const redisUp = await redis.connect().then(
  () => true,
  () => false,
);

const all = [
  { id: 'none', label: 'no limiter', target: undefined },
  {
    id: 'headers-floor',
    label: 'floor: no limiter, the same RateLimit headers + close listener',
    target: undefined,
  },
  { id: 'faultline-memory', label: 'faultline/limits memory (rate + concurrency)', target: 0.95 },
  {
    id: 'faultline-redis',
    label: 'faultline/limits Redis (rate + concurrency, one round trip)',
    target: 0.6,
  },
  {
    id: 'rlf-memory',
    label: 'rate-limiter-flexible memory (rate only, + RateLimit headers)',
    target: undefined,
  },
  {
    id: 'rlf-redis',
    label: 'rate-limiter-flexible Redis (rate only, + RateLimit headers)',
    target: undefined,
  },
  { id: 'fastify-rate-limit', label: '@fastify/rate-limit memory (rate only)', target: undefined },
] as const;
const targets = all.filter((t) => redisUp || !t.id.endsWith('redis'));

const servers = new Map<string, ServerChild>();
const notes: string[] = [];
const url = (id: string) => `http://127.0.0.1:${servers.get(id)!.port}/limited`;
const stopAll = async () => {
  await Promise.all([...servers.values()].map((s) => s.stop()));
  servers.clear();
};
const loadBefore = loadavg()[0]!;
try {
  const rates = new Map<string, number[]>(targets.map((t) => [t.id, []]));
  const cpuPerRequest = new Map<string, number[]>(targets.map((t) => [t.id, []]));
  const problems: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const t of targets)
      servers.set(
        t.id,
        await startServer(join(root, 'bench/servers/limits.ts'), [t.id, `${prefix}${round}:`], SERVER_CPU),
      );
    if (round === 0)
      for (const t of targets) {
        const response = await fetch(url(t.id));
        if (response.status !== 200) throw new Error(`${t.id} answered ${response.status}`);
        const headers = [...response.headers].filter(([name]) => name.includes('ratelimit'));
        notes.push(`${t.id}: 200; headers ${headers.map(([n, v]) => `${n}: ${v}`).join(' | ') || 'none'}`);
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
      if (r.errors > 0 || r.non2xx > 0) problems.push(`${t.id} round ${round + 1}: ${JSON.stringify(r)}`);
    }
    await stopAll();
  }
  const list = (xs: number[]) => xs.map((x) => Math.round(x).toLocaleString('en-US')).join(' / ');
  notes.push(`req/s per round: ${targets.map((t) => `${t.id} ${list(rates.get(t.id)!)}`).join('; ')}`);
  const figures: Figure[] = [];
  for (const [metric, unit, series, higherIsBetter] of [
    ['req/s', 'req/s', rates, true],
    ['server CPU per request', 'µs', cpuPerRequest, false],
  ] as const) {
    const none = series.get('none')!;
    const baseline = { name: 'no limiter', value: median(none) };
    figures.push({ name: `no limiter — ${metric}`, value: baseline.value, unit });
    for (const t of targets.slice(1)) {
      const own = series.get(t.id)!;
      const ratio = median(own.map((v, i) => v / none[i]!));
      // Targets are throughput ratios; the CPU rows are for reading, not for passing.
      const goal = metric === 'req/s' ? t.target : undefined;
      figures.push(
        compare(`${t.label} — ${metric}`, median(own), unit, baseline, goal, { ratio, higherIsBetter }),
      );
    }
  }
  notes.unshift(
    `load: ${loadTool}, 1 thread, ${CONNECTIONS} connections; ${pinning && twoCores ? 'server pinned to CPU 1, load to CPU 0 (taskset); Redis unpinned' : 'not pinned (no taskset or one core)'}`,
    `1-minute load average ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after (above ~0.5: other work shared the CPUs; read the CPU rows first)`,
    ...(redisUp ? [] : [`Redis at ${redisUrl} unreachable: Redis targets not run`]),
    ...(problems.length ? [`PROBLEMS (non-2xx or socket errors): ${problems.join('; ')}`] : []),
  );
  emit({
    id: 'limits',
    title: '4. Limits — faultline/limits vs no limiter and peer libraries on one Fastify route',
    method: `GET /limited answering 200 {ok:true} (every limited route also sends rate-limit headers; the floor row sends faultline's two RateLimit headers and adds the 'close' listener a concurrency slot needs, with no limiter: what any limiter answering that way pays; faultline's in an onRequest callback hook through admitNow, the others in an async hook; faultline's Redis store sends the decisions of one turn of the event loop in one EVALSHA, its ioredis client without auto-pipelining as signals-api's, rate-limiter-flexible's with), requests taking turns among 1,000 subjects (accounts) with 1,000,000 per minute each (every request passes); each server its own process (logger off); ${ROUNDS} rounds with fresh processes, ${WARMUP_S} s warm-up per target, ${SECONDS} s measured per target (order alternating); value = median over rounds, ratio = median of per-round ratios to no limiter.`,
    figures,
    notes,
  });
} finally {
  await stopAll();
  if (redisUp) {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  redis.disconnect();
}
