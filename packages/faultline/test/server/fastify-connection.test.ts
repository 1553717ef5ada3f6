import { connect } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problem } from '../../src/formats/index.ts';
import {
  clientErrorHandler,
  faultlineFastify,
  frameworkCatalog,
  frameworkErrors,
} from '../../src/server/fastify/index.ts';
import { testCatalog } from './catalog.ts';

/** Sends raw bytes; resolves to everything the server wrote before closing (or 5 s passed). */
function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    const done = () => resolve(data);
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
    });
    socket.on('close', done);
    socket.on('error', done);
    setTimeout(() => socket.destroy(), 5_000).unref();
    socket.write(bytes);
  });
}

// The toolkit's side of issue "no framework bodies": with frameworkErrors and clientErrorHandler
// as Fastify options, the answers Node's parser and Fastify write themselves use the catalog.
describe('Fastify connection-level answers (problem format)', () => {
  let app: FastifyInstance;
  let port: number;

  beforeAll(async () => {
    app = Fastify({ frameworkErrors, clientErrorHandler });
    await app.register(faultlineFastify, { catalog: testCatalog, format: problem, coverage: false });
    app.get('/ok', async () => ({ ok: true }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await app.close();
  });

  it.each([
    [
      'oversized headers',
      `GET /ok HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'headers_too_large',
    ],
    ['a malformed request line', 'GET /ok HTTP/1.1 x\r\nHost: x\r\n\r\n', 400, 'bad_request'],
    ['an unknown Expect', 'GET /ok HTTP/1.1\r\nHost: x\r\nExpect: x\r\n\r\n', 417, 'expectation_failed'],
    [
      'bad percent-encoding',
      'GET /ok%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      400,
      'bad_request',
    ],
  ] as const)('%s → %i %s with the catalog body and a correlation id', async (_what, request, status, id) => {
    const text = await raw(port, request);
    const [head = '', body = ''] = text.split('\r\n\r\n');
    expect(head).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
    expect(head).toMatch(/\r\ncontent-type: application\/problem\+json\r\n/i);
    const correlationId = /\r\nx-correlation-id: ([0-9a-f-]{36})/i.exec(head)?.[1];
    expect(correlationId).toBeDefined();
    const parsed = JSON.parse(body) as Record<string, unknown>;
    expect(parsed).toMatchObject({ status, code: id, title: frameworkCatalog.get(id)!.title });
    expect(text).not.toMatch(/FST_ERR|"statusCode"/);
  });

  it('closes a reset connection without writing anything', async () => {
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('GET /ok HTTP/1.1\r\nHo');
    socket.resetAndDestroy();
    expect((await fetch(`http://127.0.0.1:${port}/ok`)).status).toBe(200);
  });
});
