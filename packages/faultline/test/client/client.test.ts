import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, decideRetry, ResponseError, RetryBudget } from '../../src/client/index.ts';
import { defineCatalog } from '../../src/index.ts';

type Script = (req: IncomingMessage, res: ServerResponse, hit: number) => void;

let server: Server;
let base = '';
const scripts = new Map<string, Script>();
const hits = new Map<string, IncomingMessage[]>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    const seen = hits.get(path) ?? [];
    seen.push(req);
    hits.set(path, seen);
    req.resume();
    req.on('end', () => scripts.get(path)?.(req, res, seen.length));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

function recorder() {
  const sleeps: number[] = [];
  return { sleeps, sleep: async (ms: number) => void sleeps.push(ms) };
}

describe('createClient', () => {
  it('decodes a structured error and does not retry a client mistake', async () => {
    scripts.set('/auth', (_q, res) =>
      json(res, 400, {
        error_id: 'ih2005',
        correlation_id: 'c-1',
        link: 'https://d#ih2005-x',
        message: 'No secret.',
      }),
    );
    const { sleep, sleeps } = recorder();
    const client = createClient({ baseUrl: base, sleep });
    const error = await client.request('/auth', { method: 'POST', body: '{}' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect((error as ResponseError).error).toMatchObject({ code: 'ih2005', status: 400, requestId: 'c-1' });
    expect((error as ResponseError).message).toContain('c-1');
    expect(sleeps).toEqual([]);
    expect(hits.get('/auth')).toHaveLength(1);
  });

  it('waits exactly the Retry-After the server asked for, then succeeds', async () => {
    scripts.set('/busy', (_q, res, hit) =>
      hit === 1
        ? json(
            res,
            503,
            {
              error: { code: 'NO_AVAILABLE_WORKERS', message: 'busy', httpStatus: 503 },
              status: 'error',
              status_code: 503,
            },
            { 'retry-after': '7' },
          )
        : json(res, 200, { ok: true }),
    );
    const { sleep, sleeps } = recorder();
    const client = createClient({ baseUrl: base, sleep });
    expect(await client.json('/busy', { method: 'POST' })).toEqual({ ok: true });
    expect(sleeps).toEqual([7000]);
  });

  it('backs off exponentially with jitter on idempotent requests, then gives up with the last error', async () => {
    scripts.set('/flaky', (_q, res) => json(res, 500, { message: 'boom', trace_id: 't-9' }));
    const { sleep, sleeps } = recorder();
    const client = createClient({ baseUrl: base, sleep, random: () => 0.5, policy: { maxAttempts: 4 } });
    const error = (await client.request('/flaky').catch((e: unknown) => e)) as ResponseError;
    expect(error.attempts).toBe(4);
    expect(error.error).toMatchObject({ format: 'trace', requestId: 't-9', status: 500 });
    expect(sleeps).toEqual([1500, 2500, 4500]);
  });

  it('never retries a POST on a bare 500, but does with an idempotency key it keeps across attempts', async () => {
    scripts.set('/create', (_q, res, hit) =>
      hit < 3 ? json(res, 500, { message: 'x', trace_id: 't' }) : json(res, 201, {}),
    );
    const { sleep } = recorder();
    const client = createClient({ baseUrl: base, sleep, random: () => 0 });
    await expect(client.request('/create', { method: 'POST' })).rejects.toBeInstanceOf(ResponseError);
    hits.delete('/create');
    const response = await client.request('/create', { method: 'POST', idempotencyKey: true });
    expect(response.status).toBe(201);
    const keys = hits.get('/create')!.map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('retries by catalog code, and never retries a catalog entry that is not retryable', async () => {
    const catalog = defineCatalog({
      name: 't',
      entries: {
        q1: { title: 'Quota', status: 429, category: 'x', message: 'm', fix: ['f'] },
        r1: { title: 'Busy', status: 409, category: 'x', message: 'm', fix: ['f'], retryable: true },
      },
    });
    scripts.set('/quota', (_q, res) =>
      json(res, 429, { error_id: 'q1', correlation_id: 'c', link: 'l', message: 'm' }),
    );
    scripts.set('/busy409', (_q, res, hit) =>
      hit === 1
        ? json(res, 409, { error_id: 'r1', correlation_id: 'c', link: 'l', message: 'm' })
        : json(res, 200, {}),
    );
    const { sleep, sleeps } = recorder();
    const client = createClient({ baseUrl: base, sleep, catalog, random: () => 0 });
    await expect(client.request('/quota')).rejects.toMatchObject({ code: 'q1', attempts: 1 });
    expect((await client.request('/busy409')).status).toBe(200);
    expect(sleeps).toEqual([1000]);
  });

  it('decodes an HTML proxy page and plain text', async () => {
    scripts.set('/proxy', (_q, res) =>
      res
        .writeHead(502, { 'content-type': 'text/html' })
        .end('<html><head><title>502 Bad Gateway</title></head><body><h1>Bad</h1></body></html>'),
    );
    const client = createClient({ baseUrl: base, policy: { maxAttempts: 1 } });
    const error = (await client.request('/proxy').catch((e: unknown) => e)) as ResponseError;
    expect(error.status).toBe(502);
    expect(error.error.message).toContain('502 Bad Gateway');
  });

  it('stops when the retry budget is spent', async () => {
    scripts.set('/down', (_q, res) => json(res, 503, { message: 'down', trace_id: 't' }));
    const { sleep, sleeps } = recorder();
    const budget = new RetryBudget({ ratio: 0, minTokens: 1 });
    const client = createClient({ baseUrl: base, sleep, budget, random: () => 0 });
    await expect(client.request('/down')).rejects.toMatchObject({ attempts: 2 });
    await expect(client.request('/down')).rejects.toMatchObject({ attempts: 1 });
    expect(sleeps).toEqual([1000]);
  });
});

describe('decideRetry', () => {
  const base429 = {
    format: 'x',
    status: 429,
    code: undefined,
    message: 'm',
    requestId: undefined,
    link: undefined,
    fields: {},
  };
  it('refuses a server delay longer than the client accepts', () => {
    expect(
      decideRetry({ error: { ...base429, retryAfterMs: 3_600_000 }, attempt: 1, idempotent: true }),
    ).toEqual({
      retry: false,
      reason: 'delay-too-long',
    });
  });
  it('follows a server delay even for a POST: the server promised it did not process it', () => {
    expect(decideRetry({ error: { ...base429, retryAfterMs: 2000 }, attempt: 1, idempotent: false })).toEqual(
      {
        retry: true,
        delayMs: 2000,
        reason: 'server-delay',
      },
    );
  });
});
