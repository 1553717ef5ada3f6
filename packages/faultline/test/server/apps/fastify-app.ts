import Fastify from 'fastify';
import { faultlineFastify, frameworkErrors } from '../../../src/server/fastify/index.ts';
import { BODY_LIMIT, testCatalog } from '../catalog.ts';
import type { Adapter, LogLine } from '../harness.ts';
import { originOf } from '../harness.ts';
import { widgetErrors, widgetSchema } from './widgets.ts';

/** The test app on Fastify 5, logging through Fastify's own pino into `logs`. */
export const fastifyAdapter: Adapter = {
  name: 'fastify',
  methodNotAllowed: true,
  async start(options) {
    const logs: LogLine[] = [];
    const app = Fastify({
      frameworkErrors,
      logger: { level: 'debug', stream: { write: (line: string) => void logs.push(JSON.parse(line)) } },
    });
    await app.register(faultlineFastify, {
      catalog: options.catalog ?? testCatalog,
      format: options.format,
      coverage: options.coverage ?? false,
      ...(options.now ? { now: options.now } : {}),
      ...(options.faults ? { faults: options.faults } : {}),
    });
    app.get('/ok', async (request) => ({ ok: true, correlation_id: request.correlationId }));
    app.get<{ Params: { id: string } }>('/widgets/:id', async (request) => {
      throw widgetErrors.missing(request.params.id);
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
    app.post('/widgets', { bodyLimit: BODY_LIMIT, schema: { body: widgetSchema } }, async (request, reply) =>
      reply.code(201).send({ created: request.body }),
    );
    await app.listen({ host: '127.0.0.1', port: 0 });
    return { url: originOf(app.server.address()), logs, close: () => app.close() };
  },
};
