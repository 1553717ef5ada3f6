import { describe, expect, it } from 'vitest';
import {
  decodeError,
  envelope,
  flat,
  legacy,
  nested,
  problem,
  spring,
  structured,
  trace,
  type WireFormat,
} from '../../src/index.ts';
import { agents, CORRELATION_ID } from './fixtures/catalogs.ts';

const FORMATS: readonly WireFormat[] = [structured, legacy, envelope, trace, spring, flat, nested, problem];
const context = { correlationId: CORRELATION_ID };

describe('Retry-After is written as whole seconds', () => {
  for (const format of FORMATS) {
    it(`${format.name}: the catalog delay, and an override rounded up`, () => {
      expect(format.encode(agents.error('RATE_LIMITED'), context).headers['retry-after']).toBe('2');
      const override = agents.error('RATE_LIMITED', {}, { retryAfterSeconds: 1.2 });
      // Rounded up: a client that waits 1 s after being told 1.2 s would come back too early.
      expect(format.encode(override, context).headers['retry-after']).toBe('2');
      expect(format.encode(agents.error('MISSING_AUTH'), context).headers).not.toHaveProperty('retry-after');
    });
  }
});

describe('Retry-After is read as seconds or an HTTP-date', () => {
  const body = {
    error: { code: 'RATE_LIMITED', message: 'slow down', httpStatus: 429 },
    status: 'error',
    status_code: 429,
  };
  const now = Date.parse('Wed, 21 Oct 2015 07:27:00 GMT');
  const decode = (headers: Record<string, string | string[]> | Headers, at?: number) =>
    decodeError({ status: 429, headers, body, now: at })?.retryAfterMs;

  it('delta-seconds', () => {
    expect(decode({ 'Retry-After': '120' })).toBe(120_000);
    expect(decode({ 'retry-after': '0' })).toBe(0);
  });

  it('HTTP-date, against the injected clock', () => {
    expect(decode({ 'Retry-After': 'Wed, 21 Oct 2015 07:28:00 GMT' }, now)).toBe(60_000);
    // A date already past means "now", not a negative delay.
    expect(decode({ 'Retry-After': 'Wed, 21 Oct 2015 07:00:00 GMT' }, now)).toBe(0);
  });

  it('from fetch Headers and from Node-style repeated headers', () => {
    expect(decode(new Headers({ 'Retry-After': '7' }))).toBe(7000);
    expect(decode({ 'retry-after': ['9', '30'] })).toBe(9000);
  });

  it('ignores values that are neither', () => {
    for (const value of ['-5', '1.5', 'soon', '', '9'.repeat(400)])
      expect(decode({ 'Retry-After': value })).toBeUndefined();
  });
});
