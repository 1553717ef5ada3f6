import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import {
  correlationIdOf,
  createErrorResponder,
  fault,
  readJson,
  withFaultline,
} from '../../../src/server/fetch/index.ts';
import { BODY_LIMIT, testCatalog } from '../catalog.ts';
import type { Adapter, LogLine } from '../harness.ts';
import { captureLogger, originOf } from '../harness.ts';
import { validateWidget, widgetErrors } from './widgets.ts';

/** The test app on Hono, served by @hono/node-server, wrapped by `withFaultline`. */
export const fetchAdapter: Adapter = {
  name: 'fetch (hono)',
  methodNotAllowed: false,
  async start(options) {
    const logs: LogLine[] = [];
    const respond = createErrorResponder({
      catalog: options.catalog ?? testCatalog,
      format: options.format,
      coverage: options.coverage ?? false,
      logger: captureLogger(logs),
      ...(options.now ? { now: options.now } : {}),
      ...(options.faults ? { faults: options.faults } : {}),
    });
    const app = new Hono();
    app.get('/ok', (c) => c.json({ ok: true, correlation_id: correlationIdOf(c.req.raw) }));
    app.get('/widgets/:id', (c) => {
      throw widgetErrors.missing(c.req.param('id'));
    });
    app.get('/slow', () => {
      throw widgetErrors.slow();
    });
    app.get('/busy', () => {
      throw widgetErrors.busy();
    });
    app.get('/boom', () => {
      throw widgetErrors.boom();
    });
    app.get('/throw-string', () => {
      throw 'a thrown string';
    });
    app.post('/widgets', async (c) => {
      const body = validateWidget(await readJson(c.req.raw, { limit: BODY_LIMIT }));
      return c.json({ created: body }, 201);
    });
    app.notFound((c) => respond(fault('notFound'), c.req.raw));
    app.onError((error, c) => respond(error, c.req.raw));
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: withFaultline(app.fetch, respond), hostname: '127.0.0.1', port: 0 }, () =>
        resolve(s),
      );
    });
    return {
      url: originOf(server.address()),
      logs,
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          if ('closeAllConnections' in server) server.closeAllConnections();
        }),
    };
  },
};
