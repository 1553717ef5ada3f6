import { Validator } from '@seriousme/openapi-schema-validator';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { signals } from '../../src/catalog.ts';
import { loadConfig } from '../../src/config.ts';
import { openSqliteStore } from '../../src/db/sqlite.ts';
import type { Store } from '../../src/db/store.ts';

let app: FastifyInstance;
let store: Store;
let now = Date.parse('2026-01-01T00:00:00Z');

beforeAll(async () => {
  store = openSqliteStore(':memory:');
  const config = loadConfig({
    SIGNALS_JWT_SECRET: 'j'.repeat(40),
    SIGNALS_DOCS_URL: 'https://docs.signals.example/errors',
    SIGNALS_LEGACY_UNTIL: '2026-03-20T00:00:00Z',
  });
  app = await buildApp({ config, store, now: () => now });
});
afterAll(async () => {
  await app.close();
  await store.close();
});

describe('docs routes', () => {
  it('serves the HTML page with one anchor per entry', async () => {
    const res = await app.inject('/docs/errors');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    for (const entry of signals.entries) expect(res.body).toContain(`id="${entry.slug}"`);
  });

  it('serves the Markdown page', async () => {
    const res = await app.inject('/docs/errors.md');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/markdown/);
    expect(res.body).toContain('ih2005');
  });

  it('uses SIGNALS_DOCS_URL in every error link', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v0/auth',
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(res.json().link).toBe('https://docs.signals.example/errors#ih2003-missing-scopes');
  });

  it('shows legacy fields in examples before the sunset and not after', async () => {
    now = Date.parse('2026-03-19T23:59:59Z');
    expect((await app.inject('/docs/errors.md')).body).toContain('status_code');
    now = Date.parse('2026-03-20T00:00:00Z');
    expect((await app.inject('/docs/errors.md')).body).not.toContain('status_code');
    const res = await app.inject({
      method: 'POST',
      url: '/v0/auth',
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(Object.keys(res.json()).sort()).toEqual(['correlation_id', 'error_id', 'link', 'message']);
  });

  it('serves a valid OpenAPI 3.1 document with the v0 paths and every catalog entry', async () => {
    const res = await app.inject('/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(Object.keys(doc.paths)).toEqual([
      '/v0/auth',
      '/v0/upload/analyze',
      '/v0/stream/analyze',
      '/healthz',
      '/docs/errors',
      '/docs/errors.md',
      '/openapi.json',
    ]);
    expect(doc.paths['/v0/auth'].post.responses['401']).toEqual({ $ref: '#/components/responses/Error401' });
    for (const entry of signals.entries)
      expect(JSON.stringify(doc.components.schemas), entry.id).toContain(`"const":"${entry.id}"`);
    // Every $ref resolves inside the document.
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/([^"]+)"/g)].map((m) => m[1]!);
    for (const ref of refs) {
      const target = ref
        .split('/')
        .reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], doc);
      expect(target, ref).toBeDefined();
    }
  });

  it('answers /healthz', async () => {
    const res = await app.inject('/healthz');
    expect(res.json()).toEqual({
      status: 'ok',
      store: 'sqlite',
      prober: 'ok',
      maintenance: false,
      backends: {
        store: { kind: 'sqlite', reachable: true },
        limits: { kind: 'memory', reachable: true, on_failure: 'open' },
      },
    });
  });
});
