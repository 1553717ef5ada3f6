import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { defineCatalog, structured } from '../../src/index.ts';
import {
  type Clock,
  closeCodeOf,
  closeReason,
  createDrain,
  createSessionTimers,
  createWsSession,
  errorFrame,
  fitReason,
  MAX_CLOSE_REASON_BYTES,
  rejectUpgrade,
  type WebSocketLike,
  type WsData,
  type WsSession,
  type WsSessionOptions,
} from '../../src/ws/index.ts';

const api = defineCatalog({
  name: 'streams',
  entries: {
    bad_message: {
      title: 'Bad Message',
      category: 'Streaming',
      message: 'Not this: {reason}.',
      fix: ['Fix it.'],
    },
    too_large: {
      title: 'Too Large',
      category: 'Streaming',
      message: 'Too big.',
      fix: ['Smaller.'],
      closeCode: 1009,
    },
    idle: {
      title: 'Idle',
      category: 'Streaming',
      message: 'Quiet too long.',
      fix: ['Talk.'],
      closeCode: 4003,
    },
    too_long: {
      title: 'Too Long',
      category: 'Streaming',
      message: 'Session over.',
      fix: ['Reconnect.'],
      closeCode: 4004,
    },
    going_away: {
      title: 'Going Away',
      category: 'Streaming',
      message: 'Bye.',
      fix: ['Reconnect.'],
      closeCode: 1001,
    },
    warning: {
      title: 'Shutdown Warning',
      category: 'Streaming',
      message: 'Closing in {seconds_remaining} s.',
      fix: ['Get ready.'],
      fields: ['seconds_remaining'],
      wsType: 'shutdown.warning',
    },
    no_token: { title: 'No Token', status: 401, category: 'Auth', message: 'No token.', fix: ['Send one.'] },
  },
});

/** A clock the test moves by hand: timers fire only inside `advance`. */
function fakeClock(start = Date.UTC(2026, 0, 1)): Clock & { advance(ms: number): void; pending(): number } {
  let now = start;
  let timers: { at: number; callback: () => void; id: number }[] = [];
  let next = 0;
  return {
    now: () => now,
    setTimeout(callback, ms) {
      const id = ++next;
      timers.push({ at: now + ms, callback, id });
      return id;
    },
    clearTimeout(handle) {
      timers = timers.filter((t) => t.id !== handle);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.callback();
      }
      now = end;
    },
    pending: () => timers.length,
  };
}

describe('frames and close reasons', () => {
  it('renders an error as its wsType message with fields, extras and the docs link', () => {
    const frame = errorFrame(
      api.error('warning', { seconds_remaining: 30 }),
      { correlationId: 'c1', docsBase: 'https://x.test/errors', now: () => 0 },
      { segment: 2 },
    );
    expect(frame).toEqual({
      type: 'shutdown.warning',
      timestamp: '1970-01-01T00:00:00.000Z',
      correlation_id: 'c1',
      data: {
        error_id: 'warning',
        message: 'Closing in 30 s.',
        link: 'https://x.test/errors#warning-shutdown-warning',
        seconds_remaining: 30,
        segment: 2,
      },
    });
    expect(errorFrame(api.error('bad_message', { reason: 'x' }), { correlationId: 'c' }).type).toBe('error');
  });

  it('names the error in a close reason that fits 123 bytes, cut on a character boundary', () => {
    expect(closeReason(api.error('too_large'))).toBe('too_large Too Large');
    expect(closeCodeOf(api.error('too_large'))).toBe(1009);
    expect(closeCodeOf(api.error('bad_message', { reason: 'x' }))).toBe(1008);
    const long = fitReason(`x ${'é'.repeat(100)}`);
    expect(new TextEncoder().encode(long).length).toBeLessThanOrEqual(MAX_CLOSE_REASON_BYTES);
    expect(long.endsWith('é')).toBe(true);
  });
});

describe('structural socket type', () => {
  it('accepts a real ws WebSocket, and WsData is ws RawData', () => {
    // The published types name no `ws` type (users who skip faultline/ws need no @types/ws);
    // `npx tsc` fails here if `ws` ever stops satisfying them.
    expectTypeOf<WebSocket>().toExtend<WebSocketLike>();
    expectTypeOf<import('ws').RawData>().toEqualTypeOf<WsData>();
    const socket = new WebSocket('ws://127.0.0.1:1', { autoPong: false });
    socket.on('error', () => {});
    const session = createWsSession(socket, 'c1', {});
    expect(session.socket).toBe(socket);
    socket.terminate();
  });
});

describe('session timers on an injected clock', () => {
  it('fires idle after quiet time only, never while work is held; max fires regardless', () => {
    const clock = fakeClock();
    const fired: string[] = [];
    const timers = createSessionTimers({
      clock,
      idleMs: 1000,
      maxMs: 5000,
      onIdle: () => fired.push(`idle@${clock.now() % 100_000}`),
      onMax: () => fired.push('max'),
    });
    clock.advance(900);
    timers.touch();
    clock.advance(900);
    expect(fired).toEqual([]);
    const release = timers.hold();
    clock.advance(2000);
    expect(fired).toEqual([]);
    release();
    clock.advance(999);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toHaveLength(1);
    clock.advance(2000);
    expect(fired.at(-1)).toBe('max');
    timers.stop();
    expect(clock.pending()).toBe(0);
  });
});

describe('session limits on an injected clock', () => {
  /** Just enough of a socket for a session that only times out: records how it was closed. */
  function quietSocket(closes: unknown[][]): WebSocketLike {
    return {
      readyState: 1,
      close: (code, reason) => closes.push([code, reason]),
      terminate() {},
      send() {},
      pause() {},
      resume() {},
      on() {},
      off() {},
    };
  }

  it('ends a session at its maximum duration also after weeks of uptime', () => {
    // Sessions count time in small integers from an epoch the ticker moves every ~12 days.
    const day = 86_400_000;
    const clock = fakeClock();
    const closes: unknown[][] = [];
    const options: WsSessionOptions = {
      clock,
      coverage: false,
      maxDuration: { ms: 14 * day, error: () => api.error('too_long') },
    };
    const first = createWsSession(quietSocket(closes), 'c1', options);
    clock.advance(13 * day);
    const second = createWsSession(quietSocket(closes), 'c2', options);
    clock.advance(day - 1000);
    expect([first.open, second.open]).toEqual([true, true]);
    clock.advance(1000);
    expect([first.open, second.open]).toEqual([false, true]);
    expect(closes).toEqual([[4004, 'too_long Too Long']]);
    clock.advance(13 * day - 1000);
    expect(second.open).toBe(true);
    clock.advance(1000);
    expect(second.open).toBe(false);
    expect(clock.pending()).toBe(0);
  });
});

describe('sessions and drains over real sockets', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((done) => (server ? server.close(() => done(undefined)) : done(undefined)));
    server = undefined;
  });

  /** A plain http + ws server whose connections become sessions; resolves with its URL. */
  async function serve(options: WsSessionOptions, onSession: (session: WsSession) => void): Promise<string> {
    server = createServer();
    const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
    // This catalog is the test's own: keep its ids out of the suite's coverage file.
    const shared = { ...options, coverage: false as const };
    server.on('upgrade', (request, socket, head) => {
      wss.handleUpgrade(request, socket, head, (ws) => onSession(createWsSession(ws, 'corr-1', shared)));
    });
    await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
    return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  }

  function client(url: string) {
    const ws = new WebSocket(url);
    const messages: { type: string; data: Record<string, unknown> }[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data))));
    const closed = new Promise<[number, string]>((done) =>
      ws.once('close', (code, reason) => done([code, String(reason)])),
    );
    const opened = new Promise((done) => ws.once('open', done));
    return { ws, messages, closed, opened };
  }

  it('ends an idle session with its error and close code, and refuses an oversize message with the catalog error', async () => {
    const clock = fakeClock();
    let session!: WsSession;
    const url = await serve(
      { clock, idle: { ms: 1000, error: () => api.error('idle') }, tooLarge: () => api.error('too_large') },
      (s) => {
        session = s;
      },
    );
    const quiet = client(url);
    await quiet.opened;
    clock.advance(1000);
    expect(await quiet.closed).toEqual([4003, 'idle Idle']);
    expect(quiet.messages.map((m) => m.data['error_id'])).toEqual(['idle']);
    expect(clock.pending()).toBe(0);

    const big = client(url);
    await big.opened;
    big.ws.send(Buffer.alloc(2048));
    expect(await big.closed).toEqual([1009, 'too_large Too Large']);
    expect(big.messages[0]?.data['error_id']).toBe('too_large');
    expect(session.open).toBe(false);
  });

  it('drains: refuses new sessions, warns twice, finishes work in flight, then closes with 1001 (or 1012)', async () => {
    const clock = fakeClock();
    const drain = createDrain({
      clock,
      warning: (s) => api.error('warning', { seconds_remaining: s }),
      goingAway: () => api.error('going_away'),
    });
    let current = drain;
    let finishWork!: () => void;
    const sessions: WsSession[] = [];
    const url = await serve({ clock }, (session) => {
      if (!current.add(session)) return session.end(api.error('going_away'));
      sessions.push(session);
      session.socket.on('message', () => {
        void session
          .track(new Promise<void>((done) => (finishWork = done)))
          .then(() => session.send('work.done', {}));
      });
      session.send('ready', {});
    });
    const a = client(url);
    const b = client(url);
    await Promise.all([a.opened, b.opened]);
    while (sessions.length < 2) await new Promise((done) => setImmediate(done));
    a.ws.send('work');
    while (sessions[0]!.inFlight === 0 && sessions[1]!.inFlight === 0)
      await new Promise((done) => setImmediate(done));

    const drained = drain.start({ durationMs: 10_000 });
    expect(drain.draining).toBe(true);
    clock.advance(9_000); // final warning: min(30 s, 1 s) before the end
    clock.advance(1_000); // deadline: b closes at once, a waits for its work
    expect(await b.closed).toEqual([1001, 'going_away Going Away']);
    expect(a.ws.readyState).toBe(WebSocket.OPEN);
    finishWork();
    expect(await a.closed).toEqual([1001, 'going_away Going Away']);
    await drained;
    const types = a.messages.map((m) => m.type);
    expect(types).toEqual(['ready', 'shutdown.warning', 'shutdown.warning', 'work.done', 'error']);
    expect(
      a.messages.filter((m) => m.type === 'shutdown.warning').map((m) => m.data['seconds_remaining']),
    ).toEqual([10, 1]);

    const late = client(url);
    expect((await late.closed)[1]).toBe('going_away Going Away');

    const restart = createDrain({
      clock,
      warning: (s) => api.error('warning', { seconds_remaining: s }),
      goingAway: () => api.error('going_away'),
    });
    current = restart;
    const c = client(url);
    await c.opened;
    while (!sessions[2]) await new Promise((done) => setImmediate(done));
    void restart.start({ durationMs: 0, restart: true });
    clock.advance(0);
    expect(await c.closed).toEqual([1012, 'going_away Going Away']);
  });

  it('rejectUpgrade answers a refused upgrade with a plain HTTP error', async () => {
    server = createServer();
    server.on('upgrade', (_request, socket) =>
      rejectUpgrade(socket, api.error('no_token'), {
        format: structured,
        correlationId: 'corr-9',
        docsBase: 'https://x.test/e',
        coverage: false,
      }),
    );
    await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    const answer = await new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
      (done, fail) => {
        const req = httpRequest({
          port,
          host: '127.0.0.1',
          headers: { connection: 'Upgrade', upgrade: 'websocket' },
        });
        req.once('response', (res) => {
          let body = '';
          res.on('data', (chunk) => (body += chunk));
          res.once('end', () => done({ status: res.statusCode!, headers: res.headers, body }));
        });
        req.once('error', fail);
        req.end();
      },
    );
    expect(answer.status).toBe(401);
    expect(answer.headers['x-correlation-id']).toBe('corr-9');
    expect(JSON.parse(answer.body)).toMatchObject({ error_id: 'no_token', correlation_id: 'corr-9' });
  });
});
