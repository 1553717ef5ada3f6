import type { FastifyPluginAsync, FastifyRequest, onRequestHookHandler } from 'fastify';
import { checkCredentials } from '../auth/credentials.ts';
import { isScope } from '../auth/scopes.ts';
import { TOKEN_TTL_SECONDS, type TokenService } from '../auth/tokens.ts';
import { signals } from '../catalog.ts';
import type { Store } from '../db/store.ts';

/**
 * Options of the `POST /v0/auth` route plugin.
 * @example await app.register(authRoutes, { store, tokens } satisfies AuthRouteOptions);
 */
export interface AuthRouteOptions {
  readonly store: Store;
  readonly tokens: TokenService;
  /** Per-client-IP rate limit (ih3001), run before the body is parsed or a secret checked. */
  readonly limitIp?: onRequestHookHandler;
  /** `SIGNALS_KEY_PEPPER`; undefined = the pepper kept in the store. */
  readonly keyPepper?: string | undefined;
}

/** An auth body is a few hundred bytes; anything past this is not a login. */
const AUTH_BODY_LIMIT = 16 * 1024;
/** Longest piece of client input echoed back in a message. */
const MAX_ECHO = 100;

/**
 * `POST /v0/auth`: key credentials and scopes in, a 15-minute bearer token out.
 *
 * Checks run in the documented order, cheapest and least revealing first:
 * JSON (ih4006) → scopes present (ih2003) → non-empty (ih2002) → all known (ih2001) →
 * key_id (ih2004) → key_secret (ih2005) → credentials (ih2006) → scopes allowed (ih2007).
 *
 * Our decisions where the seed is silent: a field that is `null` or an empty string counts
 * as absent (ih2003/ih2004/ih2005); a field of the wrong type (scopes not an array, key_id
 * or key_secret not a string) and a JSON body that is not an object answer ih4005 naming it;
 * a non-string inside `scopes` is an unknown scope (ih2001); repeated scopes count once.
 * @example await app.register(authRoutes, { store, tokens });
 */
export const authRoutes: FastifyPluginAsync<AuthRouteOptions> = async (
  app,
  { store, tokens, limitIp, keyPepper },
) => {
  // Before parsing and before any hash: a flood of guesses costs the server almost nothing.
  const onRequest = limitIp ? { onRequest: limitIp } : {};
  app.post('/v0/auth', { bodyLimit: AUTH_BODY_LIMIT, ...onRequest }, async (request, reply) => {
    const body = readJsonObject(request);

    const scopes = body['scopes'];
    if (scopes === undefined || scopes === null) throw signals.error('ih2003');
    if (!Array.isArray(scopes))
      throw signals.error('ih4005', { name: 'scopes', reason: 'it must be an array of scope names' });
    if (scopes.length === 0) throw signals.error('ih2002');
    const unknown = scopes.find((scope) => !isScope(scope));
    if (unknown !== undefined) throw signals.error('ih2001', { scope: echo(unknown) });
    const requested = [...new Set(scopes as string[])];

    const keyId = requiredString(body, 'key_id', 'ih2004');
    const keySecret = requiredString(body, 'key_secret', 'ih2005');

    const key = await checkCredentials(store, keyId, keySecret, { pepper: keyPepper });
    if (!key) throw signals.error('ih2006');
    const denied = requested.find((scope) => !key.scopes.includes(scope));
    if (denied !== undefined) throw signals.error('ih2007', { scope: denied });

    const { token } = await tokens.issue(key.id, requested);
    // RFC 6749 §5.1: token responses must not be cached.
    reply.header('cache-control', 'no-store');
    return {
      access_token: token,
      token_type: 'Bearer',
      expires_in: TOKEN_TTL_SECONDS,
      scope: requested.join(' '),
    };
  });
};

/** The body as an object: ih4006 unless it arrived as JSON, ih4005 unless it is an object. */
function readJsonObject(request: FastifyRequest): Record<string, unknown> {
  const type = request.headers['content-type'] ?? '';
  // Only Fastify's JSON parser produces a parsed body; text/plain would arrive as a string.
  if (request.body === undefined || !/^application\/json\s*(;|$)/i.test(type)) throw signals.error('ih4006');
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw signals.error('ih4005', { name: 'body', reason: 'it must be a JSON object' });
  return body as Record<string, unknown>;
}

function requiredString(
  body: Record<string, unknown>,
  name: 'key_id' | 'key_secret',
  missing: 'ih2004' | 'ih2005',
) {
  const value = body[name];
  if (value === undefined || value === null || value === '') throw signals.error(missing);
  if (typeof value !== 'string') throw signals.error('ih4005', { name, reason: 'it must be a string' });
  return value;
}

/** Client input quoted in a message: short, single line, JSON for non-strings. */
function echo(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const line = text.replace(/\p{Cc}/gu, ' ');
  return line.length > MAX_ECHO ? `${line.slice(0, MAX_ECHO)}…` : line;
}
