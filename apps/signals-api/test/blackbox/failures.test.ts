import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlitePath } from '../../src/db/index.ts';
import {
  type CreatedKey,
  expectCatalogError,
  LEGACY_UNTIL,
  startServer,
  type TestServer,
  type TransitionMode,
} from '../support/server.ts';

const UPLOAD = 'interhumanai.upload';

describe.each(['legacy', 'structured'] as const)(
  'server-side failures (%s errors)',
  (mode: TransitionMode) => {
    describe('ih1001: the database loses a table under a running server', () => {
      let server: TestServer;
      let key: CreatedKey;

      beforeAll(async () => {
        server = await startServer({ SIGNALS_LEGACY_UNTIL: LEGACY_UNTIL[mode], LOG_LEVEL: 'error' });
        key = await server.createKey([UPLOAD]);
        // A real fault, not a test hook: another process damages the schema (a botched manual
        // migration). The server's next key lookup fails inside SQLite.
        const db = new DatabaseSync(sqlitePath(server.databaseUrl)!, { enableForeignKeyConstraints: false });
        db.exec('DROP TABLE api_keys');
        db.close();
      });
      afterAll(async () => {
        await server?.stop();
      });

      it('answers ih1001 with Retry-After and no trace of the cause, and logs the cause', async () => {
        const res = await fetch(`${server.url}/v0/auth`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-client-request-id': 'client-req-7' },
          body: JSON.stringify({ scopes: [UPLOAD], key_id: key.key_id, key_secret: key.key_secret }),
        });
        expect([...res.headers.values()]).not.toContain('client-req-7');
        const body = await expectCatalogError(res, 'ih1001', { transitionMode: mode });
        expect(JSON.stringify(body)).not.toContain('client-req-7');
        expect(res.headers.get('retry-after')).toBe('1');
        expect(JSON.stringify(body)).not.toMatch(/api_keys|table/i);
        // The operator sees the cause, under the same correlation id.
        await expect
          .poll(() => server.stdout(), { timeout: 10_000 })
          .toContain(String(body['correlation_id']));
        const logLine = server
          .stdout()
          .split('\n')
          .find((line) => line.includes(String(body['correlation_id'])));
        expect(logLine).toMatch(/no such table/);
        // The client's own request id is logged beside ours, never echoed.
        expect(JSON.parse(logLine!)).toMatchObject({ client_request_id: 'client-req-7' });
      });

      it('keeps serving other requests', async () => {
        expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
        await expectCatalogError(
          await fetch(`${server.url}/v0/auth`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{}',
          }),
          'ih2003',
          { transitionMode: mode },
        );
      });
    });

    describe('ih1002: maintenance mode (SIGNALS_MAINTENANCE=1)', () => {
      let server: TestServer;
      let key: CreatedKey;

      beforeAll(async () => {
        server = await startServer({ SIGNALS_LEGACY_UNTIL: LEGACY_UNTIL[mode], SIGNALS_MAINTENANCE: '1' });
        key = await server.createKey([UPLOAD]);
      });
      afterAll(async () => {
        await server?.stop();
      });

      it('answers every /v0 route with ih1002 and Retry-After, even a valid login', async () => {
        const login = await fetch(`${server.url}/v0/auth`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ scopes: [UPLOAD], key_id: key.key_id, key_secret: key.key_secret }),
        });
        await expectCatalogError(login, 'ih1002', { transitionMode: mode });
        expect(login.headers.get('retry-after')).toBe('30');
        await expectCatalogError(
          await fetch(`${server.url}/v0/upload/analyze`, { method: 'POST' }),
          'ih1002',
          {
            transitionMode: mode,
          },
        );
        await expectCatalogError(await fetch(`${server.url}/v0/anything?x=1`), 'ih1002', {
          transitionMode: mode,
        });
      });

      it('still serves health and docs, and says it is in maintenance', async () => {
        const health = await fetch(`${server.url}/healthz`);
        expect(health.status).toBe(200);
        expect(await health.json()).toMatchObject({ status: 'ok', maintenance: true });
        expect((await fetch(`${server.url}/docs/errors`)).status).toBe(200);
        expect(server.stdout()).toContain('maintenance mode');
      });
    });
  },
);
