import type {
  FastifyInstance,
  FastifyRequest,
  onRequestAsyncHookHandler,
  preHandlerAsyncHookHandler,
} from 'fastify';
import { signals } from '../catalog.ts';
import type { Store } from '../db/store.ts';
import type { TokenClaims, TokenService } from './tokens.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified token of the request, set by `authenticate`; null on public routes. */
    auth: TokenClaims | null;
  }
}

/**
 * A hook usable as `onRequest` (before the body is read) or as `preHandler`.
 * @example app.post('/v0/upload/analyze', { onRequest: authenticate('interhumanai.upload') }, handler);
 */
export type AuthHook = onRequestAsyncHookHandler & preHandlerAsyncHookHandler;

/**
 * Makes a hook that lets a request through only with a valid token carrying `scope`.
 * Pass `{ upgrade: true }` on a WebSocket route: only there may the token travel in
 * `Sec-WebSocket-Protocol`.
 * @example const authenticate: Authenticate = createAuthenticate({ tokens, store });
 */
export type Authenticate = (scope: string, options?: TokenSource) => AuthHook;

/**
 * Where a route accepts its token from.
 * @example authenticate('interhumanai.stream', { upgrade: true } satisfies TokenSource)
 */
export interface TokenSource {
  /**
   * The route is a WebSocket upgrade: the subprotocol pair `access_token, <token>` is read
   * too (browsers cannot set headers on a handshake), and only on requests that really ask
   * for `Upgrade: websocket`. Everywhere else that header is ignored.
   */
  readonly upgrade?: boolean;
}

/**
 * What `createAuthenticate` needs.
 * @example createAuthenticate({ tokens: createTokenService({ secret, now }), store });
 */
export interface AuthenticateOptions {
  readonly tokens: TokenService;
  /** Consulted so a revoked key's tokens stop working at once, not 15 minutes later. */
  readonly store: Store;
}

/**
 * Builds the `authenticate(scope)` hook factory. Errors, in order: no token → ih2008,
 * expired → ih2009, anything else wrong with it (signature, shape, alg, issuer, revoked
 * key) → ih2010, valid but without `scope` → ih2011. Use it as `onRequest` where the body
 * is large, so an unauthenticated upload is refused before it is read.
 * @example
 * const authenticate = createAuthenticate({ tokens, store });
 * app.post('/v0/upload/analyze', { onRequest: authenticate('interhumanai.upload') }, handler);
 */
export function createAuthenticate(options: AuthenticateOptions): Authenticate {
  const { tokens, store } = options;
  return (scope, source = {}) =>
    async function authenticate(request: FastifyRequest): Promise<void> {
      const token = tokenFromRequest(request, {
        upgrade: source.upgrade === true && isWebSocketUpgrade(request),
      });
      if (token === undefined) throw signals.error('ih2008');
      const result = await tokens.verify(token);
      if (!result.ok) throw signals.error(result.reason === 'expired' ? 'ih2009' : 'ih2010');
      const key = await store.getKey(result.claims.keyId);
      if (!key || key.revokedAt !== undefined) throw signals.error('ih2010');
      if (!result.claims.scopes.includes(scope)) throw signals.error('ih2011', { scope });
      request.auth = result.claims;
    };
}

/**
 * Adds the `request.auth` slot up front (Fastify keeps request objects one shape).
 * @example decorateAuth(app);
 */
export function decorateAuth(app: FastifyInstance): void {
  if (!app.hasRequestDecorator('auth')) app.decorateRequest('auth', null);
}

/**
 * Whether a request asks to become a WebSocket (`Upgrade: websocket`).
 * @example isWebSocketUpgrade({ headers: { upgrade: 'websocket' } }) // true
 */
export function isWebSocketUpgrade(request: Pick<FastifyRequest, 'headers'>): boolean {
  const upgrade = request.headers.upgrade;
  return (
    typeof upgrade === 'string' &&
    upgrade.split(',').some((item) => item.trim().toLowerCase() === 'websocket')
  );
}

/**
 * The access token of a request: `Authorization: Bearer <token>`, or — only when the caller
 * says this is a WebSocket handshake (`upgrade: true`) — the subprotocol pair
 * `access_token, <token>`. A plain POST carrying that header has no token from it.
 * Undefined when neither carries one.
 * @example tokenFromRequest({ headers: { authorization: 'Bearer eyJ…' } }) // 'eyJ…'
 * @example tokenFromRequest({ headers: { 'sec-websocket-protocol': 'access_token, eyJ…' } }, { upgrade: true }) // 'eyJ…'
 */
export function tokenFromRequest(
  request: Pick<FastifyRequest, 'headers'>,
  source: TokenSource = {},
): string | undefined {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer(?:[ \t]+(.*))?$/i.exec(authorization.trim());
    const token = match?.[1]?.trim();
    if (token) return token;
  }
  const protocols = request.headers['sec-websocket-protocol'];
  if (source.upgrade === true && typeof protocols === 'string') {
    const list = protocols.split(',').map((item) => item.trim());
    const at = list.indexOf('access_token');
    const token = at === -1 ? undefined : list[at + 1];
    if (token) return token;
  }
  return undefined;
}
