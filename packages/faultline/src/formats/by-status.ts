import { guard } from './common.ts';
import type { WireFormat } from './types.ts';

/**
 * One format per HTTP status, another for the rest: APIs whose body shape depends on the
 * status, like seed 002 (Spring's body for 403/429, `{message, trace_id}` otherwise).
 * When the chosen format's content type differs from the fallback's (the one announced as
 * `contentType`), the encoded headers carry its own `content-type`.
 * Decoding tries the status's format, then the fallback, then the other mapped formats: a
 * proxy or a framework default may answer a status with the "wrong" shape.
 * @example
 * const clips = byStatus({ 403: spring, 429: spring }, trace);
 */
export function byStatus(
  map: Readonly<Record<number, WireFormat>>,
  fallback: WireFormat,
  name = 'byStatus',
): WireFormat {
  const table = new Map<number, WireFormat>();
  for (const key of Object.keys(map)) table.set(Number(key), map[Number(key)]!);
  const others = [...new Set(table.values())].filter((format) => format !== fallback);
  return {
    name,
    contentType: fallback.contentType,
    encode(error, context) {
      const format = table.get(error.status) ?? fallback;
      const encoded = format.encode(error, context);
      if (format.contentType === fallback.contentType) return encoded;
      return { ...encoded, headers: { ...encoded.headers, 'content-type': format.contentType } };
    },
    decode: guard((input) => {
      const first = table.get(input.status);
      const order = first ? [first, fallback, ...others.filter((f) => f !== first)] : [fallback, ...others];
      for (const format of order) {
        const decoded = format.decode(input);
        if (decoded) return decoded;
      }
      return undefined;
    }),
  };
}
