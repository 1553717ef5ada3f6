import { describe, expect, it } from 'vitest';
import { headersOf, NAMES, slotOf } from '../../src/formats/headers.ts';

// The slots are found by a perfect hash of the names: a name added to the list must not share a
// bucket with another, or one of the two would silently never be read.
describe('header slots', () => {
  it('finds every name in its own slot, in any spelling', () => {
    NAMES.forEach((name, slot) => {
      expect(slotOf(name)).toBe(slot);
      expect(slotOf(name.toUpperCase())).toBe(slot);
    });
  });

  it('finds no slot for other headers, short or long', () => {
    for (const name of ['date', 'server', 'connection', 'content-length', 'x-powered-by', 'x-request', 'get'])
      expect(slotOf(name)).toBe(-1);
  });

  it('reads a record and a fetch Headers alike', () => {
    const record = { 'Content-Type': 'application/json', 'X-Request-Id': 'r1', date: 'now' };
    expect(headersOf(record)).toEqual(headersOf(new Headers(record)));
    expect(headersOf(record)[slotOf('x-request-id')]).toBe('r1');
  });
});
