/**
 * The error-path scenarios' method: each faultline server against its framework's own bare
 * equivalent, ONE server process alive at a time (pinned to CPU 1, load on CPU 0), rounds
 * alternating the order, a fresh process per measurement. The ratio of a pair is the median of
 * its per-round ratios. See bench/README.md ("Why the error-path harness changed").
 */
import { availableParallelism, loadavg } from 'node:os';
import { pinning, startServer } from './child.ts';
import { load, loadTool } from './load.ts';
import { compare, type Figure, median } from './result.ts';

const twoCores = availableParallelism() >= 2;
const SERVER_CPU = twoCores ? 1 : undefined;
const LOAD_CPU = twoCores ? 0 : undefined;

/** One server: a script and its argv; it must answer GET /err with `status`. */
export interface Target {
  readonly label: string;
  readonly script: string;
  readonly args: readonly string[];
}

/** A faultline server and the bare server it must beat. */
export interface Pair {
  readonly name: string;
  readonly status: number;
  readonly bare: Target;
  readonly faultline: Target;
  /** Rounds for this pair when fewer than the run's (secondary pairs keep the run short). */
  readonly rounds?: number;
  /** Targets for req/s and CPU per request; absent: reported without a target. */
  readonly target?: { readonly rate: number; readonly cpu: number };
}

/** Knobs of a run; the environment overrides the defaults (BENCH_ROUNDS, BENCH_SECONDS, BENCH_WARMUP). */
export interface PairOptions {
  readonly rounds: number;
  readonly seconds: number;
  readonly warmup: number;
  readonly connections: number;
}

/**
 * Defaults, overridable from the environment for a longer run on a quiet machine.
 * @example const options = pairOptions({ rounds: 4 });
 */
export function pairOptions(defaults: Partial<PairOptions> = {}): PairOptions {
  const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback) || fallback;
  return {
    rounds: env('BENCH_ROUNDS', defaults.rounds ?? 4),
    seconds: env('BENCH_SECONDS', defaults.seconds ?? 3),
    warmup: env('BENCH_WARMUP', defaults.warmup ?? 2),
    connections: defaults.connections ?? 50,
  };
}

/** What a server answered, correlation ids blanked, for comparing a pair. */
interface Answer {
  readonly bytes: number;
  readonly body: string;
  readonly headers: string;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
// `charset=utf-8` is dropped: JSON has no other encoding (RFC 8259), so the parameter means
// nothing, and bare Fastify appends it to every JSON reply while faultline's contract is the
// exact media type. Same bytes of body either way; the bare side sends 15 more header bytes.
const CHARSET = /; ?charset=utf-8/i;
const normalise = (text: string) => text.replace(UUID, '<id>').replace(CHARSET, '');
/** The headers a pair must agree on (framework-specific ones such as Date, ETag, Keep-Alive aside). */
const COMPARED = ['content-type', 'retry-after', 'deprecation', 'sunset', 'x-correlation-id'];
const answerHeaders = (response: Response) =>
  COMPARED.map((name) => `${name}: ${normalise(response.headers.get(name) ?? '-')}`).join('; ');

interface Sample {
  readonly rate: number;
  /** Server CPU per request, µs: user + system, and the two parts. */
  readonly cpu: number;
  readonly user: number;
  readonly system: number;
}

/** One measurement of one target: start it alone, check its answer, warm up, measure, stop. */
async function measure(
  target: Target,
  status: number,
  o: PairOptions,
  notes: Map<string, Answer>,
): Promise<Sample> {
  const server = await startServer(target.script, target.args, SERVER_CPU);
  try {
    const url = `http://127.0.0.1:${server.port}/err`;
    const response = await fetch(url);
    const body = await response.text();
    if (response.status !== status) throw new Error(`${target.label} answered ${response.status}: ${body}`);
    const header = response.headers.get('x-correlation-id');
    if (!header || !body.includes(header))
      throw new Error(`${target.label}: X-Correlation-ID ${header} is not the body's correlation id`);
    const shown = normalise(body);
    if (!notes.has(target.label))
      notes.set(target.label, {
        bytes: Buffer.byteLength(body),
        body: shown,
        headers: answerHeaders(response),
      });
    await load({ url, seconds: o.warmup, connections: o.connections, cpu: LOAD_CPU });
    const before = await server.cpuTimes();
    const r = await load({ url, seconds: o.seconds, connections: o.connections, cpu: LOAD_CPU });
    const after = await server.cpuTimes();
    const user = (after.user - before.user) / r.requests;
    const system = (after.system - before.system) / r.requests;
    // Every answer is the error: a socket error or a 2xx in the count means a broken run.
    if (r.errors > 0 || r.non2xx < r.requests) throw new Error(`${target.label}: ${JSON.stringify(r)}`);
    return { rate: r.requestsPerSecond, cpu: user + system, user, system };
  } finally {
    await server.stop();
  }
}

/**
 * Runs every pair for `rounds` rounds (bare first in even rounds, faultline first in odd ones)
 * and returns the figures: per pair, bare and faultline req/s and server CPU per request, each
 * ratio the median of per-round ratios.
 * @example const { figures, notes } = await runPairs(pairs, pairOptions());
 */
export async function runPairs(
  pairs: readonly Pair[],
  o: PairOptions,
): Promise<{ figures: Figure[]; notes: string[]; method: string }> {
  const answers = new Map<string, Answer>();
  const samples = new Map<Pair, { bare: Sample[]; faultline: Sample[] }>();
  for (const pair of pairs) samples.set(pair, { bare: [], faultline: [] });
  const loads = [loadavg()[0]!];
  for (let round = 0; round < o.rounds; round++) {
    for (const pair of pairs) {
      if (round >= Math.min(pair.rounds ?? o.rounds, o.rounds)) continue;
      const order = round % 2 === 0 ? (['bare', 'faultline'] as const) : (['faultline', 'bare'] as const);
      for (const side of order)
        samples.get(pair)![side].push(await measure(pair[side], pair.status, o, answers));
    }
    loads.push(loadavg()[0]!);
  }
  const notes: string[] = [];
  for (const pair of pairs) {
    const bare = answers.get(pair.bare.label)!;
    const ours = answers.get(pair.faultline.label)!;
    // The pair must answer the same thing, or its ratio compares different work.
    if (bare.body !== ours.body || bare.headers !== ours.headers || bare.bytes !== ours.bytes)
      throw new Error(
        `${pair.name}: bare and faultline answer differently:\n${JSON.stringify({ bare, ours }, null, 2)}`,
      );
    notes.push(
      `${pair.name}: both answer ${pair.status}, ${ours.bytes} B (bare ${bare.bytes} B) \`${ours.body}\`; ${ours.headers}`,
    );
  }
  const figures: Figure[] = [];
  const rounds: string[] = [];
  const splits: string[] = [];
  for (const pair of pairs) {
    const { bare, faultline } = samples.get(pair)!;
    const rateRatio = median(faultline.map((s, i) => s.rate / bare[i]!.rate));
    const cpuRatio = median(faultline.map((s, i) => s.cpu / bare[i]!.cpu));
    const rate = { name: `bare (${pair.name})`, value: median(bare.map((s) => s.rate)) };
    const cpu = { name: `bare (${pair.name})`, value: median(bare.map((s) => s.cpu)) };
    figures.push(
      { name: `${pair.bare.label} — req/s`, value: rate.value, unit: 'req/s' },
      compare(
        `${pair.faultline.label} — req/s`,
        median(faultline.map((s) => s.rate)),
        'req/s',
        rate,
        pair.target?.rate,
        {
          ratio: rateRatio,
        },
      ),
      { name: `${pair.bare.label} — server CPU per request`, value: cpu.value, unit: 'µs' },
      compare(
        `${pair.faultline.label} — server CPU per request`,
        median(faultline.map((s) => s.cpu)),
        'µs',
        cpu,
        pair.target?.cpu,
        { ratio: cpuRatio, higherIsBetter: false },
      ),
    );
    const fmt = (xs: Sample[], pick: (s: Sample) => number, digits: number) =>
      xs.map((s) => pick(s).toFixed(digits)).join(' / ');
    rounds.push(
      `${pair.name}: req/s bare ${fmt(bare, (s) => s.rate, 0)}, faultline ${fmt(faultline, (s) => s.rate, 0)}; µs/req bare ${fmt(bare, (s) => s.cpu, 2)}, faultline ${fmt(faultline, (s) => s.cpu, 2)}`,
    );
    // User and kernel time apart: on loopback the kernel time includes waking the load generator,
    // which grows when the server is slower (bench/README.md, "Where the CPU gap goes").
    const split = (side: keyof Sample) =>
      median(faultline.map((s, i) => s[side] / bare[i]![side])).toFixed(2);
    splits.push(
      `${pair.name}: user µs/req bare ${fmt(bare, (s) => s.user, 2)}, faultline ${fmt(faultline, (s) => s.user, 2)} (ratio ${split('user')}); system µs/req bare ${fmt(bare, (s) => s.system, 2)}, faultline ${fmt(faultline, (s) => s.system, 2)} (ratio ${split('system')})`,
    );
  }
  notes.unshift(
    `load: ${loadTool}, 1 thread, ${o.connections} connections; ${pinning && twoCores ? 'server pinned to CPU 1, load to CPU 0 (taskset)' : 'NOT pinned (no taskset or one core)'}`,
    `1-minute load average during the scenario: ${loads.map((l) => l.toFixed(2)).join(' → ')}${Math.max(...loads.slice(0, -1)) > 0.5 + 1 ? ' (the bench itself adds ~1; above that, other work shared the CPUs)' : ''}`,
  );
  notes.push(...rounds.map((r) => `per round — ${r}`));
  notes.push(...splits.map((r) => `server CPU split per round — ${r}`));
  const method = `GET /err, one server process at a time (a fresh one per measurement: its answer checked, ${o.warmup} s warm-up, ${o.seconds} s measured), ${o.rounds} rounds, bare and faultline back to back in alternating order; value = median over rounds; ratio = median of per-round faultline/bare ratios; CPU per request = server user+system time / requests answered (each part per round in the notes).`;
  return { figures, notes, method };
}
