import { describe, expect, it } from 'vitest';
import { failure, recorder } from '../../test-support/client.ts';
import { call, useExample } from '../../test-support/server.ts';
import { reelsClient } from '../src/client.ts';

const server = useExample('reels-api', { API_KEY: 'ist_crash,ist_busy,ist_plain' });

function observed(token: string) {
  const run = recorder();
  const client = reelsClient({
    baseUrl: server.url,
    token,
    sleep: run.sleep,
    fetch: run.fetch,
  });
  return { ...run, client };
}

describe('reels-api client: seed 003 retry rule against the server’s own failures', () => {
  it('500: 3 attempts, 1 s then 2 s', async () => {
    const run = observed('ist_crash');
    const error = await failure(run.client.analyze('https://www.instagram.com/reel/TESTINTERNAL/'));
    expect(error.error.status).toBe(500);
    expect(run.attempts()).toBe(3);
    expect(run.delays).toEqual([1000, 2000]);
  });

  it('429 (rate limit): 3 attempts, 1 s then 2 s', async () => {
    for (let i = 0; i < 10; i++)
      await call(server.url, '/api/v1/reels/1', { headers: { authorization: 'Bearer ist_busy' } });
    const run = observed('ist_busy');
    const error = await failure(run.client.job(1));
    expect(error.error).toMatchObject({ status: 429, format: 'flat' });
    expect(run.attempts()).toBe(3);
    expect(run.delays).toEqual([1000, 2000]);
  });

  it('400 and 404 are never retried', async () => {
    const run = observed('ist_plain');
    expect((await failure(run.client.analyze('https://tiktok.com/x'))).error.message).toContain('tiktok.com');
    expect((await failure(run.client.job(424242))).error.status).toBe(404);
    expect(run.attempts()).toBe(2);
    expect(run.delays).toEqual([]);
  });
});
