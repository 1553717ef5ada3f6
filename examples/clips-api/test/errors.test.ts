import { describe, expect, it } from 'vitest';
import { call, type Justified, redoclyLint, until, useExample } from '../../test-support/server.ts';

/**
 * Redocly warnings this document may carry (rule, location), each for a reason:
 * - no-unused-components on `Error404`: Hono's answer (`route_not_found`) to a path or method
 *   the API does not have. No documented operation returns it, by definition; it is there so a
 *   client can decode the answer to a wrong URL.
 */
const JUSTIFIED: readonly Justified[] = [['no-unused-components', /^#\/components\/responses\/Error404$/]];

// Hono on @hono/node-server, started as the README says. Every key may make 15 requests a
// minute, so each test uses its own.
const server = useExample('clips-api', {
  API_KEY: 'k_main,k_input,k_flow,k_fail,k_running,k_limit',
  JOB_SECONDS: '3',
});

type Res = Awaited<ReturnType<typeof call>>;
const auth = (key: string) => ({ authorization: `Bearer ${key}` });
const create = (key: string, json: unknown) =>
  call(server.url, '/api/v2/clips', { method: 'POST', headers: auth(key), json });
const results = (key: string, id: string) =>
  call(server.url, `/api/v2/clips/results/${id}`, { headers: auth(key) });

/** Spring's body, exactly: `{timestamp, status, error, path}`. */
function expectSpring(res: Res, status: 403 | 429, path: string) {
  expect(res.status).toBe(status);
  const body = res.body as Record<string, unknown>;
  expect(Object.keys(body)).toEqual(['timestamp', 'status', 'error', 'path']);
  expect(body).toEqual({
    timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/),
    status,
    error: status === 403 ? 'Forbidden' : 'Too Many Requests',
    path,
  });
}

/** `{message, trace_id}`, exactly, the trace id being the response's correlation id. */
function expectTrace(res: Res, status: number, message: string) {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({ message, trace_id: res.headers.get('x-correlation-id') });
  expect(res.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
}

const video = 'https://videos.example/keynote.mp4';

describe('clips-api (Hono), documented errors over a real socket', () => {
  it('serves a docs page and an OpenAPI document that Redocly lints with 0 errors, no unjustified warning', async () => {
    expect((await call(server.url, '/docs/errors')).text).toContain('too_many_projects');
    const lint = await redoclyLint((await call(server.url, '/openapi.json')).body, JUSTIFIED);
    expect(lint).toEqual({ errors: [], warnings: [] });
  });

  it('403 in Spring’s shape: key missing, key invalid', async () => {
    expectSpring(
      await call(server.url, '/api/v2/clips', { method: 'POST', json: { video_url: video } }),
      403,
      '/api/v2/clips',
    );
    expectSpring(await results('k_wrong', 'prjx?debug=1'), 403, '/api/v2/clips/results/prjx');
  });

  it('400 {message, trace_id}: every input problem', async () => {
    expectTrace(await create('k_input', {}), 400, 'video_url is required.');
    expectTrace(
      await create('k_input', { video_url: 'not a url' }),
      400,
      'video_url must be an absolute http or https URL.',
    );
    expectTrace(
      await create('k_input', { video_url: 'https://files.example/slides.pdf' }),
      400,
      'Files of type .pdf cannot be clipped; send MP4, MOV, WebM, MKV or M4V, or a platform link.',
    );
    expectTrace(
      await create('k_input', { video_url: video, name: 42 }),
      400,
      'name must be a string of at most 200 characters.',
    );
    const text = await call(server.url, '/api/v2/clips', {
      method: 'POST',
      headers: { ...auth('k_input'), 'content-type': 'text/plain' },
      body: 'hi',
    });
    expectTrace(text, 400, 'The request body must be a JSON object sent as application/json.');
    const broken = await call(server.url, '/api/v2/clips', {
      method: 'POST',
      headers: { ...auth('k_input'), 'content-type': 'application/json' },
      body: '{"video_url":',
    });
    expectTrace(broken, 400, 'The request body must be a JSON object sent as application/json.');
    expectTrace(await results('k_input', 'prjnope'), 400, 'No project prjnope exists for this key.');
    expectTrace(
      await call(server.url, '/api/v3/clips', { headers: auth('k_input') }),
      404,
      'No endpoint matches GET /api/v3/clips.',
    );
  });

  it('500 {message, trace_id} for the crash trigger', async () => {
    const res = await create('k_main', { video_url: video, name: 'test:internal_error' });
    expectTrace(res, 500, 'The server failed while handling this request; quote the trace_id to support.');
  });

  it('{data} success; CREATED → QUEUED → ONGOING → SUCCEEDED, error_message only when FAILED', async () => {
    const created = await create('k_flow', { video_url: video, name: 'Keynote' });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      data: { id: expect.stringMatching(/^prj[a-z0-9]{13}$/), name: 'Keynote', status: 'CREATED' },
    });
    const id = (created.body as { data: { id: string } }).data.id;
    const order = ['CREATED', 'QUEUED', 'ONGOING', 'SUCCEEDED'];
    const seen = ['CREATED'];
    const done = await until(
      async () => {
        const { data } = (await results('k_flow', id)).body as { data: Record<string, unknown> };
        if (seen.at(-1) !== data['status']) seen.push(String(data['status']));
        expect(data).not.toHaveProperty('error_message');
        return data['status'] === 'SUCCEEDED' ? data : undefined;
      },
      20_000,
      400,
    );
    expect(seen.map((s) => order.indexOf(s))).toEqual([...seen.map((s) => order.indexOf(s))].sort());
    expect(done['clips']).toHaveLength(3);

    const failing = await create('k_fail', { video_url: 'https://videos.example/test-failed.mp4' });
    const fid = (failing.body as { data: { id: string } }).data.id;
    const failed = await until(
      async () => {
        const { data } = (await results('k_fail', fid)).body as { data: Record<string, unknown> };
        return data['status'] === 'FAILED' || data['status'] === 'SUCCEEDED' ? data : undefined;
      },
      20_000,
      400,
    );
    expect(failed).toMatchObject({ status: 'FAILED', error_message: expect.any(String) });
  });

  it('429 in Spring’s shape: 5 running projects, then 15 requests a minute', async () => {
    for (let i = 0; i < 5; i++) expect((await create('k_running', { video_url: video })).status).toBe(200);
    expectSpring(await create('k_running', { video_url: video }), 429, '/api/v2/clips');
    let res = await results('k_limit', 'prjnope');
    for (let i = 0; i < 15 && res.status !== 429; i++) res = await results('k_limit', 'prjnope');
    expectSpring(res, 429, '/api/v2/clips/results/prjnope');
  });
});
