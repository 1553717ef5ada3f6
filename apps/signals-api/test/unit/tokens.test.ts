import { createHmac } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  createTokenService,
  resolveJwtSecret,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  TOKEN_TTL_SECONDS,
} from '../../src/auth/tokens.ts';
import { openSqliteStore } from '../../src/db/sqlite.ts';

const secret = new TextEncoder().encode('unit-test-secret-0123456789-abcdefghij');
const T0 = Date.parse('2026-01-15T12:00:00Z');

/** A service on a clock the test moves. */
function clocked(start = T0) {
  let now = start;
  const tokens = createTokenService({ secret, now: () => now });
  return { tokens, set: (ms: number) => (now = ms) };
}

async function forge(claims: Record<string, unknown>, alg = 'HS256', key: Uint8Array = secret) {
  return new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT' }).sign(key);
}

const goodClaims = (iat = T0 / 1000) => ({
  sub: 'key_1',
  scope: 'interhumanai.upload',
  iss: TOKEN_ISSUER,
  aud: TOKEN_AUDIENCE,
  iat,
  exp: iat + TOKEN_TTL_SECONDS,
});

describe('token service', () => {
  it('issues HS256 tokens with sub, scope, iat, exp = iat + 900, iss and aud', async () => {
    const { tokens } = clocked();
    const { token, claims } = await tokens.issue('key_1', ['interhumanai.upload', 'interhumanai.stream']);
    const [header, payload] = token
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toEqual({
      sub: 'key_1',
      scope: 'interhumanai.upload interhumanai.stream',
      iss: TOKEN_ISSUER,
      aud: TOKEN_AUDIENCE,
      iat: T0 / 1000,
      exp: T0 / 1000 + 900,
    });
    expect(claims).toEqual({
      keyId: 'key_1',
      scopes: ['interhumanai.upload', 'interhumanai.stream'],
      issuedAt: T0 / 1000,
      expiresAt: T0 / 1000 + 900,
    });
  });

  it('accepts a token until its last second and calls it expired from exp on', async () => {
    const { tokens, set } = clocked();
    const { token } = await tokens.issue('key_1', ['interhumanai.upload']);
    const exp = T0 + TOKEN_TTL_SECONDS * 1000;

    set(exp - 1000);
    expect(await tokens.verify(token)).toMatchObject({ ok: true, claims: { keyId: 'key_1' } });
    set(exp + 1000);
    expect(await tokens.verify(token)).toEqual({ ok: false, reason: 'expired' });
    set(exp);
    expect(await tokens.verify(token)).toEqual({ ok: false, reason: 'expired' });
  });

  it('calls a tampered token invalid, not expired', async () => {
    const { tokens } = clocked();
    const { token } = await tokens.issue('key_1', ['interhumanai.stream']);
    const [h, , s] = token.split('.');
    const payload = Buffer.from(
      JSON.stringify({ ...goodClaims(), scope: 'interhumanai.upload interhumanai.stream' }),
    ).toString('base64url');
    expect(await tokens.verify(`${h}.${payload}.${s}`)).toEqual({ ok: false, reason: 'invalid' });
    // One flipped character in the signature.
    const flipped = token.slice(0, -2) + (token.at(-2) === 'A' ? 'B' : 'A') + token.at(-1);
    expect(await tokens.verify(flipped)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('rejects alg:none, other algorithms and other keys', async () => {
    const { tokens } = clocked();
    const none = new UnsecuredJWT(goodClaims()).encode();
    expect(await tokens.verify(none)).toEqual({ ok: false, reason: 'invalid' });
    expect(await tokens.verify(await forge(goodClaims(), 'HS512'))).toEqual({ ok: false, reason: 'invalid' });
    expect(await tokens.verify(await forge(goodClaims(), 'HS384'))).toEqual({ ok: false, reason: 'invalid' });
    const otherKey = new TextEncoder().encode('another-secret-0123456789-abcdefghijkl');
    expect(await tokens.verify(await forge(goodClaims(), 'HS256', otherKey))).toEqual({
      ok: false,
      reason: 'invalid',
    });
    // Our own key, correctly signed: the control case.
    expect((await tokens.verify(await forge(goodClaims()))).ok).toBe(true);
  });

  it('rejects tokens of another issuer or audience, or without the claims we rely on', async () => {
    const { tokens } = clocked();
    const cases: Record<string, unknown>[] = [
      { ...goodClaims(), iss: 'someone-else' },
      { ...goodClaims(), aud: 'another-api' },
      { ...goodClaims(), exp: undefined },
      { ...goodClaims(), sub: undefined },
      { ...goodClaims(), scope: undefined },
      { ...goodClaims(), scope: '' },
      { ...goodClaims(), scope: 'interhumanai.upload admin' },
      { ...goodClaims(), scope: ['interhumanai.upload'] },
    ];
    for (const claims of cases) {
      const defined = Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined));
      expect(await tokens.verify(await forge(defined)), JSON.stringify(claims)).toEqual({
        ok: false,
        reason: 'invalid',
      });
    }
  });

  it('pins HS256 even when the signature is ours: another alg, alg none, or a crit header', async () => {
    const { tokens } = clocked();
    // Signed correctly with our key over header.payload, whatever the header claims.
    const handMade = (header: Record<string, unknown>, claims: Record<string, unknown> = goodClaims()) => {
      const input = [header, claims]
        .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
        .join('.');
      return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
    };
    for (const header of [
      { alg: 'none' },
      { alg: 'HS512' },
      { alg: 'hs256' },
      { typ: 'JWT' },
      { alg: 'HS256', crit: ['exp'] },
    ])
      expect(await tokens.verify(handMade(header)), JSON.stringify(header)).toEqual({
        ok: false,
        reason: 'invalid',
      });
    // Controls: any header saying HS256 (without crit) is fine, as are the claims a JSON object holds.
    expect((await tokens.verify(handMade({ alg: 'HS256' }))).ok).toBe(true);
    expect((await tokens.verify(handMade({ alg: 'HS256', typ: 'JWT', kid: 'k1' }))).ok).toBe(true);
    expect(
      (await tokens.verify(handMade({ alg: 'HS256' }, { ...goodClaims(), aud: ['x', TOKEN_AUDIENCE] }))).ok,
    ).toBe(true);
    // A payload or header that is not a JSON object.
    expect(await tokens.verify(handMade({ alg: 'HS256' }, [1, 2] as never))).toEqual({
      ok: false,
      reason: 'invalid',
    });
    const notJson = `${Buffer.from('{"alg":"HS256"').toString('base64url')}.${Buffer.from('x').toString('base64url')}`;
    expect(
      await tokens.verify(`${notJson}.${createHmac('sha256', secret).update(notJson).digest('base64url')}`),
    ).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('checks the signature before the claims: a forged expired token is invalid, not expired', async () => {
    const { tokens, set } = clocked();
    const otherKey = new TextEncoder().encode('another-secret-0123456789-abcdefghijkl');
    const forged = await forge(goodClaims(), 'HS256', otherKey);
    set(T0 + 2 * TOKEN_TTL_SECONDS * 1000);
    expect(await tokens.verify(forged)).toEqual({ ok: false, reason: 'invalid' });
    expect(await tokens.verify(await forge(goodClaims()))).toEqual({ ok: false, reason: 'expired' });
  });

  it('honours nbf on the injected clock', async () => {
    const { tokens, set } = clocked();
    const token = await forge({ ...goodClaims(), nbf: T0 / 1000 + 60 });
    expect(await tokens.verify(token)).toEqual({ ok: false, reason: 'invalid' });
    set(T0 + 60_000);
    expect((await tokens.verify(token)).ok).toBe(true);
    expect(await tokens.verify(await forge({ ...goodClaims(), nbf: 'soon' }))).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('refuses a token with an extra segment or none for the signature', async () => {
    const { tokens } = clocked();
    const { token } = await tokens.issue('key_1', ['interhumanai.stream']);
    const [h, p, s] = token.split('.') as [string, string, string];
    for (const bad of [`${h}.${p}.${s}.`, `${h}.${p}`])
      expect(await tokens.verify(bad), bad.slice(-5)).toEqual({ ok: false, reason: 'invalid' });
    expect((await tokens.verify(token)).ok).toBe(true);
  });

  it('calls garbage invalid without throwing', async () => {
    const { tokens } = clocked();
    for (const garbage of ['', 'abc', 'a.b.c', 'eyJ.eyJ.', '....', 'x'.repeat(10_000)])
      expect(await tokens.verify(garbage), garbage.slice(0, 20)).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('resolveJwtSecret', () => {
  it('generates one secret, persists it, and prefers SIGNALS_JWT_SECRET', async () => {
    const store = openSqliteStore(':memory:');
    const first = await resolveJwtSecret(undefined, store);
    const second = await resolveJwtSecret(undefined, store);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
    const configured = await resolveJwtSecret('c'.repeat(40), store);
    expect(new TextDecoder().decode(configured)).toBe('c'.repeat(40));
    await store.close();
  });
});
