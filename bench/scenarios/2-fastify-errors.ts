/**
 * Scenario 2 — the error path through the Fastify adapter vs the same answer hand-written in
 * bare Fastify: a fixed-message 400 (the target), a parameterised 400, a 5xx with a logged
 * cause, and the transition format before its sunset. One server process at a time, pinned to
 * CPU 1, wrk on CPU 0 (see lib/pairs.ts). Run alone: `node bench/scenarios/2-fastify-errors.ts`.
 */
import { join } from 'node:path';
import { type Pair, pairOptions, runPairs } from '../lib/pairs.ts';
import { emit } from '../lib/result.ts';
import { SETTLE_METHOD } from '../lib/settle.ts';

const script = join(import.meta.dirname, '..', 'servers', 'errors.ts');
// Secondary pairs run 3 rounds (the main one, the run's 4), to keep the scenario near 3 minutes.
const pair = (name: string, status: number, suffix: string, bare: string, ours: string): Pair => ({
  name,
  status,
  rounds: 3,
  bare: { label: bare, script, args: [`bare${suffix}`] },
  faultline: { label: ours, script, args: [`faultline${suffix}`] },
});

const SEND_LABEL = 'faultline: app.faultline.send(catalog 400), no throw';

const pairs: Pair[] = [
  {
    ...pair(
      '400',
      400,
      '',
      'bare reply.code(400).send(obj)',
      'faultline: throw catalog 400 + faultlineFastify',
    ),
    rounds: Number.POSITIVE_INFINITY,
    target: { rate: 1.0, cpu: 1.0 },
  },
  // Not the target: the same 400 answered without a throw (`app.faultline.send`), a documented
  // alternative for hot paths, reported beside the `throw` row that the target is set on.
  {
    ...pair('400 without throw', 400, '', 'bare reply.code(400).send(obj)', ''),
    faultline: { label: SEND_LABEL, script, args: ['faultline-send'] },
  },
  // The floors (no faultline in them): the cheapest answer a hand-written server could give
  // without a throw, and with one. What the throw itself costs is the second minus the first;
  // the target rows are read against them (bench/README.md, "The floor of a thrown error").
  {
    ...pair('400 send floor', 400, '', 'bare reply.code(400).send(obj)', ''),
    faultline: { label: 'floor: pre-serialised body, no throw', script, args: ['floor-send'] },
  },
  {
    ...pair('400 throw floor', 400, '', 'bare reply.code(400).send(obj)', ''),
    faultline: {
      label: 'floor: prebuilt object thrown, pre-serialised body',
      script,
      args: ['floor-throw'],
    },
  },
  pair(
    'parameterised 400',
    400,
    '-param',
    'bare 400, message built per request',
    'faultline: throw 400 with 2 template params',
  ),
  pair(
    '5xx with cause',
    500,
    '-5xx',
    'bare 500, cause logged by hand',
    'faultline: throw 500 with cause (logged)',
  ),
  pair(
    'transition 400',
    400,
    '-transition',
    'bare 400 in the transition shape',
    'faultline: throw 400, transition() before sunset',
  ),
];

const o = pairOptions({ rounds: 4, seconds: 3, warmup: 2 });
const { figures, notes, method } = await runPairs(pairs, o);
const level = process.env['BENCH_LOG_LEVEL'] ?? 'warn';
emit({
  id: 'fastify-errors',
  title: '2. Fastify error path — faultline adapter vs the same answer hand-written',
  method: `${method} Every server: Fastify with genReqId = randomUUID (the correlation id) logged as correlation_id (LogController label), pino logger at \`${level}\` to /dev/null (BENCH_LOG_LEVEL), ${SETTLE_METHOD}.`,
  figures,
  notes,
});
