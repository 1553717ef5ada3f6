import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../src/auth/tokens.ts';
import {
  expectCatalogError,
  LEGACY_UNTIL,
  startServer,
  TEST_JWT_SECRET,
  type TestServer,
} from '../support/server.ts';
import {
  type ClientSession,
  fixture,
  type Message,
  openSession,
  refusedUpgrade,
  tokenFor,
} from './client.ts';

const STREAM = 'interhumanai.stream';
const UPLOAD = 'interhumanai.upload';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Asserts a refused upgrade is catalog error `id` as a normal HTTP answer. */
async function expectRefused(server: TestServer, headers: Record<string, string>, id: string) {
  const refusal = await refusedUpgrade(server, headers);
  const response = new Response(JSON.stringify(refusal.body), {
    status: refusal.status,
    headers: Object.entries(refusal.headers).map(([k, v]) => [k, String(v)] as [string, string]),
  });
  return expectCatalogError(response, id, { transitionMode: 'structured' });
}

const isError = (id: string, segment?: number) => (m: Message) =>
  m.type === 'error' && m.data['error_id'] === id && (segment === undefined || m.data['segment'] === segment);

/** Checks an error message is the catalog entry `id` with a resolvable docs link and the session's correlation id. */
function expectErrorMessage(message: Message, id: string, session: ClientSession, server: TestServer) {
  expect(message.type).toBe(id === 'ih6006' ? 'shutdown.warning' : 'error');
  expect(message.data['error_id']).toBe(id);
  expect(message.data['link']).toMatch(new RegExp(`^${server.url}/docs/errors#${id}-`));
  expect(typeof message.data['message']).toBe('string');
  expect(message.correlation_id).toBe(session.messages[0]?.correlation_id);
  expect(Number.isNaN(Date.parse(message.timestamp))).toBe(false);
}

describe('GET /v0/stream/analyze', () => {
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await startServer({ SIGNALS_LEGACY_UNTIL: LEGACY_UNTIL.structured });
    token = await tokenFor(server, [STREAM]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe('refuses the upgrade with an HTTP error, before any upgrade', () => {
    it('ih2008 without a token', async () => {
      await expectRefused(server, {}, 'ih2008');
      await expectRefused(server, { 'sec-websocket-protocol': 'access_token' }, 'ih2008');
    });
    it('ih2010 for a token that is not ours, by header or by subprotocol', async () => {
      await expectRefused(server, { authorization: 'Bearer not.a.token' }, 'ih2010');
      await expectRefused(server, { 'sec-websocket-protocol': 'access_token, not.a.token' }, 'ih2010');
    });
    it('ih2009 for an expired token', async () => {
      const key = await server.createKey([STREAM]);
      const iat = Math.floor(Date.now() / 1000) - 3600;
      const expired = await new SignJWT({ scope: STREAM })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(key.key_id)
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setIssuedAt(iat)
        .setExpirationTime(iat + 900)
        .sign(new TextEncoder().encode(TEST_JWT_SECRET));
      await expectRefused(server, { 'sec-websocket-protocol': `access_token, ${expired}` }, 'ih2009');
    });
    it('ih2011 for a token without the stream scope', async () => {
      const uploadOnly = await tokenFor(server, [UPLOAD]);
      const body = await expectRefused(server, { authorization: `Bearer ${uploadOnly}` }, 'ih2011');
      expect(body['message']).toContain(STREAM);
    });
    it('ih4005 for a plain GET (no upgrade) or a query parameter', async () => {
      const plain = await fetch(`${server.url}/v0/stream/analyze`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = await expectCatalogError(plain, 'ih4005', { transitionMode: 'structured' });
      expect(body['message']).toContain('Upgrade');
      const refusal = await refusedUpgrade(
        server,
        { authorization: `Bearer ${token}` },
        '/v0/stream/analyze?x=1',
      );
      expect([refusal.status, refusal.body['error_id']]).toEqual([400, 'ih4005']);
    });
  });

  it('accepts the token as a Bearer header or as the subprotocol pair, and states its limits', async () => {
    for (const via of ['header', 'protocol'] as const) {
      const session = await openSession(server, token, { via });
      const ready = await session.next((m) => m.type === 'session.ready');
      expect(ready.correlation_id).toMatch(UUID);
      expect(ready.data['limits']).toEqual({
        max_message_bytes: 20 * 1024 * 1024,
        min_segment_bytes: 10 * 1024,
        max_segment_seconds: 1800,
        idle_timeout_seconds: 300,
        max_session_seconds: 3600,
      });
      // The selected subprotocol is the marker, never the token.
      expect(session.ws.protocol).toBe(via === 'protocol' ? 'access_token' : '');
      session.ws.send('{"type":"session.close"}');
      expect(await session.closed).toEqual({ code: 1000, reason: 'session.close' });
    }
  });

  it('keeps the session open through bad text messages: ih4006 for non-JSON, ih6001 for a wrong shape', async () => {
    const session = await openSession(server, token);
    await session.next((m) => m.type === 'session.ready');
    session.ws.send('{not json');
    expectErrorMessage(await session.next(isError('ih4006')), 'ih4006', session, server);
    const wrong = [
      '[]',
      '"text"',
      '{"kind":"x"}',
      '{"type":"dance"}',
      '{"type":"session.config","include":"all"}',
    ];
    wrong.push('{"type":"session.config","include":["everything"]}', '{"type":"session.close","now":true}');
    for (const text of wrong) session.ws.send(text);
    await session.next(
      () => session.messages.filter(isError('ih6001')).length === wrong.length,
      'every ih6001',
    );
    const problems = session.messages.filter(isError('ih6001'));
    expectErrorMessage(problems[0]!, 'ih6001', session, server);
    expect(problems.map((m) => m.data['message']).join('\n')).toContain('"everything"');
    // Still open and still answering.
    session.ws.send('{"type":"session.config","include":["conversation_quality_overall"]}');
    const updated = await session.next((m) => m.type === 'session.updated');
    expect(updated.data['include']).toEqual(['conversation_quality_overall']);
    session.ws.send(fixture('good.mp4'));
    const done = await session.next((m) => m.type === 'segment.completed');
    expect(done.data).toMatchObject({
      segment: 1,
      video: { container: 'mp4', video_codec: 'h264' },
      analyzer: 'media',
    });
    const quality = await session.next((m) => m.type === 'conversation_quality.updated');
    expect(quality.data).toMatchObject({ segment: 1, overall: { turns: 3 } });
    const detected = session.messages.filter((m) => m.type === 'signal.detected');
    expect(detected.length).toBe(done.data['signals']);
    expect(detected.every((m) => m.data['segment'] === 1)).toBe(true);
    session.ws.close();
  });

  it('answers each bad segment with its media error, naming the segment, and keeps going', async () => {
    const session = await openSession(server, token);
    await session.next((m) => m.type === 'session.ready');
    const cases = [
      ['zero-duration.mp4', 'ih5001'],
      ['corrupted.mkv', 'ih5002'],
      ['unknown-codec.mp4', 'ih5003'],
      ['no-moov.mp4', 'ih5004'],
      ['tiny.mp4', 'ih5006'],
      ['audio-only.mp4', 'ih5007'],
      ['not-a-video.mp4', 'ih4002'],
      ['good.webm', undefined],
    ] as const;
    for (const [name] of cases) session.ws.send(fixture(name));
    for (const [index, [name, id]] of cases.entries()) {
      const segment = index + 1;
      const processing = await session.next(
        (m) => m.type === 'segment.processing' && m.data['segment'] === segment,
      );
      expect(processing.data['bytes'], name).toBe(fixture(name).length);
      if (id === undefined) {
        const done = await session.next(
          (m) => m.type === 'segment.completed' && m.data['segment'] === segment,
        );
        expect(done.data['video']).toMatchObject({ container: 'webm' });
      } else {
        expectErrorMessage(
          await session.next(isError(id, segment), `${id} for ${name}`),
          id,
          session,
          server,
        );
      }
    }
    expect(session.ws.readyState).toBe(session.ws.OPEN);
    session.ws.close();
  });

  it('ih6002: a message over 20 MB is refused from its header, with the error and close 1009', async () => {
    const session = await openSession(server, token);
    await session.next((m) => m.type === 'session.ready');
    session.ws.send(Buffer.alloc(20 * 1024 * 1024 + 1));
    const closed = await session.closed;
    expect(closed.code).toBe(1009);
    expect(closed.reason).toBe('ih6002 Message Too Large');
    expectErrorMessage(session.messages.find(isError('ih6002'))!, 'ih6002', session, server);
    // A message of exactly 20 MB is taken (and then judged as a segment).
    const again = await openSession(server, token);
    again.ws.send(Buffer.alloc(20 * 1024 * 1024));
    await again.next(isError('ih4002', 1));
    again.ws.close();
  });
});

describe('session timers (short, through the environment)', () => {
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await startServer({ SIGNALS_SESSION_IDLE_SECONDS: '1', SIGNALS_SESSION_MAX_SECONDS: '2.5' });
    token = await tokenFor(server, [STREAM]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('ih6003: a silent session gets the error, then close 4003 naming it', async () => {
    const session = await openSession(server, token);
    const ready = await session.next((m) => m.type === 'session.ready');
    expect(ready.data['limits']).toMatchObject({ idle_timeout_seconds: 1, max_session_seconds: 2.5 });
    const closed = await session.closed;
    expect(closed).toEqual({ code: 4003, reason: 'ih6003 Session Idle Timeout' });
    const error = session.messages.find(isError('ih6003'))!;
    expectErrorMessage(error, 'ih6003', session, server);
    expect(error.data['message']).toContain('1 seconds');
    expect(session.messages.at(-1)).toBe(error);
  });

  it('ih6004: a busy session still ends at its maximum duration, close 4004', async () => {
    const session = await openSession(server, token);
    await session.next((m) => m.type === 'session.ready');
    // Talk more often than the idle limit, so only the duration limit can end it.
    const chatter = setInterval(() => session.ws.send('{"type":"session.config","include":[]}'), 250);
    const closed = await session.closed;
    clearInterval(chatter);
    expect(closed).toEqual({ code: 4004, reason: 'ih6004 Session Duration Exceeded' });
    expectErrorMessage(session.messages.find(isError('ih6004'))!, 'ih6004', session, server);
    expect(session.messages.some(isError('ih6003'))).toBe(false);
  });
});
