import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { structured } from '../../src/formats/index.ts';
import {
  correlationIdOf,
  createErrorResponder,
  readJson,
  withFaultline,
} from '../../src/server/fetch/index.ts';
import { testCatalog } from './catalog.ts';
import type { LogLine } from './harness.ts';
import { captureLogger } from './harness.ts';

const logs: LogLine[] = [];
const respond = createErrorResponder({
  catalog: testCatalog,
  format: structured,
  coverage: false,
  logger: captureLogger(logs),
});

const post = (body: BodyInit | null, headers: Record<string, string> = {}) =>
  new Request('http://x.test/w', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

async function idOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return respond(error, post(null))
      .json()
      .then((b) => b.error_id);
  }
  return 'no error';
}

describe('readJson', () => {
  it('reads JSON and +json bodies in UTF-8', async () => {
    expect(await readJson(post('{"a":1}', { 'content-type': 'application/json' }))).toEqual({ a: 1 });
    expect(
      await readJson(post('[1]', { 'content-type': 'application/merge-patch+json; charset=UTF-8' })),
    ).toEqual([1]);
  });

  it('refuses other media types and charsets', async () => {
    expect(await idOf(readJson(post('{}', { 'content-type': 'text/plain' })))).toBe('unsupported_media_type');
    expect(await idOf(readJson(post('{}', { 'content-type': 'application/json; charset=latin1' })))).toBe(
      'unsupported_media_type',
    );
    expect(await idOf(readJson(post('{}')))).toBe('unsupported_media_type');
  });

  it('stops reading a streamed body at the limit, without a Content-Length', async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(512).fill(0x20));
      },
    });
    const request = post(stream, { 'content-type': 'application/json' });
    expect(request.headers.get('content-length')).toBeNull();
    expect(await idOf(readJson(request, { limit: 2048 }))).toBe('payload_too_large');
    expect(pulled).toBeLessThan(10);
  });

  it('rejects a declared Content-Length over the limit before reading', async () => {
    const request = post('{}', { 'content-type': 'application/json', 'content-length': '999999' });
    expect(await idOf(readJson(request, { limit: 10 }))).toBe('payload_too_large');
  });

  it('answers empty, non-UTF-8 and malformed bodies with invalid_json', async () => {
    const type = { 'content-type': 'application/json' };
    expect(await idOf(readJson(post('  ', type)))).toBe('invalid_json');
    expect(await idOf(readJson(post(new Uint8Array([0x22, 0xff, 0xfe, 0x22]), type)))).toBe('invalid_json');
    expect(await idOf(readJson(post('{"a":', type)))).toBe('invalid_json');
  });
});

describe('createErrorResponder', () => {
  it('maps Hono HTTPExceptions by status and a bare SyntaxError to invalid_json', async () => {
    const request = post(null);
    expect((await respond(new HTTPException(413), request).json()).error_id).toBe('payload_too_large');
    expect((await respond(new HTTPException(401), request).json()).error_id).toBe('bad_request');
    expect((await respond(new SyntaxError('Unexpected end of JSON input'), request).json()).error_id).toBe(
      'invalid_json',
    );
  });

  it('reuses the id of the request, so header and body agree across calls', async () => {
    const request = post(null, { 'x-client-request-id': 'cli' });
    const id = correlationIdOf(request);
    const response = respond(new Error('nope'), request);
    expect(response.headers.get('x-correlation-id')).toBe(id);
    expect((await response.json()).correlation_id).toBe(id);
    expect(logs.at(-1)).toMatchObject({
      correlation_id: id,
      client_request_id: 'cli',
      error_id: 'internal_error',
    });
  });
});

describe('withFaultline', () => {
  it('stays synchronous for a synchronous handler, answering and throwing alike', () => {
    const ok = withFaultline(() => new Response('fine'), respond)(new Request('http://x.test/'));
    expect(ok).toBeInstanceOf(Response);
    expect((ok as Response).headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    const request = new Request('http://x.test/');
    const failed = withFaultline(() => {
      throw testCatalog.error('widget_missing', { id: 's' });
    }, respond)(request);
    expect(failed).toBeInstanceOf(Response);
    expect((failed as Response).status).toBe(404);
    expect((failed as Response).headers.get('x-correlation-id')).toBe(correlationIdOf(request));
  });

  it('sets the header on responses whose headers are immutable', async () => {
    const handler = withFaultline(async () => Response.redirect('http://x.test/elsewhere', 302), respond);
    const response = await handler(new Request('http://x.test/'));
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('http://x.test/elsewhere');
    expect(response.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a handler that returns no Response, and passes extra arguments through', async () => {
    const seen: unknown[] = [];
    const handler = withFaultline(
      (_request: Request, env: { name: string }) => {
        seen.push(env.name);
        return undefined as unknown as Response;
      },
      { catalog: testCatalog, format: structured, coverage: false, logger: captureLogger([]) },
    );
    const response = await handler(new Request('http://x.test/'), { name: 'env' });
    expect(seen).toEqual(['env']);
    expect(response.status).toBe(500);
    expect((await response.json()).correlation_id).toBe(response.headers.get('x-correlation-id'));
  });

  it('shares the id between a Hono handler, its onError and the response header', async () => {
    const app = new Hono();
    app.get('/id', (c) => c.json({ id: correlationIdOf(c.req.raw) }));
    app.get('/fail', () => {
      throw testCatalog.error('widget_missing', { id: 'h' });
    });
    app.onError((error, c) => respond(error, c.req.raw));
    const handler = withFaultline(app.fetch, respond);
    const ok = await handler(new Request('http://x.test/id'));
    expect((await ok.json()).id).toBe(ok.headers.get('x-correlation-id'));
    const failed = await handler(new Request('http://x.test/fail'));
    expect(failed.status).toBe(404);
    expect((await failed.json()).correlation_id).toBe(failed.headers.get('x-correlation-id'));
  });
});
