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
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // HTTP-date: IMF-fixdate and the obsolete forms Date.parse understands; a bare number with a sign or dot is not one.
  if (!/[A-Za-z]/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
