import Fastify from 'fastify';
import { transition } from 'faultline';
import { afterEach, describe, expect, it } from 'vitest';
import { signals } from '../../src/catalog.ts';
import { loadConfig } from '../../src/config.ts';
import { docsBaseOf, originOf, withLateDocsBase } from '../../src/docs-base.ts';

const apps: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

describe('the docs base of every link', () => {
  it('is the configured SIGNALS_DOCS_URL when there is one', () => {
    const app = Fastify();
    apps.push(app);
    const config = loadConfig({ SIGNALS_DOCS_URL: 'https://docs.example.test/errors' });
    expect(docsBaseOf(app, config)()).toBe('https://docs.example.test/errors');
  });

  it('is the port the server really bound once it listens (PORT=0)', async () => {
    const app = Fastify();
    apps.push(app);
    const config = loadConfig({ HOST: '127.0.0.1', PORT: '0' });
    const docsBase = docsBaseOf(app, config);
    expect(docsBase()).toBe('http://127.0.0.1:0/docs/errors');
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    expect(port).toBeGreaterThan(0);
    expect(docsBase()).toBe(`http://127.0.0.1:${port}/docs/errors`);
  });

  it('brackets IPv6 hosts and names wildcard binds localhost', () => {
    expect(originOf('::1', 8080)).toBe('http://[::1]:8080');
    expect(originOf('0.0.0.0', 8080)).toBe('http://localhost:8080');
  });
});

describe('withLateDocsBase', () => {
  const now = () => Date.parse('2026-06-01T00:00:00Z');
  const inner = transition({ legacyUntil: new Date('2027-01-01T00:00:00Z'), now });

  it('keeps the compiled fast path, byte for byte what encode answers, as the base changes', () => {
    let base = 'http://127.0.0.1:0/docs/errors';
    const format = withLateDocsBase(inner, () => base);
    const entry = signals.get('ih3004')!;
    const encoder = format.compile?.(entry, { now });
    expect(encoder).toBeTypeOf('function');
    for (const next of ['http://127.0.0.1:0/docs/errors', 'http://127.0.0.1:41234/docs/errors']) {
      base = next;
      const error = signals.error(
        'ih3004',
        { reset_time: '2026-06-02T00:00:00Z' },
        { retryAfterSeconds: 120 },
      );
      const fast = encoder!(error, 'c0ffee00-0000-4000-8000-000000000000')!;
      const slow = format.encode(error, { correlationId: 'c0ffee00-0000-4000-8000-000000000000', now });
      expect(fast.body).toBe(JSON.stringify(slow.body));
      expect(JSON.parse(fast.body).link).toBe(`${next}#${entry.slug}`);
      expect(fast.status).toBe(slow.status);
      expect({ ...fast.headers }).toMatchObject(slow.headers);
    }
  });
});
