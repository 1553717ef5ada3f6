import Fastify, { type FastifyInstance } from 'fastify';
import { structured } from 'faultline';
import { faultlineFastify } from 'faultline/fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuthenticate, decorateAuth, tokenFromRequest } from '../../src/auth/authenticate.ts';
import { createTokenService, TOKEN_TTL_SECONDS } from '../../src/auth/tokens.ts';
import { signals } from '../../src/catalog.ts';
import { openSqliteStore } from '../../src/db/sqlite.ts';
import type { Store } from '../../src/db/store.ts';

describe('tokenFromRequest', () => {
  const from = (headers: Record<string, string>) => tokenFromRequest({ headers }, { upgrade: true });

  it('reads a Bearer token, whatever the scheme case and spacing', () => {
    expect(from({ authorization: 'Bearer abc.def.ghi' })).toBe('abc.def.ghi');
    expect(from({ authorization: 'bearer   abc' })).toBe('abc');
    expect(from({ authorization: 'BEARER\tabc ' })).toBe('abc');
  });

  it('finds no token in other schemes or an empty Bearer', () => {
    expect(from({})).toBeUndefined();
    expect(from({ authorization: 'Basic dXNlcjpwYXNz' })).toBeUndefined();
    expect(from({ authorization: 'Bearer' })).toBeUndefined();
    expect(from({ authorization: 'Bearer   ' })).toBeUndefined();
    expect(from({ authorization: 'Bearerabc' })).toBeUndefined();
  });

  it('reads the WebSocket subprotocol pair access_token, <token>', () => {
    expect(from({ 'sec-websocket-protocol': 'access_token, eyJ.x.y' })).toBe('eyJ.x.y');
    expect(from({ 'sec-websocket-protocol': 'signals.v0,access_token,eyJ.x.y' })).toBe('eyJ.x.y');
    expect(from({ 'sec-websocket-protocol': 'access_token' })).toBeUndefined();
    expect(from({ 'sec-websocket-protocol': 'eyJ.x.y' })).toBeUndefined();
  });

  it('ignores the subprotocol header unless the caller says the request is a WebSocket upgrade', () => {
    const headers = { 'sec-websocket-protocol': 'access_token, eyJ.x.y' };
    expect(tokenFromRequest({ headers })).toBeUndefined();
    expect(tokenFromRequest({ headers }, { upgrade: false })).toBeUndefined();
  });

  it('prefers the Authorization header', () => {
    expect(from({ authorization: 'Bearer header', 'sec-websocket-protocol': 'access_token, proto' })).toBe(
      'header',
    );
  });
});

describe('authenticate(scope)', () => {
  const T0 = Date.parse('2026-01-15T12:00:00Z');
  let now = T0;
  let app: FastifyInstance;
  let store: Store;
  const tokens = createTokenService({ secret: new TextEncoder().encode('s'.repeat(40)), now: () => now });

  beforeEach(async () => {
    now = T0;
    store = openSqliteStore(':memory:');
    await store.createKey({
      id: 'key_1',
      secretHash: 'scrypt$ln=8,r=8,p=1$AAAA$BBBB',
      scopes: ['interhumanai.upload', 'interhumanai.stream'],
      plan: 'default',
      createdAt: new Date(T0),
    });
    app = Fastify();
    await app.register(faultlineFastify, { catalog: signals, format: structured, coverage: false });
    decorateAuth(app);
    const authenticate = createAuthenticate({ tokens, store });
    app.get('/upload', { onRequest: authenticate('interhumanai.upload') }, async (request) => request.auth);
  });
  afterEach(async () => {
    await app.close();
    await store.close();
  });

  const call = (authorization?: string) =>
    app.inject({ method: 'GET', url: '/upload', headers: authorization ? { authorization } : {} });

  it('lets a valid token with the scope through and exposes its claims', async () => {
    const { token } = await tokens.issue('key_1', ['interhumanai.upload']);
    const res = await call(`Bearer ${token}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ keyId: 'key_1', scopes: ['interhumanai.upload'] });
  });

  it('answers ih2008, ih2009, ih2010 and ih2011 for each way a token fails', async () => {
    const { token } = await tokens.issue('key_1', ['interhumanai.upload']);
    const { token: streamOnly } = await tokens.issue('key_1', ['interhumanai.stream']);
    expect((await call()).json().error_id).toBe('ih2008');
    expect((await call('Bearer not-a-jwt')).json().error_id).toBe('ih2010');
    const res = await call(`Bearer ${streamOnly}`);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({
      error_id: 'ih2011',
      message: expect.stringContaining('interhumanai.upload'),
    });
    now = T0 + TOKEN_TTL_SECONDS * 1000 - 1000;
    expect((await call(`Bearer ${token}`)).statusCode).toBe(200);
    now = T0 + TOKEN_TTL_SECONDS * 1000 + 1000;
    expect((await call(`Bearer ${token}`)).json().error_id).toBe('ih2009');
  });

  it("stops a revoked key's tokens at once", async () => {
    const { token } = await tokens.issue('key_1', ['interhumanai.upload']);
    await store.revokeKey('key_1', new Date(T0));
    expect((await call(`Bearer ${token}`)).json().error_id).toBe('ih2010');
  });

  it('rejects a well-signed token for a key that does not exist', async () => {
    const { token } = await tokens.issue('key_ghost', ['interhumanai.upload']);
    expect((await call(`Bearer ${token}`)).json().error_id).toBe('ih2010');
  });
});
