import { describe, expect, it } from 'vitest';
import { failure, recorder } from '../../test-support/client.ts';
import { call, useExample } from '../../test-support/server.ts';
import { clipsClient } from '../src/client.ts';

const server = useExample('clips-api', { API_KEY: 'k_crash,k_busy,k_plain' });

function observed(apiKey: string) {
  const run = recorder();
  const client = clipsClient({
    baseUrl: server.url,
    apiKey,
    sleep: run.sleep,
    fetch: run.fetch,
  });
  return { ...run, client };
}

describe('clips-api client: seed 002 retry rule against the server’s own failures', () => {
  it('500: retried after 1, 2, 4 and 8 s, five attempts', async () => {
    const run = observed('k_crash');
    const error = await failure(run.client.create('https://videos.example/a.mp4', 'test:internal_error'));
    expect(error.error).toMatchObject({ status: 500, format: 'trace' });
    expect(run.attempts()).toBe(5);
    expect(run.delays).toEqual([1000, 2000, 4000, 8000]);
  });

  it('429 (15 requests a minute): the same schedule', async () => {
    for (let i = 0; i < 15; i++)
      await call(server.url, '/api/v2/clips/results/prjx', { headers: { authorization: 'Bearer k_busy' } });
    const run = observed('k_busy');
    const error = await failure(run.client.results('prjx'));
    expect(error.error).toMatchObject({ status: 429, format: 'spring' });
    expect(run.attempts()).toBe(5);
    expect(run.delays).toEqual([1000, 2000, 4000, 8000]);
  });

  it('400 and 403 are never retried', async () => {
    const run = observed('k_plain');
    expect((await failure(run.client.create('https://files.example/a.pdf'))).error.status).toBe(400);
    const stranger = clipsClient({
      baseUrl: server.url,
      apiKey: 'k_nobody',
      sleep: async (ms) => void run.delays.push(ms),
    });
    expect((await failure(stranger.results('prjx'))).error.status).toBe(403);
    expect(run.attempts()).toBe(1);
    expect(run.delays).toEqual([]);
  });
});
