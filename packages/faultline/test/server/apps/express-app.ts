import type { Server } from 'node:http';
import express from 'express';
import { correlation, errorHandler, notFound, requireJson } from '../../../src/server/express/index.ts';
import { BODY_LIMIT, testCatalog } from '../catalog.ts';
import type { Adapter, LogLine } from '../harness.ts';
import { captureLogger, originOf } from '../harness.ts';
import { validateWidget, widgetErrors } from './widgets.ts';

/** The test app on Express 5, with express.json() and a hand-written validator. */
export const expressAdapter: Adapter = {
  name: 'express',
  methodNotAllowed: true,
  async start(options) {
    const logs: LogLine[] = [];
    const app = express();
    app.use(correlation());
    app.get('/ok', (req, res) => {
      res.json({ ok: true, correlation_id: req.correlationId });
    });
    app.get('/widgets/:id', (req) => {
      throw widgetErrors.missing(req.params['id'] ?? '');
    });
    app.get('/slow', async () => {
      throw widgetErrors.slow();
    });
    app.get('/busy', async () => {
      throw widgetErrors.busy();
    });
    app.get('/boom', async () => {
      throw widgetErrors.boom();
    });
    app.get('/throw-string', async () => {
      throw 'a thrown string';
    });
    app.post(
      '/widgets',
      requireJson(),
      express.json({ limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] }),
      (req, res) => {
        res.status(201).json({ created: validateWidget(req.body) });
      },
    );
    app.use(notFound());
    app.use(
      errorHandler({
        catalog: options.catalog ?? testCatalog,
        format: options.format,
        coverage: options.coverage ?? false,
        logger: captureLogger(logs),
        ...(options.now ? { now: options.now } : {}),
        ...(options.faults ? { faults: options.faults } : {}),
      }),
    );
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    return {
      url: originOf(server.address()),
      logs,
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    };
  },
};
