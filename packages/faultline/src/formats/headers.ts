import type { HeaderSource } from './types.ts';

/**
 * Every header the core shapes and the retry policy read, by slot; request-id lists are runs of
 * slots. The ecosystem decoders (`faultline/decoders`) append their own names after these.
 */
export const NAMES = [
  'content-type',
  'retry-after',
  'retry-after-ms',
  'x-ms-retry-after-ms',
  'x-should-retry',
  'stripe-should-retry',
  'ratelimit',
  // 7–10: the usual request ids (ours, seed 001's, Stripe's, the common trace one)
  'x-correlation-id',
  'x-request-id',
  'request-id',
  'x-trace-id',
];

/**
 * A perfect hash of every name read (length and two letters, case-folded) into 64 buckets: a
 * header is matched with one string comparison, where a Map lookup per header cost as much as a
 * sixth of parsing a small body. Perfect over the ecosystem names too, so over any of the lists.
 */
const hashOf = (name: string): number =>
  (name.length * 25 + (name.charCodeAt(0) | 32) + (name.charCodeAt(name.length - 5) | 32)) & 63;

/** The names one decoder reads, with their buckets. */
export interface HeaderTable {
  readonly names: readonly string[];
  readonly buckets: readonly number[];
}

/** The table of `names`, slot = index. */
export function headerTable(names: readonly string[]): HeaderTable {
  // Packed (no holes, every bucket a small integer): the lookup stays on V8's fast path.
  const buckets: number[] = new Array(64).fill(-1);
  names.forEach((name, slot) => {
    buckets[hashOf(name)] = slot;
  });
  return { names, buckets };
}

/** What `decodeError` reads. */
export const CORE_HEADERS: HeaderTable = /* @__PURE__ */ headerTable(NAMES);

/** The slot of a header name in any case; -1 for a header the table does not read. */
export function slotOf(name: string, table: HeaderTable = CORE_HEADERS): number {
  // Every name is 9 to 27 characters long (no out-of-range reads: they deoptimise).
  if (name.length < 9) return -1;
  const slot = table.buckets[hashOf(name)]!;
  if (slot < 0) return -1;
  const ours = table.names[slot]!;
  // Another spelling is lower-cased only when its bucket and length say it may be ours.
  return ours === name || (ours.length === name.length && ours === name.toLowerCase()) ? slot : -1;
}

/** Header values by slot: a string, or undefined when absent. */
export type HeaderValues = (string | undefined)[];

/**
 * Every header of `table` (the core's by default), in one pass: a Node-style record (any spelling: the first key
 * that matches wins, as a case-insensitive lookup finds it), a fetch `Headers` (iterated once:
 * cheaper than a dozen `get`s), or any other `get` (asked per name). A header source that
 * throws is treated as having no such header.
 */
export function headersOf(source: HeaderSource | undefined, table: HeaderTable = CORE_HEADERS): HeaderValues {
  const names = table.names;
  // Sized once: growing an empty array as slots fill cost more than the lookups.
  const values: HeaderValues = new Array(names.length);
  try {
    if (typeof source !== 'object' || source === null) return values;
    if (typeof (source as { get?: unknown }).get === 'function') {
      if (typeof Headers === 'function' && Object.getPrototypeOf(source) === Headers.prototype) {
        // for…of, not forEach: undici's forEach costs half as much again per header.
        for (const [name, value] of source as Headers) {
          const slot = slotOf(name, table);
          if (slot >= 0) values[slot] = value;
        }
      } else {
        for (let slot = 0; slot < names.length; slot++) {
          try {
            const value: unknown = (source as { get(name: string): unknown }).get(names[slot]!);
            if (typeof value === 'string') values[slot] = value;
          } catch {
            // This name is absent; the others may still be read.
          }
        }
      }
      return values;
    }
    const record = source as Readonly<Record<string, unknown>>;
    let seen = 0;
    for (const key in record) {
      const slot = slotOf(key, table);
      if (slot < 0 || (seen >>> slot) & 1) continue;
      seen |= 1 << slot;
      const value = record[key];
      if (typeof value === 'string') values[slot] = value;
      else if (Array.isArray(value)) {
        if (value.length) values[slot] = String(value[0]);
      } else if (value != null) values[slot] = String(value);
    }
  } catch {
    // Header objects that throw: what was read so far stands.
  }
  return values;
}

/** The first non-blank value of slots `from` to `to` (inclusive), trimmed. */
export function idOf(h: HeaderValues, from: number, to: number): string | undefined {
  for (let slot = from; slot <= to; slot++) {
    const value = h[slot]?.trim();
    if (value) return value;
  }
  return undefined;
}
