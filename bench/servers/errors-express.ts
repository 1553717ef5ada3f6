/**
 * Express 5 servers of the error-path scenario, chosen by argv[2]: `bare` answers GET /err with
 * `res.status(400).json(obj)` and its own X-Correlation-ID; `faultline` throws the catalog error
 * through `correlation()` + `errorHandler()`. A variant imports only what it uses.
 * 127.0.0.1 only; the port goes to the parent over IPC.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { announce } from '../lib/child.ts';
import { settle } from '../lib/settle.ts';
import { INVALID, structuredBody } from './bodies.ts';

const variant = process.argv[2];
const app = express();
if (variant === 'bare') {
  app.get('/err', (_req, res) => {
    const id = randomUUID();
    res.status(400).set('x-correlation-id', id).json(structuredBody(INVALID, id));
  });
} else if (variant === 'faultline') {
  const { correlation, errorHandler } = await import('faultline/express');
  const { bench, formats } = await import('./bench-catalog.ts');
  app.use(correlation());
  app.get('/err', () => {
    throw bench.error('e4001');
  });
  app.use(errorHandler({ catalog: bench, format: formats.structured }));
} else {
  throw new Error(`unknown variant "${variant}"`);
}
// Settled before serving, both variants (lib/settle.ts).
const server = app.listen(0, '127.0.0.1', () => {
  void settle().then(() => announce((server.address() as AddressInfo).port));
});
