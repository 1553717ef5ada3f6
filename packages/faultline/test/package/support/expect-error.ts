import { expect } from 'vitest';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * What every runtime must answer, byte for byte the same: the fetch app of fixtures/fetch-app.js
 * asked for a catalog error (429, Retry-After from the entry), a framework one (404) and a success.
 * @example await expectCatalogAnswers(server.url);
 */
export async function expectCatalogAnswers(origin: string): Promise<void> {
  const quota = await fetch(`${origin}/quota`);
  expect(quota.status).toBe(429);
  expect(quota.headers.get('content-type')).toBe('application/json');
  expect(quota.headers.get('retry-after')).toBe('30');
  const id = quota.headers.get('x-correlation-id');
  expect(id).toMatch(UUID);
  expect(await quota.json()).toEqual({
    error_id: 'quota_exceeded',
    correlation_id: id,
    link: 'https://docs.example.test/errors#quota_exceeded-quota-exceeded',
    message: 'The free plan has no requests left this minute.',
  });

  const missing = await fetch(`${origin}/nowhere`);
  expect(missing.status).toBe(404);
  const body = (await missing.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ error_id: 'not_found', message: 'No endpoint matches this path.' });
  expect(body['correlation_id']).toBe(missing.headers.get('x-correlation-id'));

  const ok = await fetch(`${origin}/ok`);
  expect(ok.status).toBe(200);
  expect(await ok.json()).toEqual({ ok: true });
  expect(ok.headers.get('x-correlation-id')).toMatch(UUID);
}
