import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, ResponseError, RetryBudget } from '../../src/client/index.ts';
import { decodeAnyError } from '../../src/decoders/index.ts';
import { defineCatalog } from '../../src/index.ts';
import { json, recorder, type ScriptedServer, scriptedServer } from './server.ts';

let srv: ScriptedServer;
beforeAll(async () => {
  srv = await scriptedServer();
});
afterAll(() => srv.close());

const structured = (id: string) => ({
  error_id: id,
  correlation_id: `c-${id}`,
  link: `l#${id}`,
  message: 'm',
});
const fail = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as ResponseError,
  );

describe('createClient: decoding and what is safe to repeat', () => {
  it('decodes the core shapes by default, and ecosystem shapes with decode: decodeAnyError', async () => {
    const google = {
      error: {
        code: 429,
        message: 'Too many reads.',
        status: 'RESOURCE_EXHAUSTED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '2s' }],
      },
    };
    srv.scripts.set('/google', (_q, res) => json(res, 429, google, { 'x-request-id': 'g-1' }));
    const policy = { maxAttempts: 1 };
    const core = await fail(createClient({ baseUrl: srv.base, policy }).request('/google'));
    // Not a core shape: still the status, the request id and the retry headers.
    expect(core.error).toMatchObject({
      format: 'unknown',
      status: 429,
      requestId: 'g-1',
      retryAfterMs: undefined,
    });
    const any = await fail(
      createClient({ baseUrl: srv.base, policy, decode: decodeAnyError }).request('/google'),
    );
    expect(any.error).toMatchObject({
      format: 'google',
      code: 'RESOURCE_EXHAUSTED',
      message: 'Too many reads.',
      requestId: 'g-1',
      retryAfterMs: 2000,
    });
  });

  it('decodes a structured error and does not retry a client mistake', async () => {
    srv.scripts.set('/auth', (_q, res) => json(res, 400, structured('ih2005')));
    const { sleep, sleeps } = recorder();
    const client = createClient({ baseUrl: srv.base, sleep });
    const error = await fail(client.request('/auth', { method: 'POST', body: '{}' }));
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.error).toMatchObject({ code: 'ih2005', status: 400, requestId: 'c-ih2005' });
    expect(error).toMatchObject({ reason: 'not-retryable', attempts: 1, requestId: 'c-ih2005' });
    expect(sleeps).toEqual([]);
    expect(srv.hits.get('/auth')).toHaveLength(1);
  });

  it('a 500 never repeats a POST, even with Retry-After (faultline sends one on internal errors)', async () => {
    srv.scripts.set('/p500', (_q, res) => json(res, 500, structured('ih1001'), { 'retry-after': '1' }));
    const { sleep, sleeps } = recorder();
    const client = createClient({ baseUrl: srv.base, sleep });
    const error = await fail(client.request('/p500', { method: 'POST', body: 'x' }));
    expect(error).toMatchObject({ reason: 'unsafe-method', attempts: 1 });
    expect(srv.hits.get('/p500')).toHaveLength(1);
    expect(sleeps).toEqual([]);
    // The same error on a GET is retried, after exactly the server's delay.
    await fail(client.request('/p500'));
    expect(sleeps).toEqual([1000, 1000]);
  });

  it('repeats a POST on 429 and on a 503 with Retry-After: the server says nothing was done', async () => {
    srv.scripts.set('/p429', (_q, res, hit) =>
      hit === 1 ? json(res, 429, structured('ih3001'), { 'retry-after': '3' }) : json(res, 200, { ok: 1 }),
    );
    srv.scripts.set('/p503', (_q, res, hit) =>
      hit === 1 ? json(res, 503, structured('ih1002'), { 'retry-after': '7' }) : json(res, 200, { ok: 2 }),
    );
    srv.scripts.set('/p503bare', (_q, res) => json(res, 503, structured('ih1002')));
    const { sleep, sleeps } = recorder();
    const client = createClient({ baseUrl: srv.base, sleep });
    expect(await client.json('/p429', { method: 'POST', body: 'a' })).toEqual({ ok: 1 });
    expect(await client.json('/p503', { method: 'POST', body: 'b' })).toEqual({ ok: 2 });
    expect(sleeps).toEqual([3000, 7000]);
    await expect(fail(client.request('/p503bare', { method: 'POST' }))).resolves.toMatchObject({
      reason: 'unsafe-method',
    });
    expect(srv.hits.get('/p503bare')).toHaveLength(1);
  });

  it('`idempotent` vouches for a call the method alone would not: a POST the API dedupes, a GET that is not safe', async () => {
    srv.scripts.set('/dedupe', (_q, res, hit) =>
      hit === 1 ? json(res, 500, structured('ih1001')) : json(res, 200, { same: true }),
    );
    srv.scripts.set('/side-effect', (_q, res) => json(res, 503, structured('ih1002')));
    const { sleep, sleeps } = recorder();
    const client = createClient({ baseUrl: srv.base, sleep, random: () => 0 });
    expect(await client.json('/dedupe', { method: 'POST', body: 'b', idempotent: true })).toEqual({
      same: true,
    });
    expect(srv.hits.get('/dedupe')).toHaveLength(2);
    expect(srv.hits.get('/dedupe')![1]!.headers['idempotency-key']).toBeUndefined();
    await expect(fail(client.request('/side-effect', { idempotent: false }))).resolves.toMatchObject({
      reason: 'unsafe-method',
      attempts: 1,
    });
    expect(sleeps).toEqual([0]);
  });

  it('an idempotency key is generated once per call and reused on every attempt', async () => {
    srv.scripts.set('/create', (_q, res, hit) =>
      hit % 3 !== 0 ? json(res, 500, { message: 'x', trace_id: 't' }) : json(res, 201, {}),
    );
    const { sleep } = recorder();
    const client = createClient({ baseUrl: srv.base, sleep, random: () => 0 });
    expect((await client.request('/create', { method: 'POST', idempotencyKey: true })).status).toBe(201);
    const keys = srv.hits.get('/create')!.map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    // A client-wide opt-in does the same for every POST; a second call gets a new key.
    const optIn = createClient({ baseUrl: srv.base, sleep, random: () => 0, idempotencyKeys: true });
    await optIn.request('/create', { method: 'POST' });
    const all = srv.hits.get('/create')!.map((r) => r.headers['idempotency-key']);
    expect(all).toHaveLength(6);
    expect(new Set(all.slice(3)).size).toBe(1);
    expect(all[3]).not.toBe(all[0]);
  });

  it('backs off exponentially with full jitter on idempotent requests, then gives up with the last error', async () => {
    srv.scripts.set('/flaky', (_q, res) => json(res, 500, { message: 'boom', trace_id: 't-9' }));
    const { sleep, sleeps } = recorder();
    const client = createClient({ baseUrl: srv.base, sleep, random: () => 0.5, policy: { maxAttempts: 4 } });
    const error = await fail(client.request('/flaky'));
    expect(error).toMatchObject({ attempts: 4, reason: 'attempts-exhausted' });
    expect(error.error).toMatchObject({ format: 'trace', requestId: 't-9', status: 500 });
    expect(sleeps).toEqual([500, 1000, 2000]);
  });

  it('x-should-retry: false outranks a retryable status and a server delay', async () => {
    srv.scripts.set('/no', (_q, res) =>
      json(res, 503, { message: 'm', trace_id: 't' }, { 'x-should-retry': 'false', 'retry-after': '1' }),
    );
    const client = createClient({ baseUrl: srv.base, sleep: recorder().sleep });
    await expect(fail(client.request('/no'))).resolves.toMatchObject({
      reason: 'server-said-no',
      attempts: 1,
    });
  });

  it('retry-after-ms wins over Retry-After, and server delays get no jitter', async () => {
    srv.scripts.set('/ms', (_q, res, hit) =>
      hit === 1
        ? json(res, 429, { message: 'm', trace_id: 't' }, { 'retry-after-ms': '250', 'retry-after': '9' })
        : json(res, 200, {}),
    );
    const { sleep, sleeps } = recorder();
    const client = createClient({ baseUrl: srv.base, sleep, random: () => 0.99 });
    await client.request('/ms');
    expect(sleeps).toEqual([250]);
  });

  it('fails fast when the server asks for longer than maxServerDelayMs or than the deadline leaves', async () => {
    srv.scripts.set('/long', (_q, res) => json(res, 503, structured('ih1002'), { 'retry-after': '600' }));
    const { sleep, sleeps } = recorder();
    const client = createClient({ baseUrl: srv.base, sleep, policy: { maxServerDelayMs: 60_000 } });
    await expect(fail(client.request('/long'))).resolves.toMatchObject({
      reason: 'delay-too-long',
      attempts: 1,
    });
    srv.scripts.set('/long60', (_q, res) => json(res, 503, structured('ih1002'), { 'retry-after': '60' }));
    const patient = createClient({ baseUrl: srv.base, sleep, deadlineMs: 30_000 });
    const error = await fail(patient.request('/long60'));
    expect(error).toMatchObject({ reason: 'deadline', attempts: 1, code: 'ih1002' });
    expect(sleeps).toEqual([]);
  });

  it('per-attempt timeout: a hung attempt becomes a timeout error, retried only when idempotent', async () => {
    srv.scripts.set('/hang', (_q, res, hit) => {
      // The first hit never answers: the client's attempt timeout ends it.
      if (hit > 1) json(res, 200, { late: false });
    });
    srv.scripts.set('/hang-post', () => {});
    const { sleep } = recorder();
    const client = createClient({ baseUrl: srv.base, sleep, timeoutMs: 150, random: () => 0 });
    expect(await client.json('/hang')).toEqual({ late: false });
    const post = await fail(client.request('/hang-post', { method: 'POST', body: 'x' }));
    expect(post).toMatchObject({ status: 0, code: 'timeout', reason: 'unsafe-method', attempts: 1 });
  });

  it('the attempt timeout ends with the response head: a slow body is still read in full', async () => {
    srv.scripts.set('/slow-body', (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"part":');
      setTimeout(() => res.end('1}'), 300);
    });
    const client = createClient({ baseUrl: srv.base, timeoutMs: 100 });
    expect(await client.json('/slow-body')).toEqual({ part: 1 });
  });

  it('an abort during a retry wait rejects at once, with the abort reason as the cause', async () => {
    srv.scripts.set('/wait', (_q, res) => json(res, 503, structured('ih1002'), { 'retry-after': '30' }));
    const controller = new AbortController();
    const client = createClient({
      baseUrl: srv.base,
      onRetry: () => controller.abort(new Error('user left')),
    });
    const error = await fail(client.request('/wait', { signal: controller.signal }));
    expect(error).toMatchObject({ reason: 'aborted', code: 'ih1002' });
    expect((error.cause as Error).message).toBe('user left');
  });

  it('a 401 is retried once after the refresh hook, with the new token', async () => {
    let token = 'old';
    srv.scripts.set('/me', (req, res) =>
      req.headers.authorization === 'Bearer new'
        ? json(res, 200, { me: 1 })
        : json(res, 401, structured('ih2009')),
    );
    let refreshes = 0;
    const client = createClient({
      baseUrl: srv.base,
      headers: async () => ({ authorization: `Bearer ${token}` }),
      refreshAuth: async () => {
        refreshes++;
        token = 'new';
      },
    });
    expect(await client.json('/me', { method: 'POST' })).toEqual({ me: 1 });
    expect(refreshes).toBe(1);
    token = 'stale';
    const again = createClient({
      baseUrl: srv.base,
      headers: { authorization: 'Bearer x' },
      refreshAuth: () => refreshes++,
    });
    await expect(fail(again.request('/me'))).resolves.toMatchObject({ code: 'ih2009', attempts: 2 });
    expect(refreshes).toBe(2);
  });

  it('a streamed body is never re-sent; a body factory makes a fresh one per attempt', async () => {
    srv.scripts.set('/up', (_q, res, hit, body) =>
      hit <= 2 ? json(res, 503, structured('ih1002'), { 'retry-after': '1' }) : json(res, 200, { body }),
    );
    const { sleep } = recorder();
    const client = createClient({ baseUrl: srv.base, sleep });
    const stream = () => new Blob(['chunk-1 ', 'chunk-2']).stream();
    await expect(fail(client.request('/up', { method: 'PUT', body: stream() }))).resolves.toMatchObject({
      reason: 'streamed-body',
      attempts: 1,
    });
    expect(await client.json('/up', { method: 'PUT', body: stream })).toEqual({ body: 'chunk-1 chunk-2' });
    expect(srv.hits.get('/up')).toHaveLength(3);
  });

  it('per-code and per-status overrides: 5 tries for one code, once for another, 429 once after Retry-After only', async () => {
    const envelope = (code: string, status: number) => ({
      error: { code, message: 'm', httpStatus: status },
      status: 'error',
      status_code: status,
    });
    srv.scripts.set('/workers', (_q, res) => json(res, 503, envelope('NO_AVAILABLE_WORKERS', 503)));
    srv.scripts.set('/internal', (_q, res) => json(res, 500, envelope('INTERNAL_ERROR', 500)));
    srv.scripts.set('/limited', (_q, res) => json(res, 429, envelope('RATE_LIMITED', 429)));
    srv.scripts.set('/limited-ra', (_q, res) =>
      json(res, 429, envelope('RATE_LIMITED', 429), { 'retry-after': '2' }),
    );
    const { sleep, sleeps } = recorder();
    const client = createClient({
      baseUrl: srv.base,
      sleep,
      random: () => 0,
      policy: {
        byCode: { NO_AVAILABLE_WORKERS: { maxAttempts: 5 }, INTERNAL_ERROR: { maxAttempts: 2 } },
        byStatus: { 429: { maxAttempts: 2, requireServerDelay: true } },
      },
    });
    await expect(fail(client.request('/workers'))).resolves.toMatchObject({ attempts: 5 });
    await expect(fail(client.request('/internal'))).resolves.toMatchObject({ attempts: 2 });
    await expect(fail(client.request('/limited'))).resolves.toMatchObject({ attempts: 1 });
    sleeps.length = 0;
    await expect(fail(client.request('/limited-ra'))).resolves.toMatchObject({ attempts: 2 });
    expect(sleeps).toEqual([2000]);
  });

  it('retries by catalog code, and never retries a catalog entry that is not retryable', async () => {
    const catalog = defineCatalog({
      name: 't',
      entries: {
        q1: { title: 'Quota', status: 429, category: 'x', message: 'm', fix: ['f'] },
        r1: { title: 'Busy', status: 409, category: 'x', message: 'm', fix: ['f'], retryable: true },
      },
    });
    srv.scripts.set('/quota', (_q, res) => json(res, 429, structured('q1')));
    srv.scripts.set('/busy409', (_q, res, hit) =>
      hit === 1 ? json(res, 409, structured('r1')) : json(res, 200, {}),
    );
    const { sleep, sleeps } = recorder();
    const client = createClient({ baseUrl: srv.base, sleep, catalog, random: () => 0.5 });
    await expect(client.request('/quota')).rejects.toMatchObject({ code: 'q1', attempts: 1 });
    expect((await client.request('/busy409')).status).toBe(200);
    expect(sleeps).toEqual([500]);
  });

  it('decodes an HTML proxy page', async () => {
    srv.scripts.set('/proxy', (_q, res) =>
      res
        .writeHead(502, { 'content-type': 'text/html' })
        .end('<html><head><title>502 Bad Gateway</title></head><body><h1>Bad</h1></body></html>'),
    );
    // By default the page is not read (markup is never a message): `unknown`, the status phrase.
    const client = createClient({ baseUrl: srv.base, policy: { maxAttempts: 1 } });
    const error = await fail(client.request('/proxy'));
    expect(error.status).toBe(502);
    expect(error.error).toMatchObject({ format: 'unknown', message: 'Bad Gateway', code: undefined });
    // Opted in (faultline/decoders), its <title> is the message.
    const reading = createClient({ baseUrl: srv.base, policy: { maxAttempts: 1 }, decode: decodeAnyError });
    const page = await fail(reading.request('/proxy'));
    expect(page.error).toMatchObject({ format: 'html', message: '502 Bad Gateway' });
  });

  it('an empty 503 from a proxy still says when to come back: its headers are read', async () => {
    srv.scripts.set('/empty', (_q, res, hit) =>
      hit === 1
        ? res.writeHead(503, { 'retry-after': '4', 'x-request-id': 'lb-1' }).end()
        : json(res, 200, { ok: true }),
    );
    srv.scripts.set('/empty-no', (_q, res) =>
      res.writeHead(503, { 'retry-after': '4', 'x-should-retry': 'false', 'x-request-id': ' lb-2 ' }).end(),
    );
    const { sleep, sleeps } = recorder();
    const client = createClient({ baseUrl: srv.base, sleep });
    expect(await client.json('/empty', { method: 'POST' })).toEqual({ ok: true });
    expect(sleeps).toEqual([4000]);
    const error = await fail(client.request('/empty-no'));
    expect(error).toMatchObject({ reason: 'server-said-no', status: 503 });
    expect(error.error).toMatchObject({
      format: 'unknown',
      message: 'Service Unavailable',
      retryAfterMs: 4000,
      requestId: 'lb-2',
    });
  });

  it('a connection refused is a network error, retried for GET only', async () => {
    const { sleep, sleeps } = recorder();
    const client = createClient({ baseUrl: 'http://127.0.0.1:1', sleep, random: () => 0 });
    const get = await fail(client.request('/'));
    expect(get).toMatchObject({ status: 0, code: 'network_error', attempts: 3 });
    const post = await fail(client.request('/', { method: 'POST' }));
    expect(post).toMatchObject({ attempts: 1, reason: 'unsafe-method' });
    expect(sleeps).toHaveLength(2);
  });
});

describe('RetryBudget', () => {
  it('is shared by all calls of a client and stops retries when spent; successes refill it', async () => {
    srv.scripts.set('/down', (_q, res) => json(res, 503, { message: 'down', trace_id: 't' }));
    srv.scripts.set('/up200', (_q, res) => json(res, 200, {}));
    const { sleep, sleeps } = recorder();
    const budget = new RetryBudget({ capacity: 10, retryCost: 5, successReward: 5 });
    const client = createClient({ baseUrl: srv.base, sleep, budget, random: () => 0 });
    await expect(client.request('/down')).rejects.toMatchObject({ attempts: 3 });
    await expect(client.request('/down')).rejects.toMatchObject({ attempts: 1, reason: 'budget-exhausted' });
    expect(sleeps).toHaveLength(2);
    expect(budget).toMatchObject({ available: 0, retries: 2 });
    await client.request('/up200');
    expect(budget.available).toBe(5);
  });
});
