import { connect } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { earlyAnswers } from '../../src/server/fastify/early-answer.ts';

// Real sockets: what matters is what the kernel does with unread bytes, which inject() cannot show.
let app: FastifyInstance;
let port: number;

beforeEach(async () => {
  app = Fastify();
  await app.register(earlyAnswers, { drainBytes: 64 * 1024, lingerMs: 2000, lingerBytes: 8 * 1024 * 1024 });
  // Refuses before reading the body unless the request says "x-let-in".
  app.addHook('onRequest', async (request, reply) => {
    if (request.headers['x-let-in'] === undefined) await reply.code(413).send({ refused: true });
  });
  app.addContentTypeParser(
    'application/octet-stream',
    { parseAs: 'buffer', bodyLimit: 1 << 20 },
    (_r, body, done) => done(null, (body as Buffer).length),
  );
  app.post('/upload', async (request) => ({ bytes: request.body }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as { port: number }).port;
});
afterEach(() => app.close());

/** Writes `head`, then up to `bodyBytes` in 64 KB chunks while the server lets it; reads everything. */
function exchange(head: string, bodyBytes: number): Promise<{ text: string; reset: boolean }> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const seen: Buffer[] = [];
    let reset = false;
    socket.on('data', (chunk) => seen.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET') reset = true;
    });
    socket.on('end', () => socket.end());
    socket.on('close', () => resolve({ text: Buffer.concat(seen).toString('latin1'), reset }));
    socket.write(head);
    let sent = 0;
    const chunk = Buffer.alloc(64 * 1024);
    const pump = () => {
      while (sent < bodyBytes && seen.length === 0 && !socket.destroyed) {
        sent += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
    };
    pump();
  });
}

const post = (length: number, extra = '') =>
  `POST /upload HTTP/1.1\r\nHost: t\r\nContent-Type: application/octet-stream\r\nContent-Length: ${length}\r\n${extra}\r\n`;

describe('earlyAnswers', () => {
  it('answers a large unread body with Connection: close, then half-closes instead of resetting', async () => {
    const { text, reset } = await exchange(post(50 << 20), 50 << 20);
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(text.toLowerCase()).toContain('connection: close');
    expect(text).toContain('{"refused":true}');
    expect(reset).toBe(false);
  });

  it('drains a small unread rest and keeps the connection', async () => {
    const { text } = await exchange(
      `${post(1000)}${'x'.repeat(1000)}${post(3, 'x-let-in: 1\r\nConnection: close\r\n')}abc`,
      0,
    );
    expect(text.match(/HTTP\/1\.1 \d+/g)).toEqual(['HTTP/1.1 413', 'HTTP/1.1 200']);
    expect(text).toContain('{"bytes":3}');
  });

  it('sends a refusal instead of 100 Continue when the request is refused before its body', async () => {
    const { text } = await exchange(post(10 << 20, 'Expect: 100-continue\r\n'), 0);
    expect(text).not.toContain('100 Continue');
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
  });

  it('sends 100 Continue once the hooks passed, and refuses unread a body over the route limit', async () => {
    const admitted = await new Promise<string>((resolve) => {
      const socket = connect({ port, host: '127.0.0.1' });
      let text = '';
      socket.on('data', (chunk) => {
        // The body goes out only once the server invited it.
        if (text === '' && chunk.toString('latin1').startsWith('HTTP/1.1 100')) socket.write('abc');
        text += chunk.toString('latin1');
      });
      socket.on('close', () => resolve(text));
      socket.write(post(3, 'x-let-in: 1\r\nExpect: 100-continue\r\nConnection: close\r\n'));
    });
    expect(admitted).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 /);
    expect(admitted).toContain('{"bytes":3}');
    const tooLarge = await exchange(post(2 << 20, 'x-let-in: 1\r\nExpect: 100-continue\r\n'), 0);
    expect(tooLarge.text).not.toContain('100 Continue');
    expect(tooLarge.text).toMatch(/^HTTP\/1\.1 413 /);
  });
});
