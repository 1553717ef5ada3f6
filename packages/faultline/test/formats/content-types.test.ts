import { afterAll, describe, expect, it } from 'vitest';
import {
  byStatus,
  envelope,
  flat,
  legacy,
  nested,
  problem,
  spring,
  structured,
  trace,
  transition,
  type WireFormat,
} from '../../src/formats/index.ts';
import { expressAdapter } from '../server/apps/express-app.ts';
import { fastifyAdapter } from '../server/apps/fastify-app.ts';
import { fetchAdapter } from '../server/apps/fetch-app.ts';
import type { Adapter, RunningApp } from '../server/harness.ts';

// Each format's media type, exactly as IANA registers it. Neither registration defines a
// parameter (RFC 8259 §11: "No 'charset' parameter is defined"; RFC 9457 §6.1 likewise), and
// strict RFC 9457 parsers compare the media type verbatim, so nothing may be appended.
const REGISTERED: ReadonlyArray<readonly [WireFormat, string]> = [
  [structured, 'application/json'],
  [legacy, 'application/json'],
  [transition({ legacyUntil: Date.UTC(2999, 0, 1) }), 'application/json'],
  [envelope, 'application/json'],
  [nested, 'application/json'],
  [trace, 'application/json'],
  [spring, 'application/json'],
  [flat, 'application/json'],
  [problem, 'application/problem+json'],
];

describe('content types match their registrations', () => {
  it.each(REGISTERED.map(([format, type]) => [format.name, format, type] as const))(
    '%s declares %s',
    (_name, format, type) => {
      expect(format.contentType).toBe(type);
    },
  );

  it('byStatus states each status its own format’s type', () => {
    const mixed = byStatus({ 400: trace, 429: problem }, structured);
    expect(mixed.contentType).toBe('application/json');
  });
});

describe.each([fastifyAdapter, expressAdapter, fetchAdapter] as Adapter[])(
  'on the wire through the $name adapter',
  (adapter) => {
    const apps: RunningApp[] = [];
    afterAll(async () => {
      await Promise.all(apps.map((app) => app.close()));
    });

    it.each([
      ['problem', problem, 'application/problem+json'],
      ['structured', structured, 'application/json'],
    ] as const)('%s errors carry exactly %s', async (_name, format, type) => {
      const app = await adapter.start({ format, coverage: false });
      apps.push(app);
      // An app error and a framework error (unknown route) both leave through faultline.
      for (const path of ['/widgets/w1', '/no/such/route']) {
        const res = await fetch(`${app.url}${path}`);
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.headers.get('content-type')).toBe(type);
        expect(JSON.parse(await res.text())).toBeTypeOf('object');
      }
    });
  },
);
