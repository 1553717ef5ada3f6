import { createClient, ResponseError } from 'faultline/client';
import ky, { HTTPError } from 'ky';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSignalsClient } from '../../src/client/index.ts';
import { fixturePath } from '../fixtures/index.ts';
import { startServer, type TestServer } from '../support/server.ts';

/**
 * signals-api in maintenance mode answers every /v0 request with ih1002 and a Retry-After.
 * Two independent clients must wait exactly that long before trying again: ky (a popular
 * fetch wrapper, as a reference) and faultline's client. Neither test sleeps for real: ky's
 * wait goes through the global setTimeout, which is shortened here and recorded; faultline's
 * client takes an injected sleep.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startServer({ SIGNALS_MAINTENANCE: '1' });
});
afterAll(() => server?.stop());

const authBody = { key_id: 'key_x', key_secret: 'sk_x', scopes: ['interhumanai.upload'] };

describe('clients wait the Retry-After of a server in maintenance', () => {
  it('ky waits the server’s Retry-After before its retry', async () => {
    // The delay the server asks for, read first, so exactly that wait (and no socket or parser
    // timer of undici, which share the global setTimeout) is shortened below.
    const probe = await fetch(`${server.url}/v0/auth`, { method: 'POST', body: '{}' });
    await probe.body?.cancel();
    const serverMs = Number(probe.headers.get('retry-after')) * 1000;
    expect(serverMs).toBeGreaterThan(0);
    const real = globalThis.setTimeout;
    const asked: number[] = [];
    const spy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((
      fn: (...args: unknown[]) => void,
      ms?: number,
      ...args: unknown[]
    ) => {
      asked.push(ms ?? 0);
      return real(fn, ms === serverMs ? 0 : ms, ...args);
    }) as typeof setTimeout);
    const retries: number[] = [];
    try {
      const error = await ky
        .post(`${server.url}/v0/auth`, {
          json: authBody,
          timeout: false,
          retry: { limit: 1, methods: ['post'], statusCodes: [503], afterStatusCodes: [503] },
          hooks: { beforeRetry: [({ retryCount }) => void retries.push(retryCount)] },
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HTTPError);
      const response = (error as HTTPError).response;
      expect(response.status).toBe(503);
      const retryAfter = Number(response.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retries).toEqual([1]);
      expect(retryAfter * 1000).toBe(serverMs);
      expect(asked).toContain(serverMs);
    } finally {
      spy.mockRestore();
    }
  });

  it('faultline’s client waits the same Retry-After, decodes ih1002, and stops at its attempt limit', async () => {
    const sleeps: number[] = [];
    const client = createClient({
      baseUrl: server.url,
      sleep: async (ms) => void sleeps.push(ms),
      policy: { maxAttempts: 3 },
    });
    const error = await client
      .request('/v0/auth', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(authBody),
      })
      .catch((e: unknown) => e as ResponseError);
    expect(error).toBeInstanceOf(ResponseError);
    const decoded = (error as ResponseError).error;
    expect(decoded).toMatchObject({ code: 'ih1002', status: 503 });
    expect(decoded.retryAfterMs).toBeGreaterThan(0);
    expect((error as ResponseError).attempts).toBe(3);
    // A POST, retried all the same: a 503 with Retry-After says nothing was done.
    expect(sleeps).toEqual([decoded.retryAfterMs, decoded.retryAfterMs]);
  });

  it('the signals client reports the wait and gives up with the decoded error', async () => {
    const sleeps: number[] = [];
    const client = createSignalsClient({
      url: server.url,
      keyId: 'key_x',
      keySecret: 'sk_x',
      sleep: async (ms) => void sleeps.push(ms),
      policy: { maxAttempts: 2 },
    });
    const error = await client.upload(fixturePath('good.mp4')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ih1002', attempts: 2 });
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThan(0);
  });
});
