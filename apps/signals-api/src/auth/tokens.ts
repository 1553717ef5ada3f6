import { randomBytes } from 'node:crypto';
// jose's subpaths, not its index: the index loads every JWE/JWK/JWKS module too (~45 modules),
// code a token service never runs but that stays live in the heap every full GC walks.
import * as errors from 'jose/errors';
import { SignJWT } from 'jose/jwt/sign';
import { jwtVerify } from 'jose/jwt/verify';
import type { Store } from '../db/store.ts';
import { isScope } from './scopes.ts';

/**
 * Lifetime of an access token, in seconds (the `expires_in` of `POST /v0/auth`).
 * @example reply.send({ access_token, token_type: 'Bearer', expires_in: TOKEN_TTL_SECONDS });
 */
export const TOKEN_TTL_SECONDS = 900;
/**
 * `iss` of our tokens: only tokens we issued are accepted.
 * @example new SignJWT(claims).setIssuer(TOKEN_ISSUER)
 */
export const TOKEN_ISSUER = 'signals-api';
/**
 * `aud` of our tokens: the v0 API.
 * @example new SignJWT(claims).setAudience(TOKEN_AUDIENCE)
 */
export const TOKEN_AUDIENCE = 'signals-api/v0';
/** The one algorithm we sign and accept; fixed so `alg: none` or a swapped alg never verifies. */
const ALGORITHM = 'HS256';
/** The hash of ALGORITHM, for the key imported once. */
const HASH = 'SHA-256';
/** Longer than any token we issue by far; longer input is rejected unparsed. */
const MAX_TOKEN_LENGTH = 4096;

/**
 * What a verified token says.
 * @example request.auth?.keyId // 'key_abc', set by authenticate
 */
export interface TokenClaims {
  /** `sub`: the key the token was issued to. */
  readonly keyId: string;
  /** `scope`, split. */
  readonly scopes: readonly string[];
  /** `iat` and `exp`, in seconds since the epoch. */
  readonly issuedAt: number;
  readonly expiresAt: number;
}

/**
 * Outcome of verifying a token: claims, or why not (expired vs everything else).
 * @example const result = await tokens.verify(token); if (!result.ok && result.reason === 'expired') throw signals.error('ih2009');
 */
export type VerifyResult =
  | { readonly ok: true; readonly claims: TokenClaims }
  | { readonly ok: false; readonly reason: 'expired' | 'invalid' };

/**
 * Issues and verifies access tokens on an injected clock.
 * @example const { token } = await tokens.issue('key_abc', ['interhumanai.upload']);
 */
export interface TokenService {
  issue(keyId: string, scopes: readonly string[]): Promise<{ token: string; claims: TokenClaims }>;
  verify(token: string): Promise<VerifyResult>;
}

/**
 * Options of `createTokenService`.
 * @example createTokenService({ secret: new TextEncoder().encode(config.jwtSecret), now: Date.now });
 */
export interface TokenServiceOptions {
  /** HMAC key (at least 32 bytes). */
  readonly secret: Uint8Array;
  /** Clock in ms since the epoch; decides `iat`, `exp` and expiry checks. */
  readonly now: () => number;
}

/**
 * HS256 JWTs: `sub` = key id, `scope` = space-separated scopes, `exp` = `iat` + 900 s,
 * our own `iss`/`aud`. Verification pins the algorithm and reads time from `now`.
 * @example
 * const tokens = createTokenService({ secret, now: Date.now });
 * const { token } = await tokens.issue('key_abc', ['interhumanai.upload']);
 * await tokens.verify(token); // { ok: true, claims: { keyId: 'key_abc', … } }
 */
export function createTokenService(options: TokenServiceOptions): TokenService {
  const { secret, now } = options;
  // Imported once: given the raw bytes, jose imports the key again on every verification
  // (kilobytes of garbage per request, and per WebSocket handshake).
  let verifyKey: Promise<CryptoKey> | undefined;
  const keyForVerify = () =>
    (verifyKey ??= crypto.subtle.importKey(
      'raw',
      secret as Uint8Array<ArrayBuffer>,
      { name: 'HMAC', hash: HASH },
      false,
      ['verify'],
    ));
  return {
    async issue(keyId, scopes) {
      const issuedAt = Math.floor(now() / 1000);
      const expiresAt = issuedAt + TOKEN_TTL_SECONDS;
      const token = await new SignJWT({ scope: scopes.join(' ') })
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
        .setSubject(keyId)
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAt)
        .sign(secret);
      return { token, claims: { keyId, scopes: [...scopes], issuedAt, expiresAt } };
    },
    async verify(token) {
      if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'invalid' };
      try {
        const { payload } = await jwtVerify(token, await keyForVerify(), {
          algorithms: [ALGORITHM],
          issuer: TOKEN_ISSUER,
          audience: TOKEN_AUDIENCE,
          currentDate: new Date(now()),
          requiredClaims: ['sub', 'iat', 'exp'],
        });
        const scopes = typeof payload['scope'] === 'string' ? payload['scope'].split(' ') : [];
        const keyId = payload.sub;
        if (typeof keyId !== 'string' || keyId === '' || scopes.length === 0 || !scopes.every(isScope))
          return { ok: false, reason: 'invalid' };
        return {
          ok: true,
          claims: { keyId, scopes, issuedAt: payload.iat!, expiresAt: payload.exp! },
        };
      } catch (error) {
        if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
        // Bad signature, malformed, wrong alg, wrong iss/aud: one answer, no oracle.
        if (error instanceof errors.JOSEError) return { ok: false, reason: 'invalid' };
        throw error;
      }
    },
  };
}

/**
 * Setting under which a generated signing secret is persisted.
 * @example await store.getSetting(JWT_SECRET_SETTING) // the generated secret, once serve has run
 */
export const JWT_SECRET_SETTING = 'jwt_secret';

/**
 * The signing secret: `SIGNALS_JWT_SECRET` when set; otherwise one generated once and kept
 * in the store, so tokens survive restarts and every instance signs with the same key.
 * @example const secret = await resolveJwtSecret(config.jwtSecret, store);
 */
export async function resolveJwtSecret(configured: string | undefined, store: Store): Promise<Uint8Array> {
  const text =
    configured ?? (await store.putSettingIfAbsent(JWT_SECRET_SETTING, randomBytes(32).toString('base64url')));
  return new TextEncoder().encode(text);
}
