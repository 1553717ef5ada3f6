/**
 * `Retry-After` as the server writes it (whole seconds, rounded up so a client never
 * comes back early) and as a client reads it (seconds or an HTTP-date).
 * @example formatRetryAfter(1.2) // '2'
 */
export function formatRetryAfter(seconds: number): string {
  return String(Math.max(0, Math.ceil(seconds)));
}

/**
 * Milliseconds to wait, from a `Retry-After` value; undefined when absent or unreadable.
 * @example parseRetryAfter('120') // 120000
 * @example parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:27:00 GMT')) // 60000
 */
export function parseRetryAfter(value: string | null | undefined, now?: number): number | undefined {
  // No default parameter: `Date.now()` would run on every call, and most calls have no header at all.
  if (value == null) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // HTTP-date: IMF-fixdate and the obsolete forms Date.parse understands; a bare number with a sign or dot is not one.
  if (!/[A-Za-z]/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - (now ?? Date.now()));
}

/**
 * Milliseconds from a `retry-after-ms` / `x-ms-retry-after-ms` header (OpenAI, Azure): a
 * non-negative decimal number of milliseconds, rounded up. Undefined when absent or junk.
 * @example parseRetryAfterMs('1500.5') // 1501
 */
export function parseRetryAfterMs(value: string | null | undefined): number | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!/^\d{1,15}(\.\d{1,9})?$/.test(text)) return undefined;
  return Math.ceil(Number(text));
}

/**
 * Milliseconds until a limit resets, from an IETF `RateLimit` header (draft-10 structured
 * field `"policy";r=0;t=12`, or the older `limit=…, remaining=…, reset=12`). Only a policy
 * with nothing remaining counts: a reset time of a limit that still has room is no reason to wait.
 * @example parseRateLimitReset('"default";r=0;t=12') // 12000
 */
export function parseRateLimitReset(value: string | null | undefined): number | undefined {
  if (typeof value !== 'string' || value.length > 4096) return undefined;
  let wait: number | undefined;
  for (const item of value.split(',')) {
    const r = /(?:^|;)\s*r\s*=\s*(\d+)/.exec(item)?.[1];
    const t = /(?:^|;)\s*t\s*=\s*(\d+)/.exec(item)?.[1];
    if (r !== undefined && t !== undefined && Number(r) === 0) wait = Math.max(wait ?? 0, Number(t) * 1000);
  }
  if (wait !== undefined) return wait;
  // Draft-03 style: `RateLimit: limit=100, remaining=0, reset=12` in one header.
  const remaining = /\bremaining\s*=\s*(\d+)/.exec(value)?.[1];
  const reset = /\breset\s*=\s*(\d+)/.exec(value)?.[1];
  return remaining !== undefined && Number(remaining) === 0 && reset !== undefined
    ? Number(reset) * 1000
    : undefined;
}

/**
 * A server's explicit retry verdict: `x-should-retry` (OpenAI and other Stainless-built APIs)
 * or `Stripe-Should-Retry`, `true` / `false`; undefined when absent or anything else.
 * @example parseShouldRetry('false') // false
 */
export function parseShouldRetry(value: string | null | undefined): boolean | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toLowerCase();
  return text === 'true' ? true : text === 'false' ? false : undefined;
}
