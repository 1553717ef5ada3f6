import { createHmac, createSecretKey, randomBytes, timingSafeEqual } from 'node:crypto';
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
/** The protected header of every token we issue, encoded once. */
const HEADER = Buffer.from(JSON.stringify({ alg: ALGORITHM, typ: 'JWT' })).toString('base64url');
/** Longer than any token we issue by far; longer input is rejected unparsed. */
const MAX_TOKEN_LENGTH = 4096;
/** An HMAC-SHA-256 tag in unpadded base64url: 32 bytes, 43 characters. */
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;
/** One unpadded base64url segment. */
const SEGMENT = /^[A-Za-z0-9_-]+$/;
const INVALID: VerifyResult = Object.freeze({ ok: false, reason: 'invalid' });
const EXPIRED: VerifyResult = Object.freeze({ ok: false, reason: 'expired' });

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
 * @example const result = tokens.verify(token); if (!result.ok && result.reason === 'expired') throw signals.error('ih2009');
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
  /** Synchronous: one HMAC on this thread, no promise (it runs for every WebSocket handshake). */
  verify(token: string): VerifyResult;
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
 * HS256 JWTs (RFC 7519): `sub` = key id, `scope` = space-separated scopes, `exp` = `iat` + 900 s,
 * our own `iss`/`aud`. Verification pins the algorithm, compares the signature in constant
 * time before reading any claim, and reads time from `now`.
 *
 * Verified with node:crypto on the calling thread rather than jose's WebCrypto path: that one
 * is a libuv threadpool job and a chain of promises per token, which on a WebSocket handshake
 * was most of the garbage the handshake left (bench scenario 4).
 * @example
 * const tokens = createTokenService({ secret, now: Date.now });
 * const { token } = await tokens.issue('key_abc', ['interhumanai.upload']);
 * tokens.verify(token); // { ok: true, claims: { keyId: 'key_abc', … } }
 */
export function createTokenService(options: TokenServiceOptions): TokenService {
  const { now } = options;
  // A KeyObject, made once: given raw bytes, createHmac first asks whether they are a KeyObject
  // or a CryptoKey, and each "no" is an error thrown and caught inside Node (garbage per token).
  const secret = createSecretKey(options.secret);
  const sign = (input: string) => createHmac('sha256', secret).update(input).digest('base64url');
  return {
    async issue(keyId, scopes) {
      const issuedAt = Math.floor(now() / 1000);
      const expiresAt = issuedAt + TOKEN_TTL_SECONDS;
      const payload = {
        scope: scopes.join(' '),
        sub: keyId,
        iss: TOKEN_ISSUER,
        aud: TOKEN_AUDIENCE,
        iat: issuedAt,
        exp: expiresAt,
      };
      const input = `${HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
      return {
        token: `${input}.${sign(input)}`,
        claims: { keyId, scopes: [...scopes], issuedAt, expiresAt },
      };
    },
    verify(token) {
      if (token.length > MAX_TOKEN_LENGTH) return INVALID;
      const first = token.indexOf('.');
      const second = token.indexOf('.', first + 1);
      if (first < 1 || second < first + 2 || token.indexOf('.', second + 1) !== -1) return INVALID;
      const header = token.slice(0, first);
      const body = token.slice(first + 1, second);
      const signature = token.slice(second + 1);
      if (!SIGNATURE.test(signature) || !SEGMENT.test(header) || !SEGMENT.test(body)) return INVALID;
      // The signature first: nothing the token says is believed before it holds.
      const expected = sign(token.slice(0, second));
      if (!timingSafeEqual(Buffer.from(signature, 'latin1'), Buffer.from(expected, 'latin1'))) return INVALID;
      if (header !== HEADER && !acceptedHeader(header)) return INVALID;
      const claims = parseSegment(body);
      if (!claims) return INVALID;
      return checkClaims(claims, Math.floor(now() / 1000));
    },
  };
}

/**
 * A header other than the one we write, signed with our key: still only `alg: HS256`, and no
 * `crit` (no extension is understood here, so none may be required, RFC 7515 §4.1.11).
 */
function acceptedHeader(segment: string): boolean {
  const header = parseSegment(segment);
  return header !== undefined && header['alg'] === ALGORITHM && !('crit' in header);
}

/** A base64url segment holding a JSON object, or undefined. */
function parseSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The claims of a correctly signed token at `now` (seconds), in jose's order: missing or
 * mistyped `sub`/`iat`/`exp`, another `iss` or `aud`, `nbf` still ahead → invalid; then `exp`
 * passed → expired; then an empty `sub` or unknown scopes → invalid.
 */
function checkClaims(claims: Record<string, unknown>, now: number): VerifyResult {
  const { sub, iat, exp, nbf, iss, aud, scope } = claims;
  if (typeof sub !== 'string' || typeof iat !== 'number' || typeof exp !== 'number') return INVALID;
  if (iss !== TOKEN_ISSUER) return INVALID;
  if (aud !== TOKEN_AUDIENCE && !(Array.isArray(aud) && aud.includes(TOKEN_AUDIENCE))) return INVALID;
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now)) return INVALID;
  if (exp <= now) return EXPIRED;
  if (sub === '' || typeof scope !== 'string') return INVALID;
  const scopes = scope.split(' ');
  if (!scopes.every(isScope)) return INVALID;
  return { ok: true, claims: { keyId: sub, scopes, issuedAt: iat, expiresAt: exp } };
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
