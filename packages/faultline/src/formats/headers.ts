import type { HeaderSource } from './types.ts';

/** Every header a built-in shape reads, by slot; request-id lists are runs of slots. */
const NAMES = [
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
  // 11: Azure's code; 12–14: Azure's request ids
  'x-ms-error-code',
  'x-ms-request-id',
  'x-ms-correlation-request-id',
  'apim-request-id',
  // 15: AWS's code; 16–18: AWS's request ids
  'x-amzn-errortype',
  'x-amzn-requestid',
  'x-amz-request-id',
  'x-amzn-request-id',
  // 19–21: GitHub
  'x-github-request-id',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
];

/** Slot by lower-case header name: one hash lookup (the names are interned) instead of a chain of comparisons. */
const SLOTS = new Map(NAMES.map((name, slot) => [name, slot]));

/** The slot of a lower-case header name; -1 for a header no shape reads. */
const slotOf = (name: string): number => SLOTS.get(name) ?? -1;

/**
 * Lengths of our names by first letter (bit n = some name of length n): a record key of
 * another spelling can only be one of ours if its first letter and length fit, so only those
 * few are lower-cased. Lower-casing never changes the length of a name that becomes ASCII.
 */
const LENGTHS: number[] = [];
for (const name of NAMES) {
  const first = name.charCodeAt(0);
  LENGTHS[first] = (LENGTHS[first] ?? 0) | (1 << name.length);
}

function mayBeOurs(key: string): boolean {
  return (((LENGTHS[key.charCodeAt(0) | 32] ?? 0) >>> key.length) & 1) === 1;
}

/** Header values by slot: a string, or undefined when absent. */
export type HeaderValues = (string | undefined)[];

/**
 * Every header a shape reads, in one pass: a Node-style record (any spelling: the first key
 * that matches wins, as a case-insensitive lookup finds it), a fetch `Headers` (iterated once:
 * cheaper than a dozen `get`s), or any other `get` (asked per name). A header source that
 * throws is treated as having no such header.
 */
export function headersOf(source: HeaderSource | undefined): HeaderValues {
  const values: HeaderValues = [];
  try {
    if (typeof source !== 'object' || source === null) return values;
    if (typeof (source as { get?: unknown }).get === 'function') {
      if (typeof Headers === 'function' && Object.getPrototypeOf(source) === Headers.prototype) {
        (source as Headers).forEach((value, name) => {
          const slot = slotOf(name);
          if (slot >= 0) values[slot] = value;
        });
      } else {
        for (let slot = 0; slot < NAMES.length; slot++) {
          try {
            const value: unknown = (source as { get(name: string): unknown }).get(NAMES[slot]!);
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
      let slot = slotOf(key);
      if (slot < 0 && mayBeOurs(key)) slot = slotOf(key.toLowerCase());
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
