import { describe, expect, it } from 'vitest';
import { ecosystems } from '../../src/decoders/ecosystems.ts';
import { CORE_HEADERS, headersOf, NAMES, slotOf } from '../../src/formats/headers.ts';

// The slots are found by a perfect hash of the names: a name added to a list must not share a
// bucket with another, or one of the two would silently never be read.
describe.each([
  ['core', CORE_HEADERS],
  ['with the ecosystem names', ecosystems.headers],
])('header slots, %s', (_label, table) => {
  it('finds every name in its own slot, in any spelling', () => {
    expect(table.names.slice(0, NAMES.length)).toEqual(NAMES);
    table.names.forEach((name, slot) => {
      expect(slotOf(name, table)).toBe(slot);
      expect(slotOf(name.toUpperCase(), table)).toBe(slot);
    });
  });

  it('finds no slot for other headers, short or long', () => {
    for (const name of ['date', 'server', 'connection', 'content-length', 'x-powered-by', 'x-request', 'get'])
      expect(slotOf(name, table)).toBe(-1);
  });

  it('reads a record and a fetch Headers alike', () => {
    const record = {
      'Content-Type': 'application/json',
      'X-Request-Id': 'r1',
      'X-Ms-Request-Id': 'm',
      date: 'now',
    };
    expect(headersOf(record, table)).toEqual(headersOf(new Headers(record), table));
    expect(headersOf(record, table)[slotOf('x-request-id', table)]).toBe('r1');
  });
});

it('the core table reads no ecosystem header', () => {
  for (const name of ecosystems.headers.names.slice(NAMES.length)) expect(slotOf(name)).toBe(-1);
});
