import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectCatalogError as expectError,
  LEGACY_UNTIL,
  startServer,
  type TestServer,
} from '../support/server.ts';

const AUTH_RPM_PER_IP = 3;
const expectCatalogError = (res: Response, id: string) =>
  expectError(res, id, { transitionMode: 'structured' });

/** A `POST /v0/auth` with an unreadable body (ih4006 while under the limit), as if from `forwardedFor`. */
const attempt = (server: TestServer, forwardedFor: string) =>
  fetch(`${server.url}/v0/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: '{',
  });

/** Spends one client's per-IP budget, then checks that the next attempt is refused. */
async function exhaust(server: TestServer, forwardedFor: string): Promise<void> {
  for (let i = 0; i < AUTH_RPM_PER_IP; i++)
    await expectCatalogError(await attempt(server, forwardedFor), 'ih4006');
  await expectCatalogError(await attempt(server, forwardedFor), 'ih3001');
}

describe('per-IP auth limit behind a proxy (SIGNALS_TRUST_PROXY)', () => {
  let trusting: TestServer;
  let direct: TestServer;
  const env = {
    SIGNALS_LEGACY_UNTIL: LEGACY_UNTIL.structured,
    SIGNALS_AUTH_RPM_PER_IP: String(AUTH_RPM_PER_IP),
    SIGNALS_AUTH_REFUSAL_DELAY_MS: '0',
  };

  beforeAll(async () => {
    [trusting, direct] = await Promise.all([
      startServer({ ...env, SIGNALS_TRUST_PROXY: 'loopback' }),
      startServer(env),
    ]);
  });
  afterAll(async () => {
    await Promise.all([trusting?.stop(), direct?.stop()]);
  });

  it('behind a trusted proxy, each forwarded client has a budget of its own', async () => {
    await exhaust(trusting, '203.0.113.7');
    await expectCatalogError(await attempt(trusting, '203.0.113.8'), 'ih4006');
    // Only the entry the trusted proxy appended counts, not what the client wrote before it.
    await expectCatalogError(await attempt(trusting, '198.51.100.1, 203.0.113.7'), 'ih3001');
  });

  it('without one, X-Forwarded-For is the client talking: it cannot buy a fresh budget', async () => {
    await exhaust(direct, '203.0.113.7');
    const res = await attempt(direct, '203.0.113.8');
    expect(res.status).toBe(429);
    await expectCatalogError(res, 'ih3001');
  });
});
