import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, recorder } from '../../test-support/client.ts';
import { call, type ExampleServer, startExample } from '../../test-support/server.ts';
import { agentsClient } from '../src/client.ts';

// One worker and long jobs: a single generation keeps every worker busy for the whole file.
// Six tokens a minute: one comes back every 10 s, far longer than the client's retries take;
// so each test uses its own account.
let server: ExampleServer;
beforeAll(async () => {
  server = await startExample('agents-api', {
    API_KEY: 'occupier:1000,busy:1000,crash:1000,limited:1000,plain:1000',
    WORKERS: '1',
    JOB_SECONDS: '600',
    RATE_LIMIT_PER_MINUTE: '6',
  });
  const occupied = await call(server.url, '/v1/agent/generate', {
    method: 'POST',
    headers: { 'api-secret': 'occupier' },
    json: { prompt: 'holds the only worker' },
  });
  expect(occupied.status).toBe(200);
});
afterAll(async () => {
  await server?.stop();
});

/** A client whose sleeps are recorded instead of waited, and whose requests are counted. */
function observed(apiSecret: string) {
  const run = recorder();
  const client = agentsClient({
    baseUrl: server.url,
    apiSecret,
    random: () => 0.25,
    sleep: run.sleep,
    fetch: run.fetch,
  });
  return { ...run, client };
}

describe('agents-api client: seed 001 retry rule against the server’s own failures', () => {
  it('NO_AVAILABLE_WORKERS: 5 retries after 2^(n-1) s plus jitter, then gives up', async () => {
    const run = observed('busy');
    const error = await failure(run.client.generate('needs a worker'));
    expect(error.error.code).toBe('NO_AVAILABLE_WORKERS');
    expect(run.attempts()).toBe(6);
    expect(error.attempts).toBe(6);
    expect(run.delays).toEqual([1250, 2250, 4250, 8250, 16250]);
  });

  it('INTERNAL_ERROR: retried once', async () => {
    const run = observed('crash');
    const error = await failure(run.client.generate('test:internal_error'));
    expect(error.error.code).toBe('INTERNAL_ERROR');
    expect(run.attempts()).toBe(2);
    expect(run.delays).toEqual([1250]);
  });

  it('RATE_LIMITED: waits Retry-After (plus jitter) each time, 5 retries', async () => {
    for (let i = 0; i < 6; i++)
      expect((await call(server.url, '/v1/account', { headers: { 'api-secret': 'limited' } })).status).toBe(
        200,
      );
    const run = observed('limited');
    const error = await failure(run.client.account());
    expect(error.error.code).toBe('RATE_LIMITED');
    expect(run.attempts()).toBe(6);
    expect(run.retryAfter.every((value) => Number(value) >= 1)).toBe(true);
    expect(run.delays).toEqual(run.retryAfter.slice(0, 5).map((value) => Number(value) * 1000 + 250));
  });

  it('other errors are never retried', async () => {
    const run = observed('plain');
    const error = await failure(run.client.status('Anope'));
    expect(error.error).toMatchObject({ code: 'NOT_FOUND', status: 404, format: 'envelope' });
    expect(run.attempts()).toBe(1);
    expect(run.delays).toEqual([]);
  });
});
