import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openSqliteStore } from '../../src/db/sqlite.ts';

describe('request log lines', () => {
  it('name the request by the correlation id the client sees, under correlation_id', async () => {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
        done();
      },
    });
    const store = openSqliteStore(':memory:');
    const app = await buildApp({
      config: loadConfig({ SIGNALS_JWT_SECRET: 'j'.repeat(40) }),
      store,
      logger: { level: 'info', stream },
    });
    try {
      const res = await app.inject({ method: 'POST', url: '/v0/auth', payload: 'not json' });
      expect(res.statusCode).toBe(400);
      const id = res.headers['x-correlation-id'];
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const mine = lines.filter((line) => line['correlation_id'] === id);
      // Fastify's "incoming request" and "request completed" lines.
      expect(mine.length).toBeGreaterThanOrEqual(2);
      expect(lines.some((line) => 'reqId' in line)).toBe(false);
    } finally {
      await app.close();
      await store.close();
    }
  });
});
