import { statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { ResponseError } from 'faultline/client';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../src/auth/tokens.ts';
import { createSignalsClient, type StreamEvent, streamSegments } from '../../src/client/index.ts';
import { fixturePath } from '../fixtures/index.ts';
import { startModel } from '../stream/model.ts';
import { unlimitedPlan } from '../support/plans.ts';
import {
  type CreatedKey,
  LEGACY_UNTIL,
  startServer,
  TEST_JWT_SECRET,
  type TestServer,
} from '../support/server.ts';

/**
 * The typed client's `stream` against the real `/v0/stream/analyze`, over real sockets, on
 * servers started as users start them: events and completions of a real video, refused
 * upgrades decoded from their HTTP answers, and a drain survived by moving to another server.
 */
const STREAM = 'interhumanai.stream';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let server: TestServer;
let key: CreatedKey;
beforeAll(async () => {
  server = await startServer({ SIGNALS_LEGACY_UNTIL: LEGACY_UNTIL.structured });
  key = await server.createKey([STREAM], await unlimitedPlan(server));
});
afterAll(async () => {
  await server?.stop();
});

const wsUrl = (origin: string) => `${origin.replace(/^http/, 'ws')}/v0/stream/analyze`;

/** A `ws` constructor that counts the handshakes it starts. */
function countingSocket() {
  const counter = { handshakes: 0 };
  class Counted extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      counter.handshakes++;
    }
  }
  return { counter, Socket: Counted as unknown as typeof globalThis.WebSocket };
}

/** A stream token signed with the test secret that expired an hour ago. */
async function expiredToken(keyId: string): Promise<string> {
  const iat = Math.floor(Date.now() / 1000) - 3600;
  return new SignJWT({ scope: STREAM })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(keyId)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + 900)
    .sign(new TextEncoder().encode(TEST_JWT_SECRET));
}

describe('stream against the real route', () => {
  it('a real video: the session events, then the segment completed, then a normal close', async () => {
    const client = createSignalsClient({ url: server.url, keyId: key.key_id, keySecret: key.key_secret });
    const events: StreamEvent[] = [];
    const summary = await client.stream(fixturePath('good.mp4'), {
      include: ['conversation_quality_overall'],
      onEvent: (event) => events.push(event),
    });
    expect(summary).toMatchObject({ segments: 1, failed: [], reconnects: 0 });
    expect(summary.sessions).toHaveLength(1);
    expect(summary.sessions[0]).toMatch(UUID);
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('session.ready');
    expect(types).toContain('session.updated');
    expect(types.indexOf('segment.processing')).toBeLessThan(types.indexOf('segment.completed'));
    expect(types.at(-1)).toBe('segment.completed');
    const processing = events.find((e) => e.type === 'segment.processing')!;
    expect(processing.data).toEqual({ segment: 1, bytes: statSync(fixturePath('good.mp4')).size });
    const completed = events.at(-1)!;
    expect(completed.data).toMatchObject({ segment: 1, video: { container: 'mp4' } });
    for (const event of events) expect(event.correlation_id).toBe(summary.sessions[0]);
  });

  it('a bad segment is refused by name and the next one still completes', async () => {
    const client = createSignalsClient({ url: server.url, keyId: key.key_id, keySecret: key.key_secret });
    const summary = await client.stream([fixturePath('not-a-video.mp4'), fixturePath('good.webm')]);
    expect(summary.segments).toBe(1);
    expect(summary.failed).toHaveLength(1);
    expect(summary.failed[0]!.index).toBe(0);
    expect(summary.failed[0]!.error).toMatchObject({ fields: { segment: 1 } });
    expect(summary.failed[0]!.error.code).toMatch(/^ih(4|5)\d{3}$/);
    expect(summary.reconnects).toBe(0);
  });

  it.each([
    ['an expired token', 'ih2009', () => expiredToken(key.key_id)],
    ['a token that is not ours', 'ih2010', async () => 'not.a.token'],
  ])('%s: the refused upgrade is decoded (%s), one handshake, no reconnect', async (_what, id, make) => {
    const token = await make();
    const asked: boolean[] = [];
    const sleeps: number[] = [];
    const { counter, Socket } = countingSocket();
    const error = await streamSegments(fixturePath('good.mp4'), {
      url: wsUrl(server.url),
      token: async (fresh) => {
        asked.push(fresh);
        return token;
      },
      WebSocket: Socket,
      sleep: async (ms) => void sleeps.push(ms),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseError);
    const { error: decoded } = error as ResponseError;
    expect(decoded).toMatchObject({ status: 401, code: id });
    expect(decoded.requestId).toMatch(UUID);
    expect(decoded.link).toContain(`#${id}-`);
    expect(counter.handshakes).toBe(1);
    // A renewal was asked for, gave the same token, so nothing was sent again.
    expect(asked).toEqual([false, true]);
    expect(sleeps).toEqual([]);
  });

  it('a WebSocket that hides the refused answer (the global one, as in browsers): one HTTP probe decodes it', async () => {
    const error = await streamSegments(fixturePath('good.mp4'), {
      url: wsUrl(server.url),
      token: async () => 'not.a.token',
      WebSocket: globalThis.WebSocket,
      sleep: async () => {
        throw new Error('no wait expected');
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect((error as ResponseError).error).toMatchObject({ status: 401, code: 'ih2010' });
  });

  it('a 401 with a renewable token: one fresh token, then the stream runs', async () => {
    const expired = await expiredToken(key.key_id);
    const grant = await fetch(`${server.url}/v0/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key_id: key.key_id, key_secret: key.key_secret, scopes: [STREAM] }),
    }).then((r) => r.json() as Promise<{ access_token: string }>);
    const { counter, Socket } = countingSocket();
    const summary = await streamSegments(fixturePath('good.mp4'), {
      url: wsUrl(server.url),
      token: async (fresh) => (fresh ? grant.access_token : expired),
      WebSocket: Socket,
    });
    expect(summary).toMatchObject({ segments: 1, reconnects: 0 });
    expect(counter.handshakes).toBe(2);
  });

  it('a plan refusal (inactive subscription, ih3005 402) stops at once with the decoded error', async () => {
    const inactive = await server.createKey([STREAM]);
    expect((await server.cli(['accounts', 'set-subscription', inactive.key_id, 'inactive'])).code).toBe(0);
    const sleeps: number[] = [];
    const client = createSignalsClient({
      url: server.url,
      keyId: inactive.key_id,
      keySecret: inactive.key_secret,
      sleep: async (ms) => void sleeps.push(ms),
    });
    const error = await client.stream(fixturePath('good.mp4')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect((error as ResponseError).error).toMatchObject({ status: 402, code: 'ih3005' });
    expect((error as ResponseError).attempts).toBe(1);
    expect(sleeps).toEqual([]);
  });
});

/** A TCP front for the client's one URL (a load balancer): new connections go to `target`. */
async function startProxy(target: string): Promise<{ url: string; target: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const proxy = {
    url: '',
    target,
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        front.close(() => done());
      }),
  };
  const front: Server = createServer((client) => {
    const { hostname, port } = new URL(proxy.target);
    const back = tcpConnect(Number(port), hostname);
    for (const socket of [client, back]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        back.destroy();
      });
    }
    client.pipe(back).pipe(client);
  });
  await new Promise<void>((done) => front.listen(0, '127.0.0.1', done));
  proxy.url = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
  return proxy;
}

describe('a drain, seen by the client', () => {
  it('finishes the segment in flight on ih6006, then reconnects with jitter after ih6005/1001, on the other server', async () => {
    const model = await startModel({ holding: true });
    // The server being drained shares the database (and so the key) with the one that stays.
    const draining = await startServer({
      DATABASE_URL: server.databaseUrl,
      SIGNALS_LEGACY_UNTIL: LEGACY_UNTIL.structured,
      SIGNALS_ANALYZER: 'http',
      SIGNALS_ANALYZER_URL: model.url,
      // No grace: the deadline passes with the warnings, while the segment is held at the
      // model, so the close is surely the drain's ih6005 after that segment's answer.
      SIGNALS_DRAIN_SECONDS: '0',
    });
    const proxy = await startProxy(draining.url);
    try {
      const sleeps: number[] = [];
      const events: StreamEvent[] = [];
      const reconnects: unknown[] = [];
      let onWarnings: () => void = () => {};
      const warned = new Promise<void>((done) => {
        onWarnings = done;
      });
      const client = createSignalsClient({
        url: proxy.url,
        keyId: key.key_id,
        keySecret: key.key_secret,
        random: () => 0.5,
        sleep: async (ms) => void sleeps.push(ms),
      });
      const run = client.stream([fixturePath('good.mp4'), fixturePath('good.webm')], {
        onEvent: (event) => {
          events.push(event);
          if (event.type !== 'shutdown.warning') return;
          // The balancer sends new connections to the server that stays.
          proxy.target = server.url;
          if (events.filter((e) => e.type === 'shutdown.warning').length === 2) onWarnings();
        },
        onReconnect: (info) => reconnects.push(info),
      });
      await model.waitFor(1);
      draining.kill('SIGTERM');
      await warned;
      model.release();
      const summary = await run;

      expect(summary).toMatchObject({ segments: 2, failed: [], reconnects: 1 });
      expect(summary.sessions).toHaveLength(2);
      const [first, second] = summary.sessions;
      const of = (session: string | undefined) =>
        events
          .filter((e) => e.correlation_id === session)
          .map((e) => `${e.type}:${e.data?.['segment'] ?? ''}`);
      // Session 1 (draining server): warned while segment 1 was in flight, answered, gone away.
      expect(of(first)).toEqual([
        'session.ready:',
        'segment.processing:1',
        'shutdown.warning:',
        'shutdown.warning:',
        'signal.detected:1',
        'segment.completed:1',
        'error:',
      ]);
      expect(events.find((e) => e.type === 'shutdown.warning')!.data).toMatchObject({ error_id: 'ih6006' });
      expect(events.find((e) => e.type === 'error')!.data).toMatchObject({ error_id: 'ih6005' });
      expect(reconnects).toEqual([
        {
          attempt: 1,
          delayMs: 250,
          error: expect.objectContaining({ code: 'ih6005', fields: { closeCode: 1001 } }),
        },
      ]);
      // Full jitter: 0.5 of the 500 ms base, through the injected sleep.
      expect(sleeps).toEqual([250]);
      // Session 2 (the other server) got only segment 2: segment 1 was answered, never resent.
      const processing = events.filter((e) => e.correlation_id === second && e.type === 'segment.processing');
      expect(processing.map((e) => e.data)).toEqual([
        { segment: 1, bytes: statSync(fixturePath('good.webm')).size },
      ]);
      expect(of(second).at(-1)).toBe('segment.completed:1');
      expect(model.received()).toBe(1);
      expect(await draining.exited).toBe(0);
    } finally {
      await proxy.close();
      await draining.stop();
      await model.close();
    }
  }, 30_000);
});
