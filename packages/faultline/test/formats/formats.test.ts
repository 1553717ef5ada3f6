import { describe, expect, it } from 'vitest';
import {
  byStatus,
  defineCatalog,
  envelope,
  flat,
  flatFormat,
  nested,
  PROBLEM_TYPE,
  problem,
  spring,
  springFormat,
  structured,
  trace,
} from '../../src/index.ts';
import { CORRELATION_ID, clips, reels, signals } from './fixtures/catalogs.ts';

const context = { correlationId: CORRELATION_ID };

/** Entries whose fields are named like the members of every format. */
const clashing = defineCatalog({
  name: 'clashing',
  docsBase: 'https://docs.example.test/errors',
  entries: {
    e1: {
      title: 'Clash',
      status: 409,
      category: 'Test',
      message: 'Conflicting state.',
      fix: ['Retry with fresh data.'],
      fields: ['code', 'message', 'status', 'type', 'error', 'trace_id', 'request_id', 'httpStatus', 'hint'],
    },
  },
});
const clash = clashing.error('e1', {
  code: 'X',
  message: 'X',
  status: 'X',
  type: 'X',
  error: 'X',
  trace_id: 'X',
  request_id: 'X',
  httpStatus: 'X',
  hint: 'refresh first',
});

describe('extra fields never overwrite a format’s own members', () => {
  for (const format of [structured, envelope, trace, spring, flat, nested, problem]) {
    it(format.name, () => {
      const { body } = format.encode(clash, { ...context, docsBase: clashing.docsBase });
      const json = JSON.stringify(body);
      expect(json).toContain('refresh first');
      const decoded = format.decode({ status: 409, body, headers: { 'x-correlation-id': CORRELATION_ID } });
      expect(decoded?.status).toBe(409);
      if (format !== spring) expect(decoded?.message).toBe('Conflicting state.');
      // Formats with a code member keep ours; flat has none and reports a `code` field as one.
      if ([structured, envelope, nested, problem].includes(format)) expect(decoded?.code).toBe('e1');
    });
  }
});

describe('byStatus', () => {
  const clipsFormat = byStatus({ 403: spring, 429: spring }, trace, 'clips');

  it('encodes each status with its format', () => {
    expect(
      Object.keys(clipsFormat.encode(clips.error('forbidden'), { ...context, path: '/p' }).body),
    ).toEqual(['timestamp', 'status', 'error', 'path']);
    expect(Object.keys(clipsFormat.encode(clips.error('internal'), context).body)).toEqual([
      'message',
      'trace_id',
    ]);
    expect(clipsFormat.name).toBe('clips');
    expect(clipsFormat.contentType).toBe(trace.contentType);
  });

  it('decodes a body in the "wrong" shape for its status', () => {
    const traceBody = { message: 'm', trace_id: 't' };
    expect(clipsFormat.decode({ status: 403, body: traceBody })?.format).toBe('trace');
    const springBody = {
      timestamp: '2026-01-01T00:00:00.000+00:00',
      status: 502,
      error: 'Bad Gateway',
      path: '/',
    };
    expect(clipsFormat.decode({ status: 502, body: springBody })?.format).toBe('spring');
    expect(clipsFormat.decode({ status: 500, body: { nope: 1 } })).toBeUndefined();
  });

  it('announces a different content type in the headers', () => {
    const mixed = byStatus({ 429: problem }, trace);
    expect(mixed.encode(clips.error('too_many_requests'), context).headers['content-type']).toBe(
      PROBLEM_TYPE,
    );
    expect(mixed.encode(clips.error('internal'), context).headers).not.toHaveProperty('content-type');
  });
});

describe('flat', () => {
  it('picks seed 003’s body per status by default', () => {
    expect(flat.encode(reels.error('missing_url'), context).body).toEqual({
      message: reels.error('missing_url').message,
    });
    expect(flat.encode(reels.error('invalid_token'), context).body).toEqual({
      error: reels.error('invalid_token').message,
    });
    expect(flat.encode(reels.error('job_not_found'), context).body).toEqual({
      message: reels.error('job_not_found').message,
      status: 'error',
    });
  });

  it('takes a shape function, and sends the id as X-Correlation-ID', () => {
    const always = flatFormat({ shape: () => 'error' });
    const { headers, body } = always.encode(reels.error('missing_url'), context);
    expect(Object.keys(body)).toEqual(['error']);
    expect(headers['x-correlation-id']).toBe(CORRELATION_ID);
    expect(always.decode({ status: 400, headers, body })?.requestId).toBe(CORRELATION_ID);
  });
});

describe('spring', () => {
  const at = Date.parse('2026-03-13T07:58:46.156Z');

  it('writes the timestamp like Jackson and the path without its query', () => {
    const { body } = spring.encode(clips.error('forbidden'), {
      ...context,
      now: () => at,
      path: '/api/v2/clips?key=secret',
    });
    expect(body).toEqual({
      timestamp: '2026-03-13T07:58:46.156+00:00',
      status: 403,
      error: 'Forbidden',
      path: '/api/v2/clips',
    });
  });

  it('survives a broken clock and a missing path', () => {
    const { body } = spring.encode(clips.error('forbidden'), { ...context, now: () => Number.NaN });
    expect(body['timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
    expect(body['path']).toBe('');
  });

  it('can include the message, in Spring Boot’s order', () => {
    const verbose = springFormat({ includeMessage: true });
    const error = clips.error('too_many_requests');
    const { status, headers, body } = verbose.encode(error, { ...context, now: () => at, path: '/x' });
    expect(Object.keys(body)).toEqual(['timestamp', 'status', 'error', 'message', 'path']);
    expect(verbose.decode({ status, headers, body })).toMatchObject({
      message: error.message,
      requestId: CORRELATION_ID,
      retryAfterMs: 4000,
    });
  });

  it('reads Spring Boot 1’s epoch timestamp and WebFlux’s requestId', () => {
    const body = {
      timestamp: 1_700_000_000_000,
      status: 404,
      error: 'Not Found',
      path: '/x',
      requestId: 'ab12-3',
    };
    expect(spring.decode({ status: 404, body })).toMatchObject({ message: 'Not Found', requestId: 'ab12-3' });
  });
});

describe('problem', () => {
  it('encodes RFC 9457 members, the code extension and the fields', () => {
    const error = signals.error('ih3004', { reset_time: '2026-03-14T00:00:00Z' });
    const encoded = problem.encode(error, { ...context, docsBase: signals.docsBase });
    expect(problem.contentType).toBe('application/problem+json');
    expect(encoded.body).toEqual({
      type: 'https://docs.interhuman.ai/api-reference/error-handling#ih3004-daily-quota-exceeded',
      title: 'Daily Quota Exceeded',
      status: 429,
      detail: error.message,
      instance: `urn:uuid:${CORRELATION_ID}`,
      code: 'ih3004',
      reset_time: '2026-03-14T00:00:00Z',
    });
    expect(encoded.headers['retry-after']).toBe('3600');
    expect(
      problem.decode({ ...encoded, headers: { ...encoded.headers, 'content-type': PROBLEM_TYPE } }),
    ).toMatchObject({
      code: 'ih3004',
      requestId: CORRELATION_ID,
      link: encoded.body['type'],
      retryAfterMs: 3_600_000,
      fields: { title: 'Daily Quota Exceeded', reset_time: '2026-03-14T00:00:00Z' },
    });
  });

  it('without its content type, needs a title or detail and a type or status', () => {
    expect(problem.decode({ status: 400, body: { detail: 'x' } })).toBeUndefined();
    expect(problem.decode({ status: 400, body: { status: 400 } })).toBeUndefined();
    expect(problem.decode({ status: 400, body: { detail: 'x', status: 400 } })?.message).toBe('x');
  });
});

describe('envelope and trace keep extras out of the way', () => {
  it('envelope puts fields inside error, after httpStatus', () => {
    const { body } = envelope.encode(clash, context);
    expect(Object.keys(body)).toEqual(['error', 'status', 'status_code']);
    expect(Object.keys(body['error'] as object)).toEqual([
      'code',
      'message',
      'httpStatus',
      'status',
      'type',
      'error',
      'trace_id',
      'request_id',
      'hint',
    ]);
  });

  it('trace appends fields after trace_id', () => {
    const { body } = trace.encode(clash, context);
    expect(Object.keys(body).slice(0, 2)).toEqual(['message', 'trace_id']);
    expect(body['trace_id']).toBe(CORRELATION_ID);
  });
});
