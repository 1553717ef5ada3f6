import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legacy, structured, transition } from '../../src/formats/index.ts';
import { frameworkCatalog } from '../../src/server/fetch/index.ts';
import { fileRecorder, readProduced } from '../../src/testing/index.ts';
import { BODY_LIMIT, overridingCatalog, SECRET, SECRET_CAUSE, testCatalog } from './catalog.ts';
import type { Adapter, LogLine, RunningApp } from './harness.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SUNSET = Date.parse('2030-03-20T00:00:00Z');

/** A response, read whole: status, headers and the parsed body (text when not JSON). */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: Record<string, unknown>;
}

/** Sends one request over the socket and reads the whole answer. */
export async function call(base: string, path: string, init?: RequestInit): Promise<Answer> {
  const response = await fetch(base + path, init);
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, headers: response.headers, text, body };
}

const json = (body: string, type = 'application/json'): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': type },
  body,
});

/** Asserts what every error answer shares, and returns its correlation id. */
export function expectError(answer: Answer, status: number, errorId: string): string {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers.get('content-type')).toBe('application/json');
  expect(answer.body['error_id']).toBe(errorId);
  const id = answer.headers.get('x-correlation-id');
  expect(id).toMatch(UUID);
  expect(answer.body['correlation_id']).toBe(id);
  return id!;
}

/** Text that must never reach a client: stack frames, file paths, the bug's own words. */
export function expectNoLeak(text: string): void {
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain(SECRET_CAUSE);
  expect(text).not.toMatch(/\bat .+[(:]\d+|node_modules|file:\/\/|\/work\/|\.ts\b|stack/i);
}

const linesWith = (logs: LogLine[], id: string) => logs.filter((line) => line['correlation_id'] === id);

/**
 * The behaviour every server adapter must show over a real socket, whatever the framework.
 * @example runConformance(fastifyAdapter)
 */
export function runConformance(adapter: Adapter): void {
  describe(`${adapter.name} adapter conformance`, () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await adapter.start({ format: structured });
    });
    afterAll(() => app.close());

    it('renders a thrown ApiError in the format, with status, link and content type', async () => {
      const answer = await call(app.url, '/widgets/42');
      expectError(answer, 404, 'widget_missing');
      expect(answer.body).toEqual({
        error_id: 'widget_missing',
        correlation_id: answer.headers.get('x-correlation-id'),
        link: 'https://docs.test/errors#widget_missing-widget-missing',
        message: 'Widget 42 does not exist.',
      });
    });

    it('sends a fresh X-Correlation-ID on successes too, readable by the handler', async () => {
      const first = await call(app.url, '/ok');
      const second = await call(app.url, '/ok');
      expect(first.status).toBe(200);
      expect(first.headers.get('x-correlation-id')).toMatch(UUID);
      expect(first.body['correlation_id']).toBe(first.headers.get('x-correlation-id'));
      expect(second.headers.get('x-correlation-id')).not.toBe(first.headers.get('x-correlation-id'));
    });

    it('logs X-Client-Request-Id beside the correlation id and never echoes it', async () => {
      const clientId = 'client-7f3a-echo-check';
      const answer = await call(app.url, '/boom', { headers: { 'x-client-request-id': clientId } });
      const id = expectError(answer, 500, 'internal_error');
      for (const [, value] of answer.headers) expect(value).not.toContain(clientId);
      expect(answer.text).not.toContain(clientId);
      expect(linesWith(app.logs, id).some((line) => line['client_request_id'] === clientId)).toBe(true);
      const ok = await call(app.url, '/ok', { headers: { 'x-client-request-id': clientId } });
      for (const [, value] of ok.headers) expect(value).not.toContain(clientId);
    });

    it('sends Retry-After and the error headers for retryable errors', async () => {
      const slow = await call(app.url, '/slow');
      expectError(slow, 429, 'slow_down');
      expect(slow.headers.get('retry-after')).toBe('7');
      expect(slow.headers.get('ratelimit')).toBe('"default";r=0;t=7');
      expect(slow.headers.get('ratelimit-policy')).toBe('"default";q=10;w=60');
      expect(slow.body['reset_time']).toBe('2030-01-01T00:00:00Z');
      const busy = await call(app.url, '/busy');
      expectError(busy, 503, 'upstream_busy');
      expect(busy.headers.get('retry-after')).toBe('3');
      expectNoLeak(busy.text);
      const widget = await call(app.url, '/widgets/1');
      expect(widget.headers.get('retry-after')).toBeNull();
    });

    it('answers malformed JSON with invalid_json', async () => {
      expectError(await call(app.url, '/widgets', json('{"name": "a",')), 400, 'invalid_json');
      expectError(await call(app.url, '/widgets', json('')), 400, 'invalid_json');
    });

    it('answers a body in another media type with unsupported_media_type', async () => {
      expectError(
        await call(app.url, '/widgets', json('<name>a</name>', 'application/xml')),
        415,
        'unsupported_media_type',
      );
    });

    it('answers a body over the limit with payload_too_large', async () => {
      const body = JSON.stringify({ name: 'x'.repeat(BODY_LIMIT * 2) });
      expectError(await call(app.url, '/widgets', json(body)), 413, 'payload_too_large');
    });

    it('accepts a valid body', async () => {
      const answer = await call(app.url, '/widgets', json('{"name":"gear","size":3}'));
      expect(answer.status).toBe(201);
      expect(answer.body).toEqual({ created: { name: 'gear', size: 3 } });
      expect(answer.headers.get('x-correlation-id')).toMatch(UUID);
    });

    it('answers an unknown route with not_found', async () => {
      const answer = await call(app.url, '/no/such/route?x=1');
      expectError(answer, 404, 'not_found');
      expect(answer.body['link']).toBe('https://docs.test/errors#not_found-route-not-found');
    });

    it.runIf(adapter.methodNotAllowed)(
      'answers a known path with the wrong method with method_not_allowed',
      async () => {
        const answer = await call(app.url, '/ok', { method: 'DELETE' });
        expectError(answer, 405, 'method_not_allowed');
        expect(answer.body['message']).toBe('This path does not accept DELETE requests.');
        expect(answer.headers.get('allow')?.split(', ')).toContain('GET');
      },
    );

    it('names the failing field of a schema violation', async () => {
      const missing = await call(app.url, '/widgets', json('{"size":1}'));
      expectError(missing, 400, 'validation_failed');
      expect(missing.body['message']).toBe('The field `name` is missing or has an invalid value.');
      const wrongType = await call(app.url, '/widgets', json('{"name":"gear","size":"big"}'));
      expectError(wrongType, 400, 'validation_failed');
      expect(wrongType.body['message']).toContain('`size`');
    });

    it('answers an unknown error with internal_error: nothing internal sent, the cause logged', async () => {
      const answer = await call(app.url, '/boom');
      const id = expectError(answer, 500, 'internal_error');
      expect(answer.headers.get('retry-after')).toBe('1');
      expectNoLeak(answer.text);
      const logged = linesWith(app.logs, id).filter((line) => JSON.stringify(line).includes(SECRET));
      expect(logged.length).toBeGreaterThan(0);
      expect(JSON.stringify(logged)).toMatch(/"stack":"Error: db password/);
      expect([50, 'error']).toContain(logged[0]!['level']);
    });

    it('answers a thrown non-Error with internal_error too', async () => {
      const answer = await call(app.url, '/throw-string');
      expectError(answer, 500, 'internal_error');
      expect(answer.text).not.toContain('a thrown string');
    });

    it('logs the cause of a thrown 5xx ApiError under its correlation id', async () => {
      const id = expectError(await call(app.url, '/busy'), 503, 'upstream_busy');
      expect(JSON.stringify(linesWith(app.logs, id))).toContain(SECRET_CAUSE);
    });

    describe('transition format and its sunset', () => {
      let clock = SUNSET - 60_000;
      let old: RunningApp;
      beforeAll(async () => {
        old = await adapter.start({
          format: transition({ legacyUntil: SUNSET, deprecatedSince: SUNSET - 86_400_000 * 90 }),
          now: () => clock,
        });
      });
      afterAll(() => old.close());

      it('sends legacy and structured fields, with Deprecation and Sunset, before the sunset', async () => {
        clock = SUNSET - 1;
        for (const path of ['/widgets/9', '/slow', '/no/such/route']) {
          const answer = await call(old.url, path);
          expect(answer.body['status_code']).toBe(answer.status);
          expect(answer.body['detail']).toBe(answer.body['message']);
          expect(answer.body['correlation_id']).toBe(answer.headers.get('x-correlation-id'));
          expect(answer.headers.get('sunset')).toBe(new Date(SUNSET).toUTCString());
          expect(answer.headers.get('deprecation')).toMatch(/^@\d+$/);
        }
        const slow = await call(old.url, '/slow');
        expect(slow.body['extra']).toEqual({ reset_time: '2030-01-01T00:00:00Z' });
      });

      it('sends exactly the structured shape from the sunset on', async () => {
        clock = SUNSET;
        const answer = await call(old.url, '/widgets/9');
        expectError(answer, 404, 'widget_missing');
        expect(Object.keys(answer.body).sort()).toEqual(['correlation_id', 'error_id', 'link', 'message']);
        expect(answer.headers.get('sunset')).toBeNull();
        expect(answer.headers.get('deprecation')).toBeNull();
      });
    });

    it('keeps the HTTP status equal to the body status in the legacy format', async () => {
      const old = await adapter.start({ format: legacy });
      try {
        for (const path of ['/widgets/1', '/slow', '/boom', '/no/such/route']) {
          const answer = await call(old.url, path);
          expect(answer.body['status_code']).toBe(answer.status);
          expect(answer.headers.get('x-correlation-id')).toMatch(UUID);
        }
      } finally {
        await old.close();
      }
    });

    it('prefers the app catalog entry with a built-in id, and applies fault overrides', async () => {
      const own = await adapter.start({
        format: structured,
        catalog: overridingCatalog,
        faults: { invalidJson: () => testCatalog.error('widget_missing', { id: 'json' }) },
      });
      try {
        const missing = await call(own.url, '/nowhere');
        expectError(missing, 404, 'not_found');
        expect(missing.body['message']).toBe('Nothing lives at this address.');
        expect(missing.body['link']).toBe('https://docs.test/own#not_found-no-such-endpoint');
        const overridden = await call(own.url, '/widgets', json('{oops'));
        expectError(overridden, 404, 'widget_missing');
        expect(overridden.body['message']).toBe('Widget json does not exist.');
      } finally {
        await own.close();
      }
    });

    it('reports every sent error id, with its catalog, once per process to the coverage file', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'faultline-coverage-')), 'ids.jsonl');
      const covered = await adapter.start({ format: structured, coverage: fileRecorder(file) });
      try {
        await call(covered.url, '/widgets/1');
        await call(covered.url, '/widgets/2');
        await call(covered.url, '/slow');
        await call(covered.url, '/nope');
        await call(covered.url, '/ok');
      } finally {
        await covered.close();
      }
      expect(readProduced(file)).toEqual(
        new Map([
          [testCatalog.name, new Set(['widget_missing', 'slow_down'])],
          [frameworkCatalog.name, new Set(['not_found'])],
        ]),
      );
      expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(3);
    });
  });
}
