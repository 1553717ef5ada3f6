import { describe, expect, it } from 'vitest';
import { call, type Justified, redoclyLint, until, useExample } from '../../test-support/server.ts';

/** Redocly warnings this document may carry (rule, location): none. */
const JUSTIFIED: readonly Justified[] = [];

const server = useExample('stories-api', {
  API_KEY: 'sk_main:60,sk_poor:2,sk_unbilled:none,sk_posts:60,sk_gets:60,sk_fail:60',
  JOB_SECONDS: '2.5',
});

type Res = Awaited<ReturnType<typeof call>>;
const auth = (key: string) => ({ authorization: `Bearer ${key}` });
const post = (key: string, json: unknown) =>
  call(server.url, '/api/v1/stories', { method: 'POST', headers: auth(key), json });
const get = (key: string, path: string) => call(server.url, path, { headers: auth(key) });

/** The documented nested shape: only `error`, holding code, message, request_id and the extras. */
function expectNested(res: Res, status: number, code: string, extras: string[] = []) {
  expect(res.status).toBe(status);
  const body = res.body as { error: Record<string, unknown> };
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'request_id', ...extras].sort());
  expect(body.error['code']).toBe(code);
  expect(body.error['request_id']).toMatch(/^req_[0-9a-f]{32}$/);
  return body.error;
}

const settled = (key: string, id: string) =>
  until(async () => {
    const res = await get(key, `/api/v1/stories/${id}`);
    const status = res.body as { status?: string } | { error: unknown } as { status?: string };
    return status.status === 'generating' ? undefined : res;
  });

describe('stories-api, documented errors over a real socket', () => {
  it('serves a docs page and an OpenAPI document that Redocly lints with 0 errors, no unjustified warning', async () => {
    expect((await call(server.url, '/docs/errors')).text).toContain('insufficient_minutes');
    const lint = await redoclyLint((await call(server.url, '/openapi.json')).body, JUSTIFIED);
    expect(lint).toEqual({ errors: [], warnings: [] });
  });

  it('missing_api_key and invalid_api_key (401)', async () => {
    expectNested(await call(server.url, '/api/v1/usage'), 401, 'missing_api_key');
    expectNested(
      await call(server.url, '/api/v1/usage', { headers: { authorization: 'sk_main' } }),
      401,
      'missing_api_key',
    );
    expectNested(await get('sk_nobody', '/api/v1/usage'), 401, 'invalid_api_key');
  });

  it('invalid_request (400) with details naming every field', async () => {
    const error = expectNested(
      await post('sk_main', { duration_minutes: 'two', colour: 'red' }),
      400,
      'invalid_request',
      ['details'],
    );
    expect((error['details'] as { field: string }[]).map((d) => d.field)).toEqual([
      'prompt',
      'duration_minutes',
      'colour',
    ]);
    const broken = await call(server.url, '/api/v1/stories', {
      method: 'POST',
      headers: { ...auth('sk_main'), 'content-type': 'application/json' },
      body: '{"prompt":',
    });
    expect(expectNested(broken, 400, 'invalid_request', ['details'])['details']).toEqual([
      { field: 'body', issue: 'is not valid JSON' },
    ]);
  });

  it('invalid_id (400) and not_found (404)', async () => {
    expectNested(await get('sk_main', '/api/v1/stories/story-1'), 400, 'invalid_id');
    expectNested(await get('sk_main', '/api/v1/stories/brief_0123456789abcdef'), 404, 'not_found');
  });

  it('insufficient_minutes (402) with minutes_remaining, minutes_required and upgrade_url', async () => {
    const error = expectNested(
      await post('sk_poor', { prompt: 'A long saga', duration_minutes: 3 }),
      402,
      'insufficient_minutes',
      ['minutes_remaining', 'minutes_required', 'upgrade_url'],
    );
    expect(error).toMatchObject({
      minutes_remaining: 2,
      minutes_required: 3,
      upgrade_url: expect.stringMatching(/^https:/),
    });
  });

  it('server_misconfigured (503) for a key without billing', async () => {
    expectNested(
      await post('sk_unbilled', { prompt: 'Anything', duration_minutes: 1 }),
      503,
      'server_misconfigured',
    );
  });

  it('creation is idempotent by brief content: 202 while generating, 200 once ready, minutes charged once', async () => {
    const brief = { prompt: 'A lighthouse keeper finds a map', duration_minutes: 2, style: 'narrative' };
    const first = await post('sk_main', brief);
    expect(first.status).toBe(202);
    const id = (first.body as { id: string }).id;
    expect(id).toMatch(/^brief_[0-9a-f]{16}$/);
    const again = await post('sk_main', { style: 'narrative', duration_minutes: 2, prompt: brief.prompt });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ id, status: 'generating' });
    const done = await settled('sk_main', id);
    expect(done.body).toMatchObject({ id, status: 'ready', minutes_charged: 2 });
    const cached = await post('sk_main', brief);
    expect(cached.status).toBe(200);
    expect(cached.body).toMatchObject({ id, status: 'ready' });
    expect((await get('sk_main', '/api/v1/usage')).body).toMatchObject({
      minutes_used: 2,
      minutes_remaining: 58,
    });
  });

  it('a failed story reports status failed with an error and charges no minutes', async () => {
    const started = await post('sk_fail', { prompt: 'test:generation_failed', duration_minutes: 4 });
    expect(started.status).toBe(202);
    const final = await settled('sk_fail', (started.body as { id: string }).id);
    expect(final.body).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/failed/),
      minutes_charged: 0,
    });
    expect((await get('sk_fail', '/api/v1/usage')).body).toMatchObject({
      minutes_used: 0,
      minutes_remaining: 60,
    });
  });

  it('corrupt_cache_entry (500) when a cached story cannot be parsed', async () => {
    const started = await post('sk_main', { prompt: 'test:corrupt_cache', duration_minutes: 1 });
    const id = (started.body as { id: string }).id;
    const res = await until(async () => {
      const r = await get('sk_main', `/api/v1/stories/${id}`);
      return r.status === 200 ? undefined : r;
    });
    expectNested(res, 500, 'corrupt_cache_entry');
    expect(res.text).not.toMatch(/JSON|SyntaxError/);
  });

  it('rate_limit_exceeded (429): 10 POSTs a minute and 120 GETs, counted apart, Retry-After == retry_after', async () => {
    for (let i = 0; i < 10; i++) expect((await post('sk_posts', {})).status).toBe(400);
    const res = await post('sk_posts', {});
    const error = expectNested(res, 429, 'rate_limit_exceeded', ['retry_after']);
    expect(error['retry_after']).toBeGreaterThan(0);
    expect(res.headers.get('retry-after')).toBe(String(error['retry_after']));
    expect((await get('sk_posts', '/api/v1/usage')).status).toBe(200);

    for (let i = 0; i < 120; i++) expect((await get('sk_gets', '/api/v1/usage')).status).toBe(200);
    expectNested(await get('sk_gets', '/api/v1/usage'), 429, 'rate_limit_exceeded', ['retry_after']);
    expect((await post('sk_gets', {})).status).toBe(400);
  });
});
