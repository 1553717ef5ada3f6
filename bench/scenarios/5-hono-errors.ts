/**
 * Scenario 5 — the error path through faultline/fetch (createErrorResponder + withFaultline)
 * in Hono on @hono/node-server vs bare Hono answering the same 400 with `c.json(obj, 400)`.
 * One server process at a time, pinned to CPU 1, wrk on CPU 0 (see lib/pairs.ts).
 * Run alone: `node bench/scenarios/5-hono-errors.ts`.
 */
import { join } from 'node:path';
import { pairOptions, runPairs } from '../lib/pairs.ts';
import { emit } from '../lib/result.ts';
import { SETTLE_METHOD } from '../lib/settle.ts';

const script = join(import.meta.dirname, '..', 'servers', 'errors-hono.ts');
const { figures, notes, method } = await runPairs(
  [
    {
      name: 'Hono 400',
      status: 400,
      bare: { label: 'bare Hono c.json(obj, 400)', script, args: ['bare'] },
      faultline: {
        label: 'faultline/fetch: throw catalog 400, onError + withFaultline',
        script,
        args: ['faultline'],
      },
      target: { rate: 0.95, cpu: 1.05 },
    },
  ],
  pairOptions({ rounds: 4, seconds: 3, warmup: 2 }),
);
emit({
  id: 'hono-errors',
  title: '5. Hono on @hono/node-server error path — faultline/fetch vs bare Hono',
  method: `${method} Every server: ${SETTLE_METHOD}.`,
  figures,
  notes,
});
