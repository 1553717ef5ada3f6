import { describe, expect, it } from 'vitest';
import { decodeError, legacy, structured, transition } from '../../src/index.ts';
import { CORRELATION_ID, signals } from './fixtures/catalogs.ts';

const LEGACY_UNTIL = Date.parse('2026-03-20T00:00:00Z');
const DEPRECATED_SINCE = Date.parse('2026-01-15T00:00:00Z');
const GUIDE = 'https://docs.example.test/migrate-errors';

function encodeAt(now: number, withGuide = false) {
  const format = transition({
    legacyUntil: new Date(LEGACY_UNTIL),
    deprecatedSince: DEPRECATED_SINCE,
    ...(withGuide ? { migrationGuide: GUIDE } : {}),
    now: () => now,
  });
  return format.encode(signals.error('ih2005'), {
    correlationId: CORRELATION_ID,
    docsBase: signals.docsBase,
  });
}

const structuredOnly = structured.encode(signals.error('ih2005'), {
  correlationId: CORRELATION_ID,
  docsBase: signals.docsBase,
});

describe('transition (seed 000)', () => {
  it('1 ms before legacyUntil: legacy fields, then structured ones, with Deprecation and Sunset', () => {
    const { status, headers, body } = encodeAt(LEGACY_UNTIL - 1);
    expect(status).toBe(400);
    expect(Object.keys(body)).toEqual([
      'detail',
      'status_code',
      'extra',
      'error_id',
      'correlation_id',
      'link',
      'message',
    ]);
    expect(body).toMatchObject({ detail: body['message'], status_code: 400, extra: {}, error_id: 'ih2005' });
    // RFC 9745: a Structured Field date (@ + unix seconds); RFC 8594: an HTTP-date.
    expect(headers['deprecation']).toBe(`@${DEPRECATED_SINCE / 1000}`);
    expect(headers['sunset']).toBe('Fri, 20 Mar 2026 00:00:00 GMT');
    expect(headers['link']).toBeUndefined();
  });

  it('links the migration guide while the legacy shape is still sent', () => {
    expect(encodeAt(LEGACY_UNTIL - 1, true).headers['link']).toBe(`<${GUIDE}>; rel="deprecation"`);
    expect(encodeAt(LEGACY_UNTIL + 1, true).headers['link']).toBeUndefined();
  });

  for (const [label, at] of [
    ['exactly at legacyUntil', LEGACY_UNTIL],
    ['1 ms after legacyUntil', LEGACY_UNTIL + 1],
  ] as const) {
    it(`${label}: the structured shape only, without Deprecation or Sunset`, () => {
      const encoded = encodeAt(at, true);
      expect(encoded).toEqual(structuredOnly);
      expect(Object.keys(encoded.body)).toEqual(['error_id', 'correlation_id', 'link', 'message']);
      expect(encoded.headers).not.toHaveProperty('deprecation');
      expect(encoded.headers).not.toHaveProperty('sunset');
    });
  }

  it('uses the encode context clock when the options have none', () => {
    const format = transition({ legacyUntil: LEGACY_UNTIL });
    const error = signals.error('ih2005');
    const before = format.encode(error, { correlationId: CORRELATION_ID, now: () => LEGACY_UNTIL - 1 });
    const after = format.encode(error, { correlationId: CORRELATION_ID, now: () => LEGACY_UNTIL });
    expect(before.body).toHaveProperty('detail');
    expect(after.body).not.toHaveProperty('detail');
  });

  it('keeps extra fields in both shapes during the transition, and decodes them once', () => {
    const error = signals.error('ih3004', { reset_time: '2026-03-14T00:00:00Z' });
    const format = transition({ legacyUntil: LEGACY_UNTIL, now: () => LEGACY_UNTIL - 1 });
    const { status, headers, body } = format.encode(error, { correlationId: CORRELATION_ID });
    expect(body['extra']).toEqual({ reset_time: '2026-03-14T00:00:00Z' });
    expect(body['reset_time']).toBe('2026-03-14T00:00:00Z');
    expect(headers['retry-after']).toBe('3600');
    const decoded = decodeError({ status, headers, body });
    expect(decoded).toMatchObject({ format: 'structured', code: 'ih3004', retryAfterMs: 3_600_000 });
    expect(decoded?.fields).toEqual({ reset_time: '2026-03-14T00:00:00Z' });
  });

  it('decodes either shape: an old server still answering with the legacy body alone', () => {
    const format = transition({ legacyUntil: LEGACY_UNTIL });
    const old = legacy.encode(signals.error('ih2005'), { correlationId: CORRELATION_ID });
    expect(format.decode({ status: old.status, headers: old.headers, body: old.body })).toMatchObject({
      format: 'legacy',
      status: 400,
      code: undefined,
      message: signals.error('ih2005').message,
      requestId: CORRELATION_ID,
    });
  });

  it('refuses an invalid date at configuration time instead of never ending the transition', () => {
    expect(() => transition({ legacyUntil: new Date('not a date') })).toThrow(TypeError);
    expect(() => transition({ legacyUntil: LEGACY_UNTIL, deprecatedSince: Number.NaN })).toThrow(TypeError);
  });
});
