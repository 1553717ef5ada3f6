import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CreatedKey,
  expectCatalogError,
  LEGACY_UNTIL,
  startServer,
  type TestServer,
  type TransitionMode,
} from '../support/server.ts';

const UPLOAD = 'interhumanai.upload';
const STREAM = 'interhumanai.stream';

describe.each(['legacy', 'structured'] as const)(
  'POST /v0/auth over a real socket (%s errors)',
  (mode: TransitionMode) => {
    let server: TestServer;
    let uploadKey: CreatedKey;

    beforeAll(async () => {
      server = await startServer({ SIGNALS_LEGACY_UNTIL: LEGACY_UNTIL[mode] });
      uploadKey = await server.createKey([UPLOAD]);
    });
    afterAll(async () => {
      await server?.stop();
    });

    const auth = (body: unknown, contentType = 'application/json') =>
      fetch(`${server.url}/v0/auth`, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const expectError = (res: Response, id: string) => expectCatalogError(res, id, { transitionMode: mode });

    it('issues a token for valid credentials', async () => {
      const res = await auth({
        key_id: uploadKey.key_id,
        key_secret: uploadKey.key_secret,
        scopes: [UPLOAD],
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(await res.json()).toEqual({
        access_token: expect.stringMatching(/^eyJ[\w-]*\.[\w-]+\.[\w-]+$/),
        token_type: 'Bearer',
        expires_in: 900,
        scope: UPLOAD,
      });
    });

    it('ih4006: the body is not JSON', async () => {
      await expectError(await auth('{"scopes": ["interhumanai.upload"'), 'ih4006');
      await expectError(
        await auth('scopes=interhumanai.upload', 'application/x-www-form-urlencoded'),
        'ih4006',
      );
      await expectError(await fetch(`${server.url}/v0/auth`, { method: 'POST' }), 'ih4006');
    });

    it('ih2003: scopes missing', async () => {
      await expectError(await auth({ key_id: uploadKey.key_id, key_secret: uploadKey.key_secret }), 'ih2003');
    });

    it('ih2002: scopes empty', async () => {
      await expectError(await auth({ scopes: [], key_id: 'x', key_secret: 'y' }), 'ih2002');
    });

    it('ih2001: a scope is unknown (checked before the credentials)', async () => {
      const body = await expectError(await auth({ scopes: [UPLOAD, 'interhumanai.admin'] }), 'ih2001');
      expect(body['message']).toContain('"interhumanai.admin"');
      await expectError(
        await auth({ scopes: ['INTERHUMANAI.UPLOAD'], key_id: 'nope', key_secret: 'nope' }),
        'ih2001',
      );
    });

    it('ih2004: key_id missing', async () => {
      await expectError(await auth({ scopes: [UPLOAD], key_secret: uploadKey.key_secret }), 'ih2004');
    });

    it('ih2005: key_secret missing', async () => {
      await expectError(await auth({ scopes: [UPLOAD], key_id: uploadKey.key_id }), 'ih2005');
    });

    it('ih2006: the same answer whichever half is wrong', async () => {
      const wrongSecret = await auth({
        scopes: [UPLOAD],
        key_id: uploadKey.key_id,
        key_secret: `${uploadKey.key_secret}x`,
      });
      const wrongId = await auth({
        scopes: [UPLOAD],
        key_id: 'key_doesnotexist00',
        key_secret: uploadKey.key_secret,
      });
      const headerNames = (res: Response) =>
        [...res.headers.keys()].filter((name) => !['date', 'content-length'].includes(name)).sort();
      expect(headerNames(wrongSecret)).toEqual(headerNames(wrongId));
      const a = await expectError(wrongSecret, 'ih2006');
      const b = await expectError(wrongId, 'ih2006');
      const { correlation_id: ca, ...restA } = a;
      const { correlation_id: cb, ...restB } = b;
      expect(ca).not.toBe(cb);
      expect(JSON.stringify(restA)).toBe(JSON.stringify(restB));
    });

    it('ih2006: a revoked key no longer authenticates', async () => {
      const key = await server.createKey([UPLOAD]);
      const login = { scopes: [UPLOAD], key_id: key.key_id, key_secret: key.key_secret };
      expect((await auth(login)).status).toBe(200);
      const revoked = await server.cli(['keys', 'revoke', key.key_id]);
      expect(revoked.code).toBe(0);
      await expectError(await auth(login), 'ih2006');
    });

    it('ih2007: the key lacks a requested scope', async () => {
      const body = await expectError(
        await auth({ scopes: [UPLOAD, STREAM], key_id: uploadKey.key_id, key_secret: uploadKey.key_secret }),
        'ih2007',
      );
      expect(body['message']).toContain(STREAM);
    });

    it('ih4005: a field of the wrong type is named', async () => {
      const body = await expectError(await auth({ scopes: UPLOAD }), 'ih4005');
      expect(body['message']).toContain('"scopes"');
      const idBody = await expectError(await auth({ scopes: [UPLOAD], key_id: ['key'] }), 'ih4005');
      expect(idBody['message']).toContain('"key_id"');
    });
  },
);
