/**
 * Scenario 1 — core: create + encode a 4xx catalog ApiError vs `new Error(msg)` + JSON.stringify
 * of the same body shape. Run alone: `node bench/scenarios/1-core.ts`.
 */
import { ApiError, structured, transition, type WireFormat } from 'faultline';
import { Bench } from 'tinybench';
import { signals } from '../../apps/signals-api/src/catalog.ts';
import { compare, emit, type Figure, median } from '../lib/result.ts';

/** Iterations per timed call: one call is far above timer resolution, so samples are not noise. */
const BATCH = 1000;
/** Short rounds in rotating order; per-round paired ratios resist drift from other load on the box. */
const ROUNDS = 7;
const correlationId = '7c1f3a52-9a8e-4c61-b0f3-2d5e8f1a6b90';
const context = { correlationId, docsBase: 'https://api.example.test/docs/errors' };
const params = { name: 'include[]', reason: 'unknown value "mood"' };
// A sunset far ahead: the transition format emits legacy + structured fields and its headers.
const migrating = transition({ legacyUntil: Date.UTC(2999, 0, 1), now: () => Date.UTC(2026, 0, 1) });
const link = `${context.docsBase}#${signals.get('ih4005')!.slug}`;

let sink = 0; // consumed after the run so the JIT cannot drop the work

function faultline(format: WireFormat): number {
  const err = signals.error('ih4005', params);
  const encoded = format.encode(err, context);
  return JSON.stringify(encoded.body).length + encoded.status;
}

function plainStructured(): number {
  const err = new Error(`The parameter "${params.name}" is not valid: ${params.reason}.`);
  const body = { error_id: 'ih4005', correlation_id: correlationId, link, message: err.message };
  return JSON.stringify(body).length + 400;
}

function plainTransition(): number {
  const err = new Error(`The parameter "${params.name}" is not valid: ${params.reason}.`);
  const body = {
    detail: err.message,
    status_code: 400,
    extra: {},
    error_id: 'ih4005',
    correlation_id: correlationId,
    link,
    message: err.message,
  };
  return JSON.stringify(body).length + 400;
}

const PAIRS = [
  { label: 'structured', plain: plainStructured, ours: () => faultline(structured) },
  { label: 'transition', plain: plainTransition, ours: () => faultline(migrating) },
] as const;
const names = PAIRS.flatMap((p) => [`plain ${p.label}`, `faultline ${p.label}`]);
const fns = PAIRS.flatMap((p) => [p.plain, p.ours]);
const perRound = new Map<string, number[]>(names.map((n) => [n, []]));

for (let round = 0; round < ROUNDS; round++) {
  const bench = new Bench({ time: 250, warmupTime: 100, iterations: 20, throws: true });
  for (let k = 0; k < names.length; k++) {
    const i = (k + round) % names.length; // rotate the order so no task always runs first
    const fn = fns[i]!;
    bench.add(names[i]!, () => {
      for (let j = 0; j < BATCH; j++) sink += fn();
    });
  }
  await bench.run();
  for (const name of names) {
    const result = bench.getTask(name)?.result;
    if (!result || !('latency' in result)) throw new Error(`task "${name}" has no result`);
    perRound.get(name)!.push(BATCH / (result.latency.p50 / 1000)); // p50 latency of a batch, in ms
  }
}

const figures: Figure[] = [];
for (const { label } of PAIRS) {
  const plain = perRound.get(`plain ${label}`)!;
  const ours = perRound.get(`faultline ${label}`)!;
  const base = { name: 'new Error', value: median(plain) };
  const ratio = median(ours.map((v, r) => v / plain[r]!));
  figures.push({ name: `new Error + JSON.stringify (${label} shape)`, value: base.value, unit: 'ops/s' });
  figures.push(
    compare(`faultline ApiError + ${label} + JSON.stringify`, median(ours), 'ops/s', base, 1, { ratio }),
  );
}

/** Calls `make` under `depth` frames, so a captured stack would be as deep as Error.stackTraceLimit allows. */
const deep = (depth: number, make: () => Error): Error => (depth === 0 ? make() : deep(depth - 1, make));
const frames = (err: Error) =>
  (err.stack ?? '').split('\n').filter((l) => l.trimStart().startsWith('at ')).length;
const clientError = deep(20, () => signals.error('ih4005', params));
const serverError = deep(20, () => new ApiError(signals.get('ih1001')!));
const plainError = deep(20, () => new Error('x'));
emit({
  id: 'core',
  title: '1. core — create + encode a 4xx catalog ApiError',
  method: `tinybench; ${ROUNDS} rounds in rotating order, each task ≥0.25 s after 0.1 s warm-up, ${BATCH} ops per timed call; value = median over rounds of the p50 sample, ratio = median of per-round ratios. Entry ih4005 (400, 2 template params), same fixed correlation id on both sides.`,
  figures,
  notes: [
    `4xx ApiError creation captures no stack: ${frames(clientError)} frames under a 20-deep call (stack is ${JSON.stringify(clientError.stack)})`,
    `for contrast, under the same 20-deep call: 5xx ApiError ${frames(serverError)} frames, new Error ${frames(plainError)} frames (Error.stackTraceLimit = ${Error.stackTraceLimit})`,
    `work sink: ${sink > 0 ? 'consumed' : 'EMPTY (benchmark broken)'}`,
  ],
});
