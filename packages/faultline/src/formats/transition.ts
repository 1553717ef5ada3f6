import { legacy } from './legacy.ts';
import { structured } from './structured.ts';
import type { WireFormat } from './types.ts';

/** When the legacy shape goes away, and the clock that decides it. */
export interface TransitionOptions {
  /** Instant after which only the structured shape is sent (exclusive: at this ms, legacy is gone). */
  readonly legacyUntil: Date | number;
  /** When the legacy shape was deprecated, for the `Deprecation` header (RFC 9745); defaults to the Unix epoch. */
  readonly deprecatedSince?: Date | number;
  /** Link to the migration notes, sent as `Link: <…>; rel="deprecation"`. */
  readonly migrationGuide?: string;
  /** Injected clock in ms; tests move it, production uses `Date.now`. */
  readonly now?: () => number;
}

/**
 * Seed 000's migration: legacy fields first, then the structured ones, with `Deprecation`
 * and `Sunset` headers — until `legacyUntil`, after which it is exactly `structured`.
 * @example
 * const format = transition({ legacyUntil: new Date('2026-03-20T00:00:00Z'), now: clock });
 */
export function transition(options: TransitionOptions): WireFormat {
  const until = +options.legacyUntil;
  // A bad date (e.g. a mistyped SIGNALS_LEGACY_UNTIL) would keep the legacy shape forever and send
  // `Sunset: Invalid Date`; fail at startup instead.
  if (Number.isNaN(new Date(until).getTime()))
    throw new TypeError('faultline: transition() needs a valid legacyUntil date');
  const sunset = new Date(until).toUTCString();
  const since = +(options.deprecatedSince ?? 0);
  if (Number.isNaN(new Date(since).getTime()))
    throw new TypeError('faultline: transition() got an invalid deprecatedSince date');
  const deprecation = `@${Math.floor(since / 1000)}`;
  return {
    name: 'transition',
    contentType: structured.contentType,
    encode(error, context) {
      const current = structured.encode(error, context);
      if ((options.now ?? context.now ?? Date.now)() >= until) return current;
      const old = legacy.encode(error, context);
      const headers: Record<string, string> = { ...current.headers, deprecation, sunset };
      if (options.migrationGuide) headers['link'] = `<${options.migrationGuide}>; rel="deprecation"`;
      return { status: current.status, headers, body: { ...old.body, ...current.body } };
    },
    decode: (input) => structured.decode(input) ?? legacy.decode(input),
  };
}
