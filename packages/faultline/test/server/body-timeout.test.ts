import { connect } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bodyTimeouts } from '../../src/server/fastify/body-timeout.ts';
import { earlyAnswers } from '../../src/server/fastify/early-answer.ts';

let app: FastifyInstance;
let port: number;

beforeEach(async () => {
  app = Fastify();
  await app.register(earlyAnswers, { lingerMs: 500 });
  await app.register(bodyTimeouts, {
    idleMs: 300,
    totalMs: 1500,
    error: (_request, limit) => Object.assign(new Error(`body ${limit}`), { status: 400 }),
    skip: (request) => request.url === '/raw',
  });
  app.setErrorHandler((error: Error, _request, reply) => reply.code(400).send({ timeout: error.message }));
  app.post('/json', async (request) => ({ got: request.body }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as { port: number }).port;
});
afterEach(() => app.close());

/** Sends `parts` with `gapMs` between them and reads until the server closes or answers with keep-alive. */
function send(parts: readonly string[], gapMs: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
    });
    socket.on('error', () => {});
    socket.on('end', () => socket.end());
    socket.on('close', () => resolve(text));
    let at = 0;
    const next = () => {
      if (at < parts.length && !socket.destroyed) {
        socket.write(parts[at++]!);
        setTimeout(next, gapMs);
      }
    };
    next();
  });
}

const head = (length: number) =>
  `POST /json HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`;

describe('bodyTimeouts', () => {
  it('answers a body that stops halfway with the given error, and closes the connection', async () => {
    const text = await send([head(20), '{"a":'], 0);
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(text).toContain('{"timeout":"body idle"}');
    expect(text.toLowerCase()).toContain('connection: close');
  });

  it('lets a slow but steady body through, and stops one that drips past the total', async () => {
    const steady = await send([head(7), '{"a"', ':', '1}'], 100);
    expect(steady).toContain('{"got":{"a":1}}');
    const drip = Array.from({ length: 40 }, () => ' ');
    const slow = await send([head(40), ...drip], 200);
    expect(slow).toContain('{"timeout":"body total"}');
  });
});
