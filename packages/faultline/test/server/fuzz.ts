import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { structured } from '../../src/formats/index.ts';
import { BODY_LIMIT } from './catalog.ts';
import { type Answer, call, expectNoLeak } from './conformance.ts';
import type { Adapter, RunningApp } from './harness.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/);
/** Header values fetch can send: visible ASCII and inner spaces, no CR/LF. */
const headerValue = fc.stringMatching(/^[!-~]([ -~]{0,60}[!-~])?$/);

const paths = fc.oneof(
  fc.constantFrom(
    '/ok',
    '/widgets',
    '/widgets/7',
    '/slow',
    '/busy',
    '/boom',
    '/nope',
    '/widgets/%E0%A4%A',
    '/ok/',
  ),
  token.map((t) => `/${t}`),
  fc.tuple(token, token).map(([a, b]) => `/${a}/${b}?${b}=${a}`),
);

const contentTypes = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=latin1',
    'application/problem+json',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=xyz',
    'application/octet-stream',
  ),
  fc.tuple(token, token).map(([a, b]) => `${a}/${b}`),
);

const bodies = fc.oneof(
  fc.json(),
  fc.string({ maxLength: 200 }),
  fc
    .record({ name: fc.oneof(fc.string(), fc.integer(), fc.constant(null)), size: fc.anything() })
    .map((v) => JSON.stringify(v)),
  fc.uint8Array({ maxLength: 300 }),
  fc
    .integer({ min: BODY_LIMIT - 20, max: BODY_LIMIT * 3 })
    .map((n) => JSON.stringify({ name: 'x'.repeat(n) })),
);

const headers = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      'x-client-request-id',
      'accept',
      'accept-language',
      'content-encoding',
      'authorization',
      'cookie',
    ),
    token.map((t) => `x-${t}`),
  ),
  headerValue,
  { maxKeys: 4 },
);

const anyRequest = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
  path: paths,
  contentType: fc.option(contentTypes, { nil: undefined }),
  body: fc.option(bodies, { nil: undefined }),
  headers,
});

/** Most runs aim at the one route that reads a body, where the interesting faults live. */
const bodyRequest = fc.record({
  method: fc.constant('POST'),
  path: fc.constant('/widgets'),
  contentType: fc.option(contentTypes, { nil: undefined, freq: 8 }),
  body: fc.option(bodies, { nil: undefined, freq: 8 }),
  headers,
});

const requests = fc.oneof({ arbitrary: bodyRequest, weight: 3 }, { arbitrary: anyRequest, weight: 2 });

type FuzzRequest = typeof requests extends fc.Arbitrary<infer T> ? T : never;

function toInit(request: FuzzRequest): RequestInit {
  const init: Record<string, string> = { ...request.headers };
  if (request.contentType !== undefined) init['content-type'] = request.contentType;
  const withBody = request.method !== 'GET' && request.body !== undefined;
  return { method: request.method, headers: init, ...(withBody ? { body: request.body as BodyInit } : {}) };
}

/**
 * Random bodies, headers, content types and paths against the test app: whatever arrives, the
 * answer is never a 5xx other than the internal entry, never leaks internals, and always
 * carries a correlation id that an error body repeats.
 * @example runFuzz(fastifyAdapter)
 */
export function runFuzz(adapter: Adapter, numRuns = 200): void {
  describe(`${adapter.name} adapter fuzz`, () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await adapter.start({ format: structured });
    });
    afterAll(() => app.close());

    it(`keeps its invariants for ${numRuns} random requests`, async () => {
      await fc.assert(
        fc.asyncProperty(requests, async (request) => {
          const answer: Answer = await call(app.url, request.path, toInit(request));
          const id = answer.headers.get('x-correlation-id');
          expect(id, `${answer.status} ${answer.text}`).toMatch(UUID);
          expectNoLeak(answer.text);
          if (answer.status >= 500)
            expect(['internal_error', 'upstream_busy']).toContain(answer.body['error_id']);
          if (answer.status >= 400) {
            expect(answer.headers.get('content-type')).toBe('application/json');
            expect(answer.body['correlation_id'], answer.text).toBe(id);
            expect(typeof answer.body['error_id']).toBe('string');
          }
        }),
        { numRuns },
      );
    });
  });
}
