/** State of a limit, as a guard reports it. */
export interface RateLimitState {
  /** Requests allowed per window. */
  readonly limit: number;
  /** Requests left in the current window. */
  readonly remaining: number;
  /** Seconds until the window resets. */
  readonly resetSeconds: number;
  /** Window length in seconds, for the policy header. */
  readonly windowSeconds?: number;
  /** Name of the policy (IETF RateLimit headers). */
  readonly policy?: string;
}

/**
 * RateLimit headers in the IETF httpapi style (`RateLimit-Policy`, `RateLimit`) and the
 * widespread `X-RateLimit-*` style (reset as unix seconds), chosen by `style`.
 * @example rateLimitHeaders({ limit: 60, remaining: 0, resetSeconds: 12, windowSeconds: 60 })
 */
export function rateLimitHeaders(
  state: RateLimitState,
  style: 'ietf' | 'x' = 'ietf',
  now: number = Date.now(),
): Record<string, string> {
  const reset = Math.max(0, Math.ceil(state.resetSeconds));
  const remaining = Math.max(0, Math.floor(state.remaining));
  if (style === 'x') {
    return {
      'x-ratelimit-limit': String(state.limit),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': String(Math.ceil(now / 1000) + reset),
    };
  }
  const name = state.policy ?? 'default';
  const window = state.windowSeconds === undefined ? '' : `;w=${state.windowSeconds}`;
  return {
    'ratelimit-policy': `"${name}";q=${state.limit}${window}`,
    ratelimit: `"${name}";r=${remaining};t=${reset}`,
  };
}
