import { messageJson } from './compile.ts';
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
  const encode: WireFormat['encode'] = (error, context) => {
    const current = structured.encode(error, context);
    if ((options.now ?? context.now ?? Date.now)() >= until) return current;
    const old = legacy.encode(error, context);
    const headers: Record<string, string> = { ...current.headers, deprecation, sunset };
    if (options.migrationGuide) headers['link'] = `<${options.migrationGuide}>; rel="deprecation"`;
    return { status: current.status, headers, body: { ...old.body, ...current.body } };
  };
  return {
    name: 'transition',
    contentType: structured.contentType,
    encode,
    compile(entry, context) {
      if (this.encode !== encode) return undefined;
      // The clock is read per request: the shape changes at the sunset, not at the next deploy.
      const current = structured.compile?.(entry, context);
      if (current === undefined) return undefined;
      const clock = options.now ?? context.now ?? Date.now;
      const message = JSON.stringify(entry.message);
      // Without declared fields, `extra` is always the empty object.
      const hasFields = entry.fields.length > 0;
      const extra: Record<string, string> = { deprecation, sunset };
      if (options.migrationGuide) extra['link'] = `<${options.migrationGuide}>; rel="deprecation"`;
      let shared: { readonly base: object; readonly headers: Readonly<Record<string, string>> } | undefined;
      return (error, correlationId) => {
        const now = clock();
        const answer = current(error, correlationId);
        if (answer === undefined || now >= until) return answer;
        // Structured hands back one shared header set per entry; ours is derived from it once.
        if (shared?.base !== answer.headers)
          shared = { base: answer.headers, headers: Object.freeze({ ...answer.headers, ...extra }) };
        const fields = hasFields ? JSON.stringify(error.fields) : '{}';
        const old = `{"detail":${messageJson(error, entry, message)},"status_code":${JSON.stringify(error.status)},"extra":${fields},`;
        return { status: answer.status, headers: shared.headers, body: old + answer.body.slice(1) };
      };
    },
    decode: (input) => structured.decode(input) ?? legacy.decode(input),
  };
}
