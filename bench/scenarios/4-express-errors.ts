/**
 * Scenario 4 — the error path through faultline/express vs bare Express 5 answering the same
 * 400 with `res.status(400).json(obj)`. One server process at a time, pinned to CPU 1, wrk on
 * CPU 0 (see lib/pairs.ts). Run alone: `node bench/scenarios/4-express-errors.ts`.
 */
import { join } from 'node:path';
import { pairOptions, runPairs } from '../lib/pairs.ts';
import { emit } from '../lib/result.ts';
import { SETTLE_METHOD } from '../lib/settle.ts';

const script = join(import.meta.dirname, '..', 'servers', 'errors-express.ts');
const { figures, notes, method } = await runPairs(
  [
    {
      name: 'Express 400',
      status: 400,
      bare: { label: 'bare Express 5 res.status(400).json(obj)', script, args: ['bare'] },
      faultline: { label: 'faultline: throw catalog 400 + errorHandler()', script, args: ['faultline'] },
      target: { rate: 0.95, cpu: 1.05 },
    },
  ],
  pairOptions({ rounds: 4, seconds: 3, warmup: 2 }),
);
emit({
  id: 'express-errors',
  title: '4. Express 5 error path — faultline/express vs bare Express',
  method: `${method} Every server: ${SETTLE_METHOD}.`,
  figures,
  notes,
});
