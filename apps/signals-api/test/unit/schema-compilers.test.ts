import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openSqliteStore } from '../../src/db/sqlite.ts';
import type { Store } from '../../src/db/store.ts';

// The app loads Fastify's schema compilers only when a route declares a schema (none does
// today): a route that declares one must still be validated and serialized by them.
let app: FastifyInstance;
let store: Store;

beforeEach(async () => {
  store = openSqliteStore(':memory:');
  const config = loadConfig({ SIGNALS_JWT_SECRET: 'j'.repeat(40), SIGNALS_LEGACY_UNTIL: '2000-01-01' });
  app = await buildApp({ config, store });
  app.post(
    '/schema-probe',
    {
      schema: {
        body: { type: 'object', required: ['count'], properties: { count: { type: 'integer' } } },
        response: { 200: { type: 'object', properties: { count: { type: 'integer' } } } },
      },
    },
    async (request) => ({ ...(request.body as object), internal: 'not in the response schema' }),
  );
});
afterEach(async () => {
  await app.close();
  await store.close();
});

const post = (payload: unknown) =>
  app.inject({ method: 'POST', url: '/schema-probe', payload: payload as Record<string, unknown> });

describe('routes that declare a schema', () => {
  it('validate the body with ajv: a wrong type is the catalog validation error naming the field', async () => {
    const response = await post({ count: 'many' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error_id).toBe('ih4005');
    expect(response.json().message).toContain('count');
  });

  it('coerce as Fastify does by default and serialize with the response schema', async () => {
    const response = await post({ count: '3' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ count: 3 });
  });
});
