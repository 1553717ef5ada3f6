import { describe, expect, it } from 'vitest';
import { failure, recorder } from '../../test-support/client.ts';
import { call, until, useExample } from '../../test-support/server.ts';
import { storiesClient } from '../src/client.ts';

const server = useExample('stories-api', {
  API_KEY: 'corrupt:60,unbilled:none,busy:60,plain:60',
  JOB_SECONDS: '0.5',
});

function observed(apiKey: string) {
  const run = recorder();
  const client = storiesClient({
    baseUrl: server.url,
    apiKey,
    sleep: run.sleep,
    fetch: run.fetch,
  });
  return { ...run, client };
}

describe('stories-api client: seed 004 retry rule against the server’s own failures', () => {
  it('a 5xx (corrupt_cache_entry) is retried after 1, 2, 4 and 8 s, then given up', async () => {
    const headers = { authorization: 'Bearer corrupt' };
    const created = await call(server.url, '/api/v1/stories', {
      method: 'POST',
      headers,
      json: { prompt: 'test:corrupt_cache', duration_minutes: 1 },
    });
    const id = (created.body as { id: string }).id;
    await until(async () =>
      (await call(server.url, `/api/v1/stories/${id}`, { headers })).status === 500 ? true : undefined,
    );
    const run = observed('corrupt');
    const error = await failure(run.client.get(id));
    expect(error.error).toMatchObject({ status: 500, code: 'corrupt_cache_entry', format: 'nested' });
    expect(run.attempts()).toBe(5);
    expect(run.delays).toEqual([1000, 2000, 4000, 8000]);
  });

  it('a 503 (server_misconfigured) follows the same schedule', async () => {
    const run = observed('unbilled');
    const error = await failure(run.client.create({ prompt: 'Anything', duration_minutes: 1 }));
    expect(error.error.code).toBe('server_misconfigured');
    expect(run.attempts()).toBe(5);
    expect(run.delays).toEqual([1000, 2000, 4000, 8000]);
  });

  it('a 429 is retried once, after exactly Retry-After seconds', async () => {
    for (let i = 0; i < 10; i++)
      await call(server.url, '/api/v1/stories', {
        method: 'POST',
        headers: { authorization: 'Bearer busy' },
        json: {},
      });
    const run = observed('busy');
    const error = await failure(run.client.create({ prompt: 'Too soon', duration_minutes: 1 }));
    expect(error.error.code).toBe('rate_limit_exceeded');
    expect(run.attempts()).toBe(2);
    expect(Number(run.retryAfter[0])).toBeGreaterThan(0);
    expect(run.delays).toEqual([Number(run.retryAfter[0]) * 1000]);
  });

  it('other 4xx are never retried', async () => {
    const run = observed('plain');
    const error = await failure(run.client.get('not-an-id'));
    expect(error.error.code).toBe('invalid_id');
    expect(run.attempts()).toBe(1);
    expect(run.delays).toEqual([]);
  });
});
