import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { structured } from '../../src/formats/index.ts';
import faultlineDefault, { faultlineFastify, frameworkErrors } from '../../src/server/fastify/index.ts';
import { testCatalog } from './catalog.ts';
import type { LogLine } from './harness.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const options = { catalog: testCatalog, format: structured, coverage: false } as const;

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function withLogs(extra: FastifyServerOptions = {}): { app: FastifyInstance; logs: LogLine[] } {
  const logs: LogLine[] = [];
  const instance = Fastify({
    ...extra,
    logger: { level: 'debug', stream: { write: (l: string) => void logs.push(JSON.parse(l)) } },
  });
  app = instance;
  return { app: instance, logs };
}

describe('faultline/fastify specifics', () => {
  it('renders a 5xx catalog error thrown without a cause through a real pino logger', async () => {
    // Regression: pino's error serializer once crashed on the frozen catalog entry of an ApiError,
    // and Fastify then answered with its own 500 page carrying the serializer's message.
    const { app, logs } = withLogs();
    await app.register(faultlineFastify, options);
    app.get('/busy', async () => {
      throw testCatalog.error('upstream_busy');
    });
    const response = await app.inject('/busy');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      error_id: 'upstream_busy',
      message: 'The widget store is busy.',
    });
    expect(response.headers['retry-after']).toBe('3');
    const logged = logs.find((line) => line['error_id'] === 'upstream_busy');
    expect(logged?.['correlation_id']).toBe(response.headers['x-correlation-id']);
  });

  it('exports the plugin as default and named', () => {
    expect(faultlineDefault).toBe(faultlineFastify);
  });

  it('uses the correlation id as Fastify request id, so every log line of the request carries it', async () => {
    const { app, logs } = withLogs();
    await app.register(faultlineFastify, options);
    app.get('/w', async (request) => {
      request.log.info('inside the handler');
      return { id: request.correlationId, same: request.id === request.correlationId };
    });
    const res = await app.inject({ url: '/w', headers: { 'x-client-request-id': 'abc' } });
    const id = res.headers['x-correlation-id'];
    expect(res.json()).toEqual({ id, same: true });
    const lines = logs.filter((l) => l['reqId'] === id);
    expect(lines.map((l) => l['msg'])).toEqual([
      'incoming request',
      'inside the handler',
      'request completed',
    ]);
    for (const line of lines) expect(line).toMatchObject({ correlation_id: id, client_request_id: 'abc' });
    // One child logger per request: the bindings appear once, not nested twice.
    expect(JSON.stringify(lines[1]).match(/correlation_id/g)).toHaveLength(1);
  });

  it('leaves the binding to Fastify when its log label is correlation_id (no child-logger factory)', async () => {
    const logController = new LogController({ requestIdLogLabel: 'correlation_id' });
    const { app, logs } = withLogs({ logController });
    const factory = app.childLoggerFactory;
    await app.register(faultlineFastify, options);
    expect(app.childLoggerFactory).toBe(factory);
    app.get('/w', async (request) => {
      request.log.info('inside the handler');
      throw testCatalog.error('upstream_busy');
    });
    const plain = await app.inject({ url: '/w' });
    const id = plain.headers['x-correlation-id'];
    expect(plain.json()['correlation_id']).toBe(id);
    const lines = logs.filter((l) => l['correlation_id'] === id);
    expect(lines.map((l) => l['msg'])).toEqual([
      'incoming request',
      'inside the handler',
      'The widget store is busy.',
      'request completed',
    ]);
    for (const line of lines) expect(line).not.toHaveProperty('reqId');
    expect(JSON.stringify(lines[1]).match(/correlation_id/g)).toHaveLength(1);
    // A client's request id joins from the plugin's onRequest hook on.
    const tagged = await app.inject({ url: '/w', headers: { 'x-client-request-id': 'c7' } });
    const inside = logs.find((l) => l['msg'] === 'inside the handler' && l['client_request_id'] === 'c7');
    expect(inside).toMatchObject({ correlation_id: tagged.headers['x-correlation-id'] });
  });

  it('binds through its factory when the log label is another one', async () => {
    const { app, logs } = withLogs({ logController: new LogController({ requestIdLogLabel: 'rid' }) });
    await app.register(faultlineFastify, options);
    app.get('/w', async (request) => {
      request.log.info('inside the handler');
      return 'ok';
    });
    const res = await app.inject({ url: '/w', headers: { 'x-client-request-id': 'c8' } });
    const id = res.headers['x-correlation-id'];
    expect(logs.find((l) => l['msg'] === 'inside the handler')).toMatchObject({
      rid: id,
      correlation_id: id,
      client_request_id: 'c8',
    });
  });

  it('binds the logger of routes declared before the plugin loaded too', async () => {
    const { app, logs } = withLogs();
    app.register(faultlineFastify, options);
    app.get('/early', async (request) => {
      request.log.info('early handler');
      return 'ok';
    });
    const res = await app.inject({ url: '/early', headers: { 'x-client-request-id': 'e1' } });
    const id = res.headers['x-correlation-id'];
    const inside = logs.find((l) => l['msg'] === 'early handler');
    expect(inside).toMatchObject({ reqId: id, correlation_id: id, client_request_id: 'e1' });
    expect(logs.find((l) => l['msg'] === 'request completed')).toMatchObject({ correlation_id: id });
  });

  it('keeps generating its own id when the app trusts a request-id header', async () => {
    const { app, logs } = withLogs({ requestIdHeader: 'x-request-id' });
    await app.register(faultlineFastify, options);
    app.get('/w', async (request) => ({ reqId: request.id, correlationId: request.correlationId }));
    const res = await app.inject({ url: '/w', headers: { 'x-request-id': 'forged-by-client' } });
    const body = res.json();
    expect(body.reqId).toBe('forged-by-client');
    expect(body.correlationId).toMatch(UUID);
    expect(res.headers['x-correlation-id']).toBe(body.correlationId);
    expect(logs.find((l) => l['msg'] === 'request completed')).toMatchObject({
      correlation_id: body.correlationId,
    });
  });

  it('answers broken percent-encoding in a path parameter through frameworkErrors', async () => {
    app = Fastify({ frameworkErrors });
    await app.register(faultlineFastify, options);
    app.get('/w/:id', async () => 'never');
    const res = await app.inject({ url: '/w/%E0%A4%A' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error_id: 'bad_request',
      correlation_id: res.headers['x-correlation-id'],
    });
  });

  it('correlates even when an earlier onRequest hook fails', async () => {
    app = Fastify();
    app.addHook('onRequest', async () => {
      throw testCatalog.error('slow_down', { reset_time: 'soon' });
    });
    await app.register(faultlineFastify, options);
    app.get('/w', async () => 'never');
    const res = await app.inject({ url: '/w' });
    expect(res.statusCode).toBe(429);
    expect(res.headers['x-correlation-id']).toMatch(UUID);
    expect(res.json()['correlation_id']).toBe(res.headers['x-correlation-id']);
  });

  it('renders errors an encapsulated error handler rethrows', async () => {
    app = Fastify();
    await app.register(faultlineFastify, options);
    await app.register(async (child) => {
      child.setErrorHandler((error) => {
        throw error;
      });
      child.get('/child', async () => {
        throw testCatalog.error('widget_missing', { id: 'c' });
      });
    });
    const res = await app.inject({ url: '/child' });
    expect(res.statusCode).toBe(404);
    expect(res.json()['error_id']).toBe('widget_missing');
  });

  it('names querystring and nested body fields from schema errors', async () => {
    app = Fastify();
    await app.register(faultlineFastify, options);
    app.post(
      '/q',
      {
        schema: {
          querystring: { type: 'object', properties: { limit: { type: 'integer', maximum: 10 } } },
          body: {
            type: 'object',
            properties: {
              items: {
                type: 'array',
                items: { type: 'object', required: ['url'], properties: { url: { type: 'string' } } },
              },
            },
          },
        },
      },
      async () => 'ok',
    );
    const query = await app.inject({ method: 'POST', url: '/q?limit=99', payload: {} });
    expect(query.json()['message']).toBe('The field `limit` is missing or has an invalid value.');
    const nested = await app.inject({ method: 'POST', url: '/q', payload: { items: [{ url: 'a' }, {}] } });
    expect(nested.json()['message']).toBe('The field `items[1].url` is missing or has an invalid value.');
  });

  it('renders an ApiError passed to reply.send or returned from a handler', async () => {
    app = Fastify();
    await app.register(faultlineFastify, options);
    app.get('/sent', (_request, reply) => {
      reply.send(testCatalog.error('widget_missing', { id: 'sent' }));
    });
    app.get('/returned', async () => testCatalog.error('slow_down', { reset_time: 'later' }));
    const sent = await app.inject({ url: '/sent' });
    expect([sent.statusCode, sent.json()['message']]).toEqual([404, 'Widget sent does not exist.']);
    const returned = await app.inject({ url: '/returned' });
    expect([returned.statusCode, returned.headers['retry-after']]).toEqual([429, '7']);
    expect(returned.json()['correlation_id']).toBe(returned.headers['x-correlation-id']);
  });

  it('lets hooks answer early through app.faultline.send', async () => {
    app = Fastify();
    await app.register(faultlineFastify, options);
    app.addHook('preHandler', (request, reply, done) => {
      if (request.headers['x-deny'])
        return app!.faultline.send(request, reply, testCatalog.error('widget_missing', { id: 'd' }));
      done();
    });
    app.get('/w', async () => 'fine');
    const denied = await app.inject({ url: '/w', headers: { 'x-deny': '1' } });
    expect(denied.statusCode).toBe(404);
    expect(denied.json()['correlation_id']).toBe(denied.headers['x-correlation-id']);
    expect((await app.inject({ url: '/w' })).body).toBe('fine');
  });

  it('works with the logger disabled and keeps a thrown error out of the body', async () => {
    app = Fastify({ logger: false });
    await app.register(faultlineFastify, options);
    app.get('/boom', async () => {
      throw new TypeError('cannot read properties of undefined (reading "secret")');
    });
    const res = await app.inject({ url: '/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret');
    expect(res.json()['correlation_id']).toBe(res.headers['x-correlation-id']);
  });
});
