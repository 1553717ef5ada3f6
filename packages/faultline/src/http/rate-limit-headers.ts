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
 * One quota policy and its state, for `rateLimitFields` (draft-ietf-httpapi-ratelimit-headers-10).
 * @example const p: RateLimitPolicy = { name: 'rpm', quota: 60, windowSeconds: 60, remaining: 59, resetSeconds: 60 };
 */
export interface RateLimitPolicy {
  /** Policy name, sent as a Structured Fields string. */
  readonly name: string;
  /** `q`: quota units allowed. */
  readonly quota: number;
  /** `w`: window in seconds, when the policy has one. */
  readonly windowSeconds?: number;
  /** `qu`: quota unit, when not requests (e.g. `concurrent-requests`). */
  readonly unit?: string;
  /** `r`: units left. */
  readonly remaining: number;
  /** `t`: seconds until units come back, when known. */
  readonly resetSeconds?: number;
}

/**
 * `RateLimit-Policy` and `RateLimit` for any number of policies, as Structured Field lists:
 * `"rpm";q=60;w=60, "concurrency";q=2;qu="concurrent-requests"` and `"rpm";r=59;t=60, "concurrency";r=1`.
 * @example
 * rateLimitFields([{ name: 'rpm', quota: 60, windowSeconds: 60, remaining: 0, resetSeconds: 12 }])
 * // { 'ratelimit-policy': '"rpm";q=60;w=60', ratelimit: '"rpm";r=0;t=12' }
 */
export function rateLimitFields(policies: readonly RateLimitPolicy[]): Record<string, string> {
  // Plain concatenation: this runs on every limited response.
  let declared = '';
  let current = '';
  for (const p of policies) {
    const name = sfString(p.name);
    let item = `${name};q=${whole(p.quota)}`;
    if (p.windowSeconds !== undefined) item += `;w=${whole(p.windowSeconds)}`;
    if (p.unit !== undefined) item += `;qu=${sfString(p.unit)}`;
    let state = `${name};r=${whole(p.remaining)}`;
    if (p.resetSeconds !== undefined) state += `;t=${Math.max(0, Math.ceil(p.resetSeconds))}`;
    declared = declared === '' ? item : `${declared}, ${item}`;
    current = current === '' ? state : `${current}, ${state}`;
  }
  return { 'ratelimit-policy': declared, ratelimit: current };
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
  const remaining = whole(state.remaining);
  if (style === 'x') {
    return {
      'x-ratelimit-limit': String(state.limit),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': String(Math.ceil(now / 1000) + reset),
    };
  }
  return rateLimitFields([
    {
      name: state.policy ?? 'default',
      quota: state.limit,
      remaining,
      resetSeconds: reset,
      ...(state.windowSeconds === undefined ? {} : { windowSeconds: state.windowSeconds }),
    },
  ]);
}

function whole(value: number): number {
  return Math.max(0, Math.floor(value));
}

/** Policy names and units are few: their encoded forms are kept (bounded). */
const encoded = new Map<string, string>();

/** A Structured Fields sf-string: printable ASCII, with `"` and `\` escaped. */
function sfString(text: string): string {
  let out = encoded.get(text);
  if (out === undefined) {
    out = `"${text.replace(/[^\x20-\x7e]/g, '?').replace(/["\\]/g, '\\$&')}"`;
    if (encoded.size >= 256) encoded.clear();
    encoded.set(text, out);
  }
  return out;
}
