/**
 * Hono servers on @hono/node-server for the error-path scenario, chosen by argv[2]: `bare`
 * answers GET /err with `c.json(obj, 400, headers)`; `faultline` throws the catalog error,
 * answered by `createErrorResponder` in `app.onError`, the app wrapped in `withFaultline`
 * (faultline/fetch). A variant imports only what it uses. 127.0.0.1 only; port over IPC.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { announce } from '../lib/child.ts';
import { settle } from '../lib/settle.ts';
import { INVALID, structuredBody } from './bodies.ts';

const variant = process.argv[2];
const app = new Hono();
let fetch: (request: Request) => Response | Promise<Response> = app.fetch;
if (variant === 'bare') {
  app.get('/err', (c) => {
    const id = randomUUID();
    // The same Content-Type as faultline's (Hono's default has no charset).
    return c.json(structuredBody(INVALID, id), 400, {
      'x-correlation-id': id,
      'content-type': 'application/json; charset=utf-8',
    });
  });
} else if (variant === 'faultline') {
  const { createErrorResponder, withFaultline } = await import('faultline/fetch');
  const { bench, formats } = await import('./bench-catalog.ts');
  const respond = createErrorResponder({ catalog: bench, format: formats.structured });
  app.onError((error, c) => respond(error, c.req.raw));
  app.get('/err', () => {
    throw bench.error('e4001');
  });
  fetch = withFaultline(app.fetch, respond);
} else {
  throw new Error(`unknown variant "${variant}"`);
}
// Settled before serving, both variants (lib/settle.ts).
serve({ fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
  void settle().then(() => announce(info.port));
});
