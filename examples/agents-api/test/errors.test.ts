import { describe, expect, it } from 'vitest';
import { call, type Justified, redoclyLint, until, useExample } from '../../test-support/server.ts';

/**
 * Redocly warnings this document may carry (rule, location), each for a reason:
 * - no-ambiguous-paths on the three `/v1/agent/{code}/…` paths: the seed fixes both
 *   `/v1/agent/status/{id}` and `/v1/agent/{code}/session|speak|add-context`. `/v1/agent/status/session`
 *   would fit both only if an agent code were `status`; codes are generated and never are, and
 *   the router tries the literal `status` segment first.
 */
const JUSTIFIED: readonly Justified[] = [
  ['no-ambiguous-paths', /^#\/paths\/~1v1~1agent~1\{code\}~1(session|speak|add-context)$/],
];

// Black box over a real socket: the server is started as the README says, with short jobs.
const KEYS = {
  main: 'key_main',
  low: 'key_low',
  suspended: 'key_suspended',
  bucket: 'key_bucket',
  sessions: 'key_sessions',
  workers: 'key_workers',
  floor: 'key_floor',
};
let failedAuths = 0;

const server = useExample('agents-api', {
  API_KEY: `${KEYS.main}:1000,${KEYS.low}:5,${KEYS.suspended}:-12,${KEYS.bucket}:1000,${KEYS.sessions}:1000,${KEYS.workers}:1000,${KEYS.floor}:-11`,
  JOB_SECONDS: '1.5',
  WORKERS: '3',
  MAX_SESSIONS: '1',
});

type Res = Awaited<ReturnType<typeof call>>;
const api = (path: string, key: string | undefined, init: RequestInit & { json?: unknown } = {}) =>
  call(server.url, path, {
    ...init,
    headers: {
      ...(key === undefined ? {} : { 'api-secret': key }),
      ...(init.headers as Record<string, string>),
    },
  });

/** The documented envelope, exactly: the status three times and nothing else at the top. */
function expectEnvelope(res: Res, status: number, code: string): string {
  expect(res.status).toBe(status);
  const body = res.body as {
    error: { code: string; message: string; httpStatus: number };
    status: string;
    status_code: number;
  };
  expect(Object.keys(body).sort()).toEqual(['error', 'status', 'status_code']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'httpStatus', 'message']);
  expect(body).toMatchObject({ error: { code, httpStatus: status }, status: 'error', status_code: status });
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  return body.error.message;
}

const generate = (key: string, prompt: unknown) =>
  api('/v1/agent/generate', key, { method: 'POST', json: { prompt } });

async function readyAgent(key: string): Promise<string> {
  const res = await generate(key, 'You are a helpful assistant');
  expect(res.status).toBe(200);
  const id = (res.body as { agent_id: string }).agent_id;
  await until(
    async () =>
      ((await api(`/v1/agent/status/${id}`, key)).body as { status: string }).status === 'ready' || undefined,
  );
  return id;
}

describe('agents-api, documented errors over a real socket', () => {
  it('serves a docs page and an OpenAPI document that Redocly lints with 0 errors, no unjustified warning', async () => {
    const docs = await call(server.url, '/docs/errors');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('NO_AVAILABLE_WORKERS');
    const doc = await call(server.url, '/openapi.json');
    expect(doc.status).toBe(200);
    const lint = await redoclyLint(doc.body, JUSTIFIED);
    expect(lint).toEqual({ errors: [], warnings: [] });
  });

  it('MISSING_AUTH and UNAUTHORIZED (401), with X-Request-Id', async () => {
    expectEnvelope(await api('/v1/account', undefined), 401, 'MISSING_AUTH');
    expectEnvelope(await api('/v1/account', 'not-a-key'), 401, 'UNAUTHORIZED');
    failedAuths += 2;
  });

  it('ACCOUNT_SUSPENDED (403) below the -11 floor', async () => {
    const message = expectEnvelope(await api('/v1/account', KEYS.suspended), 403, 'ACCOUNT_SUSPENDED');
    expect(message).toContain('-12');
    // The floor itself is still allowed: only a balance below -11 suspends.
    expect((await api('/v1/account', KEYS.floor)).body).toMatchObject({ balance: -11 });
  });

  it('INSUFFICIENT_BALANCE (402) when a generation costs more than the balance', async () => {
    expectEnvelope(await generate(KEYS.low, 'hello'), 402, 'INSUFFICIENT_BALANCE');
    expect(((await api('/v1/account', KEYS.low)).body as { balance: number }).balance).toBe(5);
  });

  it('MISSING_PARAM and VALIDATION_ERROR (400), malformed JSON included', async () => {
    expect(
      expectEnvelope(
        await api('/v1/agent/generate', KEYS.main, { method: 'POST', json: {} }),
        400,
        'MISSING_PARAM',
      ),
    ).toContain('prompt');
    expectEnvelope(await generate(KEYS.main, 42), 400, 'VALIDATION_ERROR');
    const broken = await api('/v1/agent/generate', KEYS.main, {
      method: 'POST',
      body: '{"prompt":',
      headers: { 'content-type': 'application/json' },
    });
    expectEnvelope(broken, 400, 'VALIDATION_ERROR');
  });

  it('INTERNAL_ERROR (500) for the crash trigger, with nothing internal in the body', async () => {
    const res = await generate(KEYS.main, 'test:internal_error');
    expectEnvelope(res, 500, 'INTERNAL_ERROR');
    expect(res.text).not.toMatch(/crashed|at .*\.ts/);
  });

  it('NOT_FOUND (404): unknown agent, agent without a room, unknown endpoint — told apart by message', async () => {
    expect(expectEnvelope(await api('/v1/agent/status/Anope', KEYS.main), 404, 'NOT_FOUND')).toBe(
      'Agent not found for code: Anope',
    );
    const id = await readyAgent(KEYS.main);
    const speak = await api(`/v1/agent/${id}/speak`, KEYS.main, { method: 'POST', json: { message: 'hi' } });
    expect(expectEnvelope(speak, 404, 'NOT_FOUND')).toBe(`No active rooms found for agent ${id}`);
    expectEnvelope(await api('/v1/nowhere', KEYS.main), 404, 'NOT_FOUND');
  });

  it('generation goes processing → generating → completed → ready; a failed one carries error_message and is refunded', async () => {
    const started = await generate(KEYS.main, 'A friendly guide');
    expect(started.body).toMatchObject({ status: 'processing' });
    const id = (started.body as { agent_id: string }).agent_id;
    const seen = ['processing'];
    await until(
      async () => {
        const { status } = (await api(`/v1/agent/status/${id}`, KEYS.main)).body as { status: string };
        if (seen.at(-1) !== status) seen.push(status);
        return status === 'ready' || undefined;
      },
      20_000,
      80,
    );
    const order = ['processing', 'generating', 'completed', 'ready'];
    expect(seen.map((s) => order.indexOf(s))).toEqual([...seen.map((s) => order.indexOf(s))].sort());
    expect(seen.at(-1)).toBe('ready');

    const before = ((await api('/v1/account', KEYS.main)).body as { balance: number }).balance;
    const failing = await generate(KEYS.main, 'test:generation_failed');
    const fid = (failing.body as { agent_id: string }).agent_id;
    const final = await until(async () => {
      const body = (await api(`/v1/agent/status/${fid}`, KEYS.main)).body as {
        status: string;
        error_message?: string;
      };
      return body.status === 'failed' || body.status === 'ready' ? body : undefined;
    });
    expect(final.status).toBe('failed');
    expect(final.error_message).toMatch(/Generation failed/);
    expect(((await api('/v1/account', KEYS.main)).body as { balance: number }).balance).toBe(before);
  });

  it('sessions: speak and add-context in a live room; SESSION_LIMIT (429) past the cap', async () => {
    const [a, b] = await Promise.all([readyAgent(KEYS.sessions), readyAgent(KEYS.sessions)]);
    expect((await api(`/v1/agent/${a}/session`, KEYS.sessions, { method: 'POST' })).status).toBe(200);
    const spoken = await api(`/v1/agent/${a}/speak`, KEYS.sessions, {
      method: 'POST',
      json: { message: 'Hello' },
    });
    expect(spoken.status).toBe(200);
    expect(
      (
        await api(`/v1/agent/${a}/add-context`, KEYS.sessions, {
          method: 'POST',
          json: { context: 'Opening hours 9-5' },
        })
      ).status,
    ).toBe(200);
    expect(
      expectEnvelope(
        await api(`/v1/agent/${a}/add-context`, KEYS.sessions, { method: 'POST', json: {} }),
        400,
        'MISSING_PARAM',
      ),
    ).toContain('context');
    expectEnvelope(
      await api(`/v1/agent/${b}/session`, KEYS.sessions, { method: 'POST' }),
      429,
      'SESSION_LIMIT',
    );
    expect((await api(`/v1/agent/${a}/session`, KEYS.sessions, { method: 'DELETE' })).status).toBe(200);
    expect((await api(`/v1/agent/${b}/session`, KEYS.sessions, { method: 'POST' })).status).toBe(200);
  });

  it('uploads: sniffed by content, FILE_TOO_LARGE (413) per media type, UNSUPPORTED_TYPE (415), DOWNLOAD_FAILED (400)', async () => {
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(100)]);
    const upload = (body: Buffer<ArrayBuffer>, type: string) =>
      api('/v1/files/upload', KEYS.main, { method: 'POST', body, headers: { 'content-type': type } });
    const ok = await upload(png, 'application/octet-stream');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ type: 'image/png', kind: 'image', size: 108 });
    const big = Buffer.alloc(10 * 1024 * 1024 + 1);
    png.copy(big);
    expect(expectEnvelope(await upload(big, 'image/png'), 413, 'FILE_TOO_LARGE')).toContain('image');
    // The same size is fine for audio (limit 50 MB): the limit follows the sniffed type.
    const mp3 = Buffer.alloc(10 * 1024 * 1024 + 1);
    Buffer.from('ID3').copy(mp3);
    expect((await upload(mp3, 'audio/mpeg')).status).toBe(200);
    expectEnvelope(
      await upload(Buffer.from('<html>not a picture</html>'), 'image/png'),
      415,
      'UNSUPPORTED_TYPE',
    );
    const viaUrl = (file_url: string) =>
      api('/v1/files/upload', KEYS.main, { method: 'POST', json: { file_url } });
    expect(expectEnvelope(await viaUrl(`${server.url}/missing.png`), 400, 'DOWNLOAD_FAILED')).toContain(
      '404',
    );
    expectEnvelope(await viaUrl(`${server.url}/docs/errors`), 415, 'UNSUPPORTED_TYPE');
    expectEnvelope(
      await api('/v1/files/upload', KEYS.main, { method: 'POST', json: {} }),
      400,
      'MISSING_PARAM',
    );
  });

  it('NO_AVAILABLE_WORKERS (503) once every worker holds a job', async () => {
    let res: Res | undefined;
    for (let i = 0; i < 10; i++) {
      res = await generate(KEYS.workers, `busy ${i}`);
      if (res.status !== 200) break;
    }
    expectEnvelope(res!, 503, 'NO_AVAILABLE_WORKERS');
  });

  it('RATE_LIMITED (429) from the token bucket, with X-RateLimit-* and Retry-After', async () => {
    const first = await api('/v1/account', KEYS.bucket);
    expect(first.headers.get('x-ratelimit-limit')).toBe('60');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('59');
    expect(Number(first.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(
      Math.floor(Date.now() / 1000),
    );
    let res = first;
    for (let i = 0; i < 70 && res.status === 200; i++) res = await api('/v1/account', KEYS.bucket);
    expectEnvelope(res, 429, 'RATE_LIMITED');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
  });

  it('RATE_LIMITED (429) after 30 failed authentications a minute from one address, even for a good key', async () => {
    let res: Res | undefined;
    while (failedAuths < 30) {
      res = await api('/v1/account', `wrong-${failedAuths}`);
      expectEnvelope(res, 401, 'UNAUTHORIZED');
      failedAuths++;
    }
    res = await api('/v1/account', 'wrong-again');
    expectEnvelope(res, 429, 'RATE_LIMITED');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expectEnvelope(await api('/v1/account', KEYS.main), 429, 'RATE_LIMITED');
  });
});
