/**
 * A calendar window of a quota, `[start, end)` in ms since the epoch.
 * @example const { start, end }: CalendarWindow = utcDay(Date.now());
 */
export interface CalendarWindow {
  readonly start: number;
  readonly end: number;
}

/**
 * The UTC day containing `now`; `end` is the next UTC midnight (when a daily quota resets).
 * @example new Date(utcDay(Date.parse('2026-05-31T18:00:00Z')).end).toISOString() // '2026-06-01T00:00:00.000Z'
 */
export function utcDay(now: number): CalendarWindow {
  const d = new Date(now);
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return { start, end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) };
}

/**
 * The UTC calendar month containing `now` (a monthly billing period).
 * @example new Date(utcMonth(Date.parse('2026-12-31T23:00:00Z')).end).toISOString() // '2027-01-01T00:00:00.000Z'
 */
export function utcMonth(now: number): CalendarWindow {
  const d = new Date(now);
  return {
    start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1),
    end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1),
  };
}
