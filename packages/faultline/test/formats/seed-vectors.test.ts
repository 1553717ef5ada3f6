import { describe, expect, it } from 'vitest';
import {
  type ApiError,
  byStatus,
  decodeError,
  envelope,
  flat,
  fromRequestId,
  nested,
  parseBody,
  spring,
  structured,
  toRequestId,
  trace,
  transition,
  type WireFormat,
} from '../../src/index.ts';
import { agents, CORRELATION_ID, clips, reels, signals, stories } from './fixtures/catalogs.ts';
import { SEED_VECTORS, type SeedVector } from './fixtures/seed-vectors.ts';

const LEGACY_UNTIL = Date.parse('2026-03-20T00:00:00Z');
const clipsFormat = byStatus({ 403: spring, 429: spring }, trace);

/** Key order, keys and types of a JSON value: what "the same shape" means. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shapeOf);
  if (value !== null && typeof value === 'object')
    return Object.entries(value).map(([key, inner]) => [key, shapeOf(inner)]);
  return value === null ? 'null' : typeof value;
}

/** The seed body with its messages, ids and placeholder codes replaced by ours; key order kept. */
function substitute(value: unknown, replacements: ReadonlyMap<unknown, unknown>): unknown {
  if (replacements.has(value)) return replacements.get(value);
  if (Array.isArray(value)) return value.map((item) => substitute(item, replacements));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, substitute(inner, replacements)]),
    );
  return value;
}

function vector(name: string): SeedVector {
  const found = SEED_VECTORS.find((v) => v.name === name);
  if (!found) throw new Error(`no vector "${name}"`);
  return found;
}

interface Reproduction {
  readonly vector: string;
  readonly label: string;
  readonly format: WireFormat;
  readonly error: ApiError;
  /** The id our encoding puts where the seed has its own. */
  readonly wireId?: string;
  /** The seed's placeholder code, standing for our catalog id. */
  readonly placeholderCode?: string;
  readonly now?: number;
  readonly path?: string;
  readonly docsBase?: string | undefined;
}

const REPRODUCTIONS: readonly Reproduction[] = [
  {
    vector: 'transition body (legacy + structured)',
    label: 'transition, 1 ms before legacyUntil',
    format: transition({ legacyUntil: LEGACY_UNTIL }),
    error: signals.error('ih2005'),
    docsBase: signals.docsBase,
    wireId: CORRELATION_ID,
    now: LEGACY_UNTIL - 1,
  },
  {
    vector: 'structured body',
    label: 'transition, at legacyUntil',
    format: transition({ legacyUntil: LEGACY_UNTIL }),
    error: signals.error('ih2005'),
    docsBase: signals.docsBase,
    wireId: CORRELATION_ID,
    now: LEGACY_UNTIL,
  },
  {
    vector: 'structured body',
    label: 'structured',
    format: structured,
    error: signals.error('ih2005'),
    docsBase: signals.docsBase,
    wireId: CORRELATION_ID,
  },
  {
    vector: 'envelope',
    label: 'envelope',
    format: envelope,
    error: agents.error('MISSING_AUTH'),
    placeholderCode: 'ERROR_CODE',
  },
  {
    vector: '400 trace body',
    label: 'byStatus(spring for 403/429, trace)',
    format: clipsFormat,
    error: clips.error('bad_request', { reason: 'the video URL is not reachable' }),
    wireId: CORRELATION_ID,
  },
  {
    vector: '500 trace body',
    label: 'byStatus(spring for 403/429, trace)',
    format: clipsFormat,
    error: clips.error('internal'),
    wireId: CORRELATION_ID,
  },
  {
    vector: '403 spring body',
    label: 'byStatus(spring for 403/429, trace)',
    format: clipsFormat,
    error: clips.error('forbidden'),
    now: Date.parse('2026-03-13T07:58:46.156+00:00'),
    path: '/api/v2/clips',
  },
  {
    vector: '429 spring body',
    label: 'byStatus(spring for 403/429, trace)',
    format: clipsFormat,
    error: clips.error('too_many_requests'),
    now: Date.parse('2026-03-10T15:52:01.610+00:00'),
    path: '/api/v2/clips/results/prjxxx',
  },
  { vector: 'generic {error}', label: 'flat', format: flat, error: reels.error('invalid_token') },
  { vector: 'generic {message, status}', label: 'flat', format: flat, error: reels.error('job_not_found') },
  {
    vector: '400 invalid URL',
    label: 'flat',
    format: flat,
    error: reels.error('invalid_url', { host: 'tiktok.com' }),
  },
  { vector: '400 missing URL', label: 'flat', format: flat, error: reels.error('missing_url') },
  { vector: '401 invalid token', label: 'flat', format: flat, error: reels.error('invalid_token') },
  { vector: '401 missing token', label: 'flat', format: flat, error: reels.error('missing_token') },
  { vector: '404 job not found', label: 'flat', format: flat, error: reels.error('job_not_found') },
  {
    vector: 'nested error',
    label: 'nested',
    format: nested,
    error: stories.error('not_found'),
    wireId: toRequestId(CORRELATION_ID),
    placeholderCode: 'string',
  },
];

describe('seed vectors: decoding', () => {
  for (const v of SEED_VECTORS) {
    it(`${v.seed} ${v.name}: ${v.decoded ? `${v.decoded.format}, code ${v.decoded.code}` : 'not an error'}`, () => {
      const parsed = JSON.parse(v.text);
      const fromJson = decodeError({ status: v.status, headers: v.headers, body: parsed });
      const fromText = decodeError({ status: v.status, headers: v.headers, body: v.text });
      if (v.decoded === undefined) {
        expect(fromJson).toBeUndefined();
        expect(fromText).toBeUndefined();
        return;
      }
      const { fields, ...main } = v.decoded;
      expect(fromJson).toMatchObject(main);
      expect(fromJson?.fields).toEqual(fields ?? {});
      // Raw text (as a client reads it off the socket) decodes to the same thing.
      expect(fromText).toEqual(fromJson);
      expect(fromText?.fields).toEqual(fromJson?.fields);
      expect(parseBody(v.text, 'application/json')).toEqual(parsed);
    });
  }

  it('seed 000 as printed is not JSON: the vector adds the one missing comma', () => {
    const v = vector('transition body (legacy + structured)');
    expect(() => JSON.parse(v.printed!)).toThrow(SyntaxError);
    expect(v.text.replace('API key.",\n', 'API key."\n')).toBe(v.printed);
  });

  it('seed 004: the decoded request id is the req_… id as sent', () => {
    const decoded = decodeError({ status: 404, body: vector('nested error').text });
    expect(decoded?.requestId).toBe('req_01hq...');
    // Not one of ours: there is no correlation id behind it.
    expect(fromRequestId('req_01hq...')).toBeUndefined();
  });
});

describe('seed vectors: encoding reproduces the seed shape', () => {
  for (const r of REPRODUCTIONS) {
    it(`${vector(r.vector).seed} ${r.vector} ← ${r.label} (${r.error.id})`, () => {
      const v = vector(r.vector);
      const seedBody: unknown = JSON.parse(v.text);
      const encoded = r.format.encode(r.error, {
        correlationId: CORRELATION_ID,
        docsBase: r.docsBase,
        path: r.path,
        now: r.now === undefined ? undefined : () => r.now!,
      });
      // Spring's body has no message (its `error` is the reason phrase), so nothing of ours to put in.
      const lossy = v.decoded!.format === 'spring';
      const replacements = new Map<unknown, unknown>(lossy ? [] : [[v.decoded!.message, r.error.message]]);
      if (r.wireId !== undefined && v.decoded!.requestId !== undefined)
        replacements.set(v.decoded!.requestId, r.wireId);
      if (r.placeholderCode !== undefined) replacements.set(r.placeholderCode, r.error.id);
      const expected = substitute(seedBody, replacements);

      expect(encoded.status).toBe(v.status);
      expect(shapeOf(encoded.body)).toEqual(shapeOf(seedBody));
      // Same keys in the same order with the same values, once messages and ids are ours.
      expect(JSON.stringify(encoded.body)).toBe(JSON.stringify(expected));
      // Our catalog says it in its own words.
      expect(r.error.message).not.toBe(v.decoded!.message);

      const back = decodeError({
        status: encoded.status,
        headers: encoded.headers,
        body: JSON.stringify(encoded.body),
      });
      expect(back?.format).toBe(v.decoded!.format);
      expect(back?.message).toBe(lossy ? v.decoded!.message : r.error.message);
      expect(back?.status).toBe(r.error.status);
      expect(back?.code).toBe(v.decoded!.code === undefined ? undefined : r.error.id);
    });
  }

  it('every seed error body has a reproduction', () => {
    const reproduced = new Set(REPRODUCTIONS.map((r) => r.vector));
    const decodeOnly = ['200 success body', 'failed job resource'];
    for (const v of SEED_VECTORS) if (!decodeOnly.includes(v.name)) expect(reproduced).toContain(v.name);
  });
});

describe('seed 001: envelope', () => {
  it('HTTP status, status_code and error.httpStatus are one number; the id is X-Request-Id', () => {
    for (const error of [agents.error('MISSING_AUTH'), agents.error('RATE_LIMITED')]) {
      const { status, headers, body } = envelope.encode(error, { correlationId: CORRELATION_ID });
      const inner = body['error'] as Record<string, unknown>;
      expect([body['status_code'], inner['httpStatus']]).toEqual([status, status]);
      expect(inner['code']).toBe(error.id);
      expect(headers['x-request-id']).toBe(CORRELATION_ID);
      expect(JSON.stringify(body)).not.toContain(CORRELATION_ID);
    }
  });

  it('a 429 carries Retry-After in seconds', () => {
    const { headers } = envelope.encode(agents.error('RATE_LIMITED'), { correlationId: CORRELATION_ID });
    expect(headers['retry-after']).toBe('2');
  });
});

describe('seed 004: nested extras', () => {
  it('request_id is req_ + the correlation id without dashes, and maps back', () => {
    const id = toRequestId(CORRELATION_ID);
    expect(id).toBe(`req_${CORRELATION_ID.replaceAll('-', '')}`);
    expect(id).toMatch(/^req_[0-9a-f]{32}$/);
    expect(fromRequestId(id)).toBe(CORRELATION_ID);
  });

  it('insufficient_minutes adds its fields after request_id', () => {
    const error = stories.error('insufficient_minutes', {
      minutes_remaining: 0,
      minutes_required: 3,
      upgrade_url: 'https://example.test/billing',
    });
    const { status, body } = nested.encode(error, { correlationId: CORRELATION_ID });
    expect(status).toBe(402);
    expect(Object.keys(body['error'] as object)).toEqual([
      'code',
      'message',
      'request_id',
      'minutes_remaining',
      'minutes_required',
      'upgrade_url',
    ]);
    const decoded = decodeError({ status, body });
    expect(decoded?.fields).toEqual({
      minutes_remaining: 0,
      minutes_required: 3,
      upgrade_url: 'https://example.test/billing',
    });
  });

  it('rate_limit_exceeded sends retry_after and the Retry-After header; either gives the delay', () => {
    const error = stories.error('rate_limit_exceeded', { retry_after: 12 });
    const { status, headers, body } = nested.encode(error, { correlationId: CORRELATION_ID });
    expect(headers['retry-after']).toBe('12');
    expect((body['error'] as Record<string, unknown>)['retry_after']).toBe(12);
    expect(decodeError({ status, headers, body })?.retryAfterMs).toBe(12_000);
    // A proxy that drops the header still leaves the body field.
    expect(decodeError({ status, body })?.retryAfterMs).toBe(12_000);
  });

  it('invalid_request carries its details array', () => {
    const details = [{ field: 'brief.title', issue: 'required' }];
    const { body } = nested.encode(stories.error('invalid_request', { details }), {
      correlationId: CORRELATION_ID,
    });
    expect(decodeError({ status: 400, body })?.fields).toEqual({ details });
  });
});
