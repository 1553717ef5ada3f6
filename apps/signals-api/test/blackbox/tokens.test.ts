import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../src/auth/tokens.ts';
import {
  type CreatedKey,
  expectCatalogError,
  LEGACY_UNTIL,
  startServer,
  TEST_JWT_SECRET,
  type TestServer,
  type TransitionMode,
} from '../support/server.ts';

const UPLOAD = 'interhumanai.upload';
const STREAM = 'interhumanai.stream';
const secret = new TextEncoder().encode(TEST_JWT_SECRET);

describe.each(['legacy', 'structured'] as const)(
  'bearer tokens on POST /v0/upload/analyze (%s errors)',
  (mode: TransitionMode) => {
    let server: TestServer;
    let key: CreatedKey;

    beforeAll(async () => {
      server = await startServer({ SIGNALS_LEGACY_UNTIL: LEGACY_UNTIL[mode] });
      key = await server.createKey([UPLOAD, STREAM]);
    });
    afterAll(async () => {
      await server?.stop();
    });

    async function tokenFor(scopes: string[], credentials: CreatedKey = key): Promise<string> {
      const res = await fetch(`${server.url}/v0/auth`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key_id: credentials.key_id, key_secret: credentials.key_secret, scopes }),
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { access_token: string }).access_token;
    }
    const upload = (authorization?: string) =>
      fetch(`${server.url}/v0/upload/analyze`, {
        method: 'POST',
        headers: authorization === undefined ? {} : { authorization },
      });
    const expectError = async (res: Response, id: string) =>
      expectCatalogError(res, id, { transitionMode: mode });
    /** Claims as the server would sign them, `iat` seconds ago. */
    const claims = (ageSeconds: number, extra: Record<string, unknown> = {}) => {
      const iat = Math.floor(Date.now() / 1000) - ageSeconds;
      return {
        sub: key.key_id,
        scope: UPLOAD,
        iss: TOKEN_ISSUER,
        aud: TOKEN_AUDIENCE,
        iat,
        exp: iat + 900,
        ...extra,
      };
    };
    const sign = (payload: Record<string, unknown>, alg = 'HS256', with_ = secret) =>
      new SignJWT(payload).setProtectedHeader({ alg, typ: 'JWT' }).sign(with_);

    it('passes a valid token with the scope on to the endpoint (which then wants a file)', async () => {
      await expectError(await upload(`Bearer ${await tokenFor([UPLOAD])}`), 'ih4001');
      // Control for the forged tokens below: our own signature on fresh claims is accepted.
      await expectError(await upload(`Bearer ${await sign(claims(0))}`), 'ih4001');
    });

    it('ih2008: no token', async () => {
      await expectError(await upload(), 'ih2008');
      await expectError(await upload('Basic a2V5OnNlY3JldA=='), 'ih2008');
      await expectError(await upload('Bearer '), 'ih2008');
    });

    it('ih2009: an expired token, correctly signed', async () => {
      await expectError(await upload(`Bearer ${await sign(claims(901))}`), 'ih2009');
      await expectError(await upload(`Bearer ${await sign(claims(3600))}`), 'ih2009');
    });

    it('ih2010: a tampered token', async () => {
      const token = await tokenFor([STREAM]);
      const [header, payload, signature] = token.split('.') as [string, string, string];
      const claimsOf = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const widened = Buffer.from(JSON.stringify({ ...claimsOf, scope: `${STREAM} ${UPLOAD}` })).toString(
        'base64url',
      );
      await expectError(await upload(`Bearer ${header}.${widened}.${signature}`), 'ih2010');
      await expectError(await upload(`Bearer ${token.slice(0, -4)}`), 'ih2010');
    });

    it('ih2010: alg none, another algorithm, another key, garbage', async () => {
      await expectError(await upload(`Bearer ${new UnsecuredJWT(claims(0)).encode()}`), 'ih2010');
      await expectError(await upload(`Bearer ${await sign(claims(0), 'HS512')}`), 'ih2010');
      const otherKey = new TextEncoder().encode('not-the-server-secret-0123456789abcdefghij');
      await expectError(await upload(`Bearer ${await sign(claims(0), 'HS256', otherKey)}`), 'ih2010');
      await expectError(await upload(`Bearer ${await sign(claims(0, { iss: 'elsewhere' }))}`), 'ih2010');
      await expectError(await upload('Bearer not.a.jwt'), 'ih2010');
    });

    it('ih2010: the token of a key revoked since', async () => {
      const doomed = await server.createKey([UPLOAD]);
      const token = await tokenFor([UPLOAD], doomed);
      await expectError(await upload(`Bearer ${token}`), 'ih4001');
      expect((await server.cli(['keys', 'revoke', doomed.key_id])).code).toBe(0);
      await expectError(await upload(`Bearer ${token}`), 'ih2010');
    });

    it('ih2011: a valid token without the endpoint scope', async () => {
      const body = await expectError(await upload(`Bearer ${await tokenFor([STREAM])}`), 'ih2011');
      expect(body['message']).toContain(UPLOAD);
    });
  },
);
