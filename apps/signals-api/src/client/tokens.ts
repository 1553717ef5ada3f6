/**
 * What `POST /v0/auth` answers.
 * @example const grant: TokenGrant = { access_token: 'eyJ…', token_type: 'Bearer', expires_in: 900, scope: 'interhumanai.upload' };
 */
export interface TokenGrant {
  readonly access_token: string;
  readonly token_type: string;
  readonly expires_in: number;
  readonly scope: string;
}

/**
 * Options of `TokenCache`.
 * @example new TokenCache({ fetchToken: () => auth(), now: () => clock } satisfies TokenCacheOptions)
 */
export interface TokenCacheOptions {
  /** Gets a new token (a `POST /v0/auth`). */
  readonly fetchToken: () => Promise<TokenGrant>;
  /** Injected clock, ms. */
  readonly now?: () => number;
  /**
   * How long before `expires_in` runs out a new token is fetched (default: a tenth of the
   * lifetime, at most 60 s): requests never leave with a token about to die in flight.
   */
  readonly refreshBeforeMs?: number;
}

/**
 * One cached bearer token, renewed before it expires. Inside the refresh window the current
 * token is still handed out while one renewal runs in the background; once expired, callers
 * wait for that one renewal (concurrent callers share it: a single `POST /v0/auth`).
 * @example
 * const tokens = new TokenCache({ fetchToken: () => api.json('/v0/auth', { method: 'POST', body }) });
 * const bearer = await tokens.get();
 */
export class TokenCache {
  readonly #fetchToken: () => Promise<TokenGrant>;
  readonly #now: () => number;
  readonly #refreshBeforeMs: number | undefined;
  #token: { value: string; refreshAt: number; expiresAt: number } | undefined;
  #pending: Promise<string> | undefined;

  constructor(options: TokenCacheOptions) {
    this.#fetchToken = options.fetchToken;
    this.#now = options.now ?? Date.now;
    this.#refreshBeforeMs = options.refreshBeforeMs;
  }

  /** A valid token: the cached one, or a fresh one when it is missing or expired. */
  async get(): Promise<string> {
    const now = this.#now();
    const token = this.#token;
    if (token && now < token.expiresAt) {
      if (now >= token.refreshAt) this.#renew().catch(() => undefined);
      return token.value;
    }
    return this.#renew();
  }

  /** Forgets the token (after a 401): the next `get` fetches a new one. */
  invalidate(): void {
    this.#token = undefined;
  }

  #renew(): Promise<string> {
    this.#pending ??= this.#fetchToken()
      .then((grant) => {
        const lifetime = Math.max(0, grant.expires_in) * 1000;
        const margin = this.#refreshBeforeMs ?? Math.min(60_000, lifetime / 10);
        const issued = this.#now();
        this.#token = {
          value: grant.access_token,
          refreshAt: issued + lifetime - margin,
          expiresAt: issued + lifetime,
        };
        return grant.access_token;
      })
      .finally(() => {
        this.#pending = undefined;
      });
    return this.#pending;
  }
}
