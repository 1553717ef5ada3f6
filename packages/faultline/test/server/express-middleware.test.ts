import type { Server } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { structured } from '../../src/formats/index.ts';
import { correlation, errorHandler, notFound, requireJson } from '../../src/server/express/index.ts';
import { testCatalog } from './catalog.ts';
import { call } from './conformance.ts';
import { captureLogger, originOf } from './harness.ts';

const options = {
  catalog: testCatalog,
  format: structured,
  coverage: false,
  logger: captureLogger([]),
} as const;
let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server?.closeAllConnections();
  server = undefined;
});

async function listen(app: express.Express): Promise<string> {
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return originOf(server.address());
}

describe('faultline/express specifics', () => {
  it('correlates in errorHandler when correlation() was not installed', async () => {
    const app = express();
    app.get('/w', () => {
      throw testCatalog.error('widget_missing', { id: 'x' });
    });
    app.use(errorHandler(options));
    const answer = await call(await listen(app), '/w');
    expect(answer.status).toBe(404);
    expect(answer.body['correlation_id']).toBe(answer.headers.get('x-correlation-id'));
  });

  it('leaves a response whose headers are already sent to Express', async () => {
    const app = express();
    app.use(correlation());
    app.get('/stream', (_req, res, next) => {
      res.status(200).write('partial');
      next(new Error('failed mid-stream'));
    });
    app.use(errorHandler(options));
    const base = await listen(app);
    await expect(call(base, '/stream')).rejects.toThrow();
  });

  it('finds 405s on routes of the app, with the Allow header, and 404s elsewhere', async () => {
    const app = express();
    app.use(correlation());
    app
      .route('/things/:id')
      .get((_q, r) => void r.send('get'))
      .put((_q, r) => void r.send('put'));
    app.use(notFound());
    app.use(errorHandler(options));
    const base = await listen(app);
    const wrong = await call(base, '/things/3', { method: 'POST' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, PUT, HEAD');
    expect((await call(base, '/things')).status).toBe(404);
  });

  it('answers an empty JSON body and an unsupported charset as client errors', async () => {
    const app = express();
    app.use(correlation());
    app.post('/w', requireJson(), express.json(), (req, res) => void res.json(req.body));
    app.use(errorHandler(options));
    const base = await listen(app);
    const empty = await call(base, '/w', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '',
    });
    expect(empty.body['error_id']).toBe('invalid_json');
    const latin = await call(base, '/w', {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=koi8-r' },
      body: '{}',
    });
    expect([latin.status, latin.body['error_id']]).toEqual([415, 'unsupported_media_type']);
    const none = await call(base, '/w', { method: 'POST' });
    expect(none.status).toBe(200);
  });
});
