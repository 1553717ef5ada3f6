import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEGACY_UNTIL, startServer, type TestServer } from '../support/server.ts';

// Answers the framework gives (unknown route, wrong method) use faultline's built-in entries;
// their links must resolve on the service's own docs page like every catalog link.
describe('framework answers', () => {
  let server: TestServer;
  let docs = '';

  beforeAll(async () => {
    server = await startServer({ SIGNALS_LEGACY_UNTIL: LEGACY_UNTIL.structured });
    docs = await (await fetch(`${server.url}/docs/errors`)).text();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it.each([
    ['GET', '/v0/nothing-here', 404, 'not_found'],
    ['DELETE', '/v0/auth', 405, 'method_not_allowed'],
  ])('%s %s → %i %s, documented on /docs/errors', async (method, path, status, id) => {
    const res = await fetch(`${server.url}${path}`, { method });
    const body = (await res.json()) as Record<string, string>;
    expect(res.status).toBe(status);
    expect(body['error_id']).toBe(id);
    expect(body['correlation_id']).toBe(res.headers.get('x-correlation-id'));
    const anchor = new URL(body['link']!).hash.slice(1);
    expect(anchor.startsWith(`${id}-`)).toBe(true);
    expect(docs).toContain(`id="${anchor}"`);
  });
});
