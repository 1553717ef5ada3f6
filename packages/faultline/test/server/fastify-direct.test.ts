import { tracingChannel } from 'node:diagnostics_channel';
import Fastify, { type FastifyInstance, type FastifyReply, type LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { problem, structured, transition } from '../../src/formats/index.ts';
import type { WireFormat } from '../../src/formats/types.ts';
import { faultlineFastify } from '../../src/server/fastify/index.ts';
import { testCatalog } from './catalog.ts';
import type { LogLine } from './harness.ts';

// A catalog error thrown by a sync handler is answered in the handler's frame (the direct
// path); an async handler's goes through Fastify's error path. Both must send the same bytes,
// and the direct path must step aside whenever Fastify's path would do more.

const SUNSET = Date.UTC(2100, 0, 1);
let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function build(format: WireFormat, logs?: LogLine[]): Promise<FastifyInstance> {
  app = Fastify({
    logger: logs
      ? { level: 'debug', stream: { write: (l: string) => void logs.push(JSON.parse(l)) } }
      : false,
  });
  await app.register(faultlineFastify, { catalog: testCatalog, format, coverage: false });
  return app;
}

/** Whether Fastify's handleError ran for this reply (it leaves its next-handler symbol behind). */
const wentThroughFastify = (reply: FastifyReply | undefined) =>
  Object.getOwnPropertySymbols(reply).some((s) => s.description === 'fastify.reply.nextErrorHandler');

/** Status, headers in order and body, with the per-request values made comparable. */
function wire(response: LightMyRequestResponse): unknown {
  const id = response.headers['x-correlation-id'] as string;
  const headers = Object.entries(response.headers).filter(([name]) => name !== 'date');
  return {
    status: response.statusCode,
    headers: JSON.stringify(headers).replaceAll(id, '<id>'),
    body: response.rawPayload.toString('latin1').replaceAll(id, '<id>'),
  };
}

const raise = () => testCatalog.error('slow_down', { reset_time: '2030-01-01T00:00:00Z' });

describe('faultline/fastify: catalog errors thrown by sync handlers', () => {
  const formats: Record<string, WireFormat> = {
    structured,
    problem,
    transition: transition({ legacyUntil: SUNSET, deprecatedSince: SUNSET - 86_400_000 }),
  };
  for (const [name, format] of Object.entries(formats)) {
    it(`are answered directly, byte for byte as through Fastify's error path (${name})`, async () => {
      const app = await build(format);
      let direct: FastifyReply | undefined;
      let slow: FastifyReply | undefined;
      app.get('/sync', (_request, reply) => {
        direct = reply;
        throw raise();
      });
      app.get('/async', async (_request, reply) => {
        slow = reply;
        throw raise();
      });
      const [a, b] = [await app.inject('/sync'), await app.inject('/async')];
      expect(wentThroughFastify(direct)).toBe(false);
      expect(wentThroughFastify(slow)).toBe(true);
      expect(a.statusCode).toBe(429);
      expect(wire(a)).toEqual(wire(b));
      if (name === 'transition') expect(a.headers['sunset']).toBe(new Date(SUNSET).toUTCString());
    });
  }

  it('drop the content type and length the handler set, as Fastify does', async () => {
    const app = await build(structured);
    const handler = (_request: unknown, reply: FastifyReply) => {
      reply.header('content-length', '3').type('text/plain').header('x-kept', 'yes');
      throw raise();
    };
    app.get('/sync', handler);
    app.get('/async', async (request, reply) => handler(request, reply));
    const [a, b] = [await app.inject('/sync'), await app.inject('/async')];
    expect(a.headers['x-kept']).toBe('yes');
    expect(a.headers['content-type']).toBe('application/json');
    expect(wire(a)).toEqual(wire(b));
  });

  it('log a 5xx with its cause as Fastify’s path does', async () => {
    const logs: LogLine[] = [];
    const app = await build(structured, logs);
    const handler = () => {
      throw testCatalog.error('upstream_busy', {}, { cause: new Error('store unreachable') });
    };
    app.get('/sync', handler);
    app.get('/async', async () => handler());
    const a = await app.inject('/sync');
    const b = await app.inject('/async');
    expect(wire(a)).toEqual(wire(b));
    const lines = logs.filter((l) => l['error_id'] === 'upstream_busy');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(JSON.stringify(line['err'])).toContain('store unreachable');
  });

  it('still reach onError hooks, of the instance (even added after the route) and of the route', async () => {
    const app = await build(structured);
    const seen: unknown[] = [];
    app.get('/instance', () => {
      throw raise();
    });
    const onError = (_q: unknown, _r: unknown, error: unknown, done: () => void) => {
      seen.push(error);
      done();
    };
    app.get('/route', { onError }, () => {
      throw raise();
    });
    app.addHook('onError', (_request, _reply, error, done) => {
      seen.push(error);
      done();
    });
    const res = await app.inject('/instance');
    await app.inject('/route');
    expect(res.statusCode).toBe(429);
    // The route's own hook and the instance's hook for /route, the instance's for /instance.
    expect(seen).toHaveLength(3);
    for (const error of seen) expect((error as { id: string }).id).toBe('slow_down');
  });

  it('stay with an encapsulated error handler', async () => {
    const app = await build(structured);
    await app.register(async (child) => {
      child.setErrorHandler((error, _request, reply) => {
        reply.code(418).send({ own: (error as { id: string }).id });
      });
      child.get('/child', () => {
        throw raise();
      });
    });
    const res = await app.inject('/child');
    expect(res.statusCode).toBe(418);
    expect(res.json()).toEqual({ own: 'slow_down' });
  });

  it('stay with a route’s own error handler', async () => {
    const app = await build(structured);
    const errorHandler = (_e: unknown, _q: unknown, reply: FastifyReply) => reply.code(418).send('own');
    app.get('/own', { errorHandler }, () => {
      throw raise();
    });
    expect((await app.inject('/own')).statusCode).toBe(418);
  });

  it('still reach subscribers of Fastify’s handler tracing channel', async () => {
    const app = await build(structured);
    app.get('/sync', () => {
      throw raise();
    });
    const seen: unknown[] = [];
    const noop = () => {};
    const subscriber = {
      start: noop,
      end: noop,
      asyncStart: noop,
      asyncEnd: noop,
      error: (message: unknown) => void seen.push((message as { error: unknown }).error),
    };
    const channel = tracingChannel('fastify.request.handler');
    channel.subscribe(subscriber);
    try {
      expect((await app.inject('/sync')).statusCode).toBe(429);
    } finally {
      channel.unsubscribe(subscriber);
    }
    expect(seen).toHaveLength(1);
    expect((seen[0] as { id: string }).id).toBe('slow_down');
  });

  it('hand a failing onSend hook’s error to the handler after ours, as Fastify’s path does', async () => {
    const app = await build(structured);
    app.addHook('onSend', async (_request, reply, payload) => {
      if (reply.statusCode === 429) throw new Error('onSend failed');
      return payload;
    });
    app.get('/sync', () => {
      throw raise();
    });
    app.get('/async', async () => {
      throw raise();
    });
    const [a, b] = [await app.inject('/sync'), await app.inject('/async')];
    expect(a.statusCode).toBe(b.statusCode);
    expect(a.json()).toEqual(b.json());
  });

  it('leave other thrown values, and errors after a reply was sent, to Fastify', async () => {
    const app = await build(structured);
    app.get('/bug', () => {
      throw new TypeError('a bug');
    });
    app.get('/late', (_request, reply) => {
      reply.code(200).send('done');
      throw raise();
    });
    const bug = await app.inject('/bug');
    expect(bug.statusCode).toBe(500);
    const late = await app.inject('/late');
    expect([late.statusCode, late.body]).toEqual([200, 'done']);
  });

  it('keep a sync handler’s return value and an async handler as they are', async () => {
    const app = await build(structured);
    const asyncHandler = async () => ({ ok: 'async' });
    app.get('/sync', () => ({ ok: 'sync' }));
    app.get('/async', asyncHandler);
    expect((await app.inject('/sync')).json()).toEqual({ ok: 'sync' });
    expect((await app.inject('/async')).json()).toEqual({ ok: 'async' });
  });
});
