import { describe, expect, it } from 'vitest';
import { call, type Justified, redoclyLint, until, useExample } from '../../test-support/server.ts';

/** Redocly warnings this document may carry (rule, location): none. */
const JUSTIFIED: readonly Justified[] = [];

const server = useExample('reels-api', {
  API_KEY: 'ist_main,ist_jobs,ist_jobs2,ist_fails,ist_limit',
  JOB_SECONDS: '3',
});

type Res = Awaited<ReturnType<typeof call>>;
const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const analyze = (token: string, json: unknown) =>
  call(server.url, '/api/v1/reels/analyze', { method: 'POST', headers: auth(token), json });
const job = (token: string, id: number | string) =>
  call(server.url, `/api/v1/reels/${id}`, { headers: auth(token) });

/** The exact flat bodies of seed 003, with the correlation id in a header (the body has no room). */
function expectFlat(res: Res, status: number, body: Record<string, string>) {
  expect(res.status).toBe(status);
  expect(res.body).toEqual(body);
  expect(res.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
}

const reel = (code: string) => `https://www.instagram.com/reel/${code}/`;
const final = (token: string, id: number) =>
  until(
    async () => {
      const body = (await job(token, id)).body as { status: string };
      return body.status === 'done' || body.status === 'error' ? body : undefined;
    },
    20_000,
    700,
  );

describe('reels-api, documented errors over a real socket', () => {
  it('serves a docs page and an OpenAPI document that Redocly lints with 0 errors, no unjustified warning', async () => {
    expect((await call(server.url, '/docs/errors')).text).toContain('url_not_instagram');
    const lint = await redoclyLint((await call(server.url, '/openapi.json')).body, JUSTIFIED);
    expect(lint).toEqual({ errors: [], warnings: [] });
  });

  it('401 {error}: token missing, token invalid', async () => {
    expectFlat(await call(server.url, '/api/v1/reels/1'), 401, {
      error: 'API token missing: send Authorization: Bearer ist_…',
    });
    expectFlat(await job('ist_nope', 1), 401, { error: 'this API token is not recognised' });
  });

  it('400 {message}: url is required, not a URL, the host named, not a reel, not JSON', async () => {
    expectFlat(await analyze('ist_main', {}), 400, { message: 'url is required' });
    expectFlat(await analyze('ist_main', { url: 'instagram' }), 400, {
      message: 'url must be an absolute http(s) URL',
    });
    expectFlat(await analyze('ist_main', { url: 'https://www.tiktok.com/@a/video/1' }), 400, {
      message: 'url must point to instagram.com, not "tiktok.com"',
    });
    expectFlat(await analyze('ist_main', { url: 'https://www.instagram.com/explore/' }), 400, {
      message: 'url must be an Instagram reel or post link (instagram.com/reel/… or /p/…)',
    });
    const broken = await call(server.url, '/api/v1/reels/analyze', {
      method: 'POST',
      headers: { ...auth('ist_main'), 'content-type': 'application/json' },
      body: '{"url":',
    });
    expectFlat(broken, 400, { message: 'the request body must be a JSON object' });
  });

  it('404 {message:"not found", status:"error"}: unknown id, non-integer id, another token’s job', async () => {
    expectFlat(await job('ist_main', 999999), 404, { message: 'not found', status: 'error' });
    expectFlat(await job('ist_main', 'abc'), 404, { message: 'not found', status: 'error' });
    const created = await analyze('ist_jobs2', { url: reel('Cowned1') });
    expectFlat(await job('ist_main', (created.body as { id: number }).id), 404, {
      message: 'not found',
      status: 'error',
    });
  });

  it('500 {message, status:"error"} for the crash trigger, nothing internal leaked', async () => {
    const res = await analyze('ist_main', { url: reel('TESTINTERNAL') });
    expectFlat(res, 500, {
      message: 'internal error; quote the X-Correlation-ID if you report it',
      status: 'error',
    });
  });

  it('202 jobs: pending → processing → done; private and over-90-s Reels end in error; final states stay final', async () => {
    const created = await analyze('ist_jobs', { url: reel('Cabc123') });
    expect(created.status).toBe(202);
    expect(created.body).toEqual({ id: expect.any(Number), status: 'pending' });
    const id = (created.body as { id: number }).id;
    const seen = ['pending'];
    const done = await until(
      async () => {
        const body = (await job('ist_jobs', id)).body as { status: string };
        if (seen.at(-1) !== body.status) seen.push(body.status);
        return body.status === 'done' ? body : undefined;
      },
      20_000,
      500,
    );
    expect(seen.filter((s) => s !== 'processing')).toEqual(['pending', 'done']);
    expect(Object.keys(done).sort()).toEqual(['created_at', 'error', 'id', 'result', 'status', 'url']);
    expect(done).toMatchObject({
      id,
      url: reel('Cabc123'),
      error: null,
      result: { duration_seconds: expect.any(Number) },
    });

    // Each token may make 10 requests a minute: the failing Reels use their own.
    const priv = (await analyze('ist_fails', { url: reel('TESTPRIVATE') })).body as { id: number };
    const long = (await analyze('ist_fails', { url: reel('TESTLONG') })).body as { id: number };
    expect(await final('ist_fails', priv.id)).toMatchObject({
      id: priv.id,
      status: 'error',
      error: 'Video is not available',
      result: null,
    });
    expect(await final('ist_fails', long.id)).toMatchObject({
      status: 'error',
      error: 'Video is 120 s long; the maximum is 90 s',
    });
    expect((await job('ist_fails', priv.id)).body).toMatchObject({ status: 'error' });
  });

  it('429 {message, status:"error"}: 3 running jobs per token, then 10 requests a minute', async () => {
    for (let i = 0; i < 3; i++)
      expect((await analyze('ist_limit', { url: reel(`Crun${i}`) })).status).toBe(202);
    expectFlat(await analyze('ist_limit', { url: reel('Crun3') }), 429, {
      message: '3 jobs are already running for this token',
      status: 'error',
    });
    let res: Res = await job('ist_limit', 1);
    for (let i = 0; i < 10 && res.status !== 429; i++) res = await job('ist_limit', 1);
    expectFlat(res, 429, { message: 'rate limit exceeded: 10 requests per minute', status: 'error' });
  });
});
