import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { provisionKey } from '../../src/auth/provision.ts';
import { loadConfig } from '../../src/config.ts';
import { openSqliteStore } from '../../src/db/sqlite.ts';
import type { Store } from '../../src/db/store.ts';

let app: FastifyInstance;
let store: Store;
let lookups: number;
let key: { key_id: string; key_secret: string };

beforeEach(async () => {
  const real = openSqliteStore(':memory:');
  key = await provisionKey(real, { scopes: ['interhumanai.upload'], plan: 'default', now: new Date() });
  lookups = 0;
  // Counts key lookups: the spec wants scope errors answered before any database access.
  store = new Proxy(real, {
    get(target, name, receiver) {
      if (name === 'getKey') lookups++;
      const value = Reflect.get(target, name, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  lookups = 0;
  const config = loadConfig({ SIGNALS_JWT_SECRET: 'j'.repeat(40), SIGNALS_LEGACY_UNTIL: '2000-01-01' });
  app = await buildApp({ config, store });
});
afterEach(async () => {
  await app.close();
  await store.close();
});

const post = (payload: unknown, contentType = 'application/json') =>
  app.inject({
    method: 'POST',
    url: '/v0/auth',
    headers: { 'content-type': contentType },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
const idOf = async (payload: unknown, contentType?: string) =>
  (await post(payload, contentType)).json().error_id;

describe('POST /v0/auth validation order', () => {
  it('peels errors off one at a time, in the documented order', async () => {
    const secret = key.key_secret;
    expect(await idOf('{"scopes": [')).toBe('ih4006');
    expect(await idOf({})).toBe('ih2003');
    expect(await idOf({ scopes: [] })).toBe('ih2002');
    expect(await idOf({ scopes: ['interhumanai.upload', 'Interhumanai.Stream'] })).toBe('ih2001');
    expect(await idOf({ scopes: ['interhumanai.upload'] })).toBe('ih2004');
    expect(await idOf({ scopes: ['interhumanai.upload'], key_id: key.key_id })).toBe('ih2005');
    expect(lookups).toBe(0);
    expect(await idOf({ scopes: ['interhumanai.upload'], key_id: key.key_id, key_secret: 'sk_wrong' })).toBe(
      'ih2006',
    );
    expect(await idOf({ scopes: ['interhumanai.stream'], key_id: key.key_id, key_secret: secret })).toBe(
      'ih2007',
    );
    const ok = await post({ scopes: ['interhumanai.upload'], key_id: key.key_id, key_secret: secret });
    expect(ok.statusCode).toBe(200);
    expect(lookups).toBe(3);
  });

  it('checks scopes before looking the key up, even with full credentials', async () => {
    expect(await idOf({ scopes: ['admin'], key_id: key.key_id, key_secret: key.key_secret })).toBe('ih2001');
    expect(await idOf({ scopes: [], key_id: 'key_unknown', key_secret: 'x' })).toBe('ih2002');
    expect(lookups).toBe(0);
  });

  it('answers wrong types with ih4005 naming the field, and treats null or "" as absent', async () => {
    const bad = async (payload: unknown) => (await post(payload)).json();
    expect(await bad({ scopes: 'interhumanai.upload' })).toMatchObject({
      error_id: 'ih4005',
      message: expect.stringContaining('"scopes"'),
    });
    expect(await bad({ scopes: ['interhumanai.upload'], key_id: 42 })).toMatchObject({
      error_id: 'ih4005',
      message: expect.stringContaining('"key_id"'),
    });
    expect(await bad({ scopes: ['interhumanai.upload'], key_id: 'k', key_secret: {} })).toMatchObject({
      error_id: 'ih4005',
      message: expect.stringContaining('"key_secret"'),
    });
    expect(await bad([1, 2])).toMatchObject({
      error_id: 'ih4005',
      message: expect.stringContaining('"body"'),
    });
    expect(await idOf({ scopes: null })).toBe('ih2003');
    expect(await idOf({ scopes: ['interhumanai.upload'], key_id: '' })).toBe('ih2004');
    expect(await idOf({ scopes: ['interhumanai.upload'], key_id: 'k', key_secret: null })).toBe('ih2005');
    expect(await idOf({ scopes: [7] })).toBe('ih2001');
  });

  it('reads only JSON bodies', async () => {
    expect(await idOf('scopes=interhumanai.upload', 'application/x-www-form-urlencoded')).toBe('ih4006');
    expect(await idOf('{"scopes":["interhumanai.upload"]}', 'text/plain')).toBe('ih4006');
    expect(await idOf('', 'application/json')).toBe('ih4006');
    const none = await app.inject({ method: 'POST', url: '/v0/auth' });
    expect(none.json().error_id).toBe('ih4006');
  });

  it('quotes an unknown scope briefly and on one line', async () => {
    const res = await post({ scopes: [`x${'y'.repeat(500)}\n`] });
    const { message } = res.json();
    expect(message).not.toContain('\n');
    expect(message.length).toBeLessThan(260);
  });

  it('refuses bodies over 16 KiB with a 413 that does not claim the upload limit', async () => {
    const res = await post({ scopes: ['interhumanai.upload'], pad: 'x'.repeat(17 * 1024) });
    // ih4003 names the 100 MB upload limit; the auth body's own limit is the framework's entry.
    expect(res.json().error_id).toBe('payload_too_large');
    expect(res.json().message).not.toMatch(/100 MB/);
    expect(res.statusCode).toBe(413);
  });

  it('issues a Bearer token for the requested scopes, not cached', async () => {
    const res = await post({
      scopes: ['interhumanai.upload', 'interhumanai.upload'],
      key_id: key.key_id,
      key_secret: key.key_secret,
    });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({
      access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      token_type: 'Bearer',
      expires_in: 900,
      scope: 'interhumanai.upload',
    });
  });
});
