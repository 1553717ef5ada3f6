import { frameworkCatalog } from 'faultline/fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawExchange } from '../support/raw.ts';
import { LEGACY_UNTIL, startServer, type TestServer, type TransitionMode } from '../support/server.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HEAD = 'Host: signals.test\r\n';

/** A JSON body of `size` bytes for POST /v0/auth (valid JSON, just too big). */
function authBody(size: number): string {
  const body = JSON.stringify({ key_id: 'k', key_secret: 's', scopes: ['interhumanai.upload'], pad: '' });
  return body.replace('"pad":""', `"pad":"${'x'.repeat(size - body.length)}"`);
}
const bigAuth = authBody(20 * 1024);

/**
 * Requests that Node's parser or Fastify refuse before any route runs, written byte by byte
 * (no HTTP client would send most of them). Each must be answered with a catalog body and
 * X-Correlation-ID, never with Node's bare status line or Fastify's own JSON.
 */
const ANSWERED: ReadonlyArray<readonly [what: string, request: string, status: number, id: string]> = [
  ['bad percent-encoding in the path', `GET /docs/errors%ZZ HTTP/1.1\r\n${HEAD}\r\n`, 400, 'bad_request'],
  ['bad percent-encoding under /v0', `GET /v0/auth%ZZ HTTP/1.1\r\n${HEAD}\r\n`, 400, 'bad_request'],
  [
    'headers over 16 KiB',
    `GET /healthz HTTP/1.1\r\n${HEAD}X-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    431,
    'headers_too_large',
  ],
  ['a malformed request line', `GET /healthz HTTP/1.1 trailing\r\n${HEAD}\r\n`, 400, 'bad_request'],
  ['an unknown HTTP version', `GET /healthz HTTP/7.3\r\n${HEAD}\r\n`, 400, 'bad_request'],
  ['a method with illegal characters', `G(T /healthz HTTP/1.1\r\n${HEAD}\r\n`, 400, 'bad_request'],
  [
    'a header line without a colon',
    `GET /healthz HTTP/1.1\r\n${HEAD}no colon here\r\n\r\n`,
    400,
    'bad_request',
  ],
  [
    'a non-numeric Content-Length',
    `POST /v0/auth HTTP/1.1\r\n${HEAD}Content-Length: ten\r\n\r\n`,
    400,
    'bad_request',
  ],
  [
    'both Content-Length and Transfer-Encoding (a smuggling attempt)',
    `POST /v0/auth HTTP/1.1\r\n${HEAD}Content-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    400,
    'bad_request',
  ],
  [
    'an Expect other than 100-continue',
    `GET /healthz HTTP/1.1\r\n${HEAD}Expect: teapot\r\n\r\n`,
    417,
    'expectation_failed',
  ],
  [
    'an auth body over its 16 KiB limit',
    `POST /v0/auth HTTP/1.1\r\n${HEAD}Content-Type: application/json\r\nContent-Length: ${bigAuth.length}\r\n\r\n${bigAuth}`,
    413,
    'payload_too_large',
  ],
];

describe.each(['legacy', 'structured'] as const)(
  'framework-level answers over raw sockets (%s errors)',
  (mode: TransitionMode) => {
    let server: TestServer;
    let docs = '';

    beforeAll(async () => {
      server = await startServer({ SIGNALS_LEGACY_UNTIL: LEGACY_UNTIL[mode] });
      docs = await (await fetch(`${server.url}/docs/errors`)).text();
    });
    afterAll(async () => {
      await server?.stop();
    });

    it.each(ANSWERED.map(([what, request, status, id]) => [what, status, id, request] as const))(
      '%s → %i %s, with a catalog body and X-Correlation-ID',
      async (_what, status, id, request) => {
        const { response, raw } = await rawExchange(server.url, request);
        expect(response, raw.slice(0, 300)).toBeDefined();
        expect(response!.status).toBe(status);
        expect(response!.headers.get('content-type')).toBe('application/json');
        const correlationId = response!.headers.get('x-correlation-id');
        expect(correlationId).toMatch(UUID);
        const body = (await response!.json()) as Record<string, unknown>;
        const entry = frameworkCatalog.get(id)!;
        expect(body).toMatchObject({ error_id: id, correlation_id: correlationId, message: entry.message });
        expect(String(body['link'])).toMatch(new RegExp(`^http://[^#]+/docs/errors#${entry.slug}$`));
        expect(docs).toContain(`id="${entry.slug}"`);
        expect(Object.keys(body).includes('status_code')).toBe(mode === 'legacy');
        expect(raw).not.toMatch(/FST_ERR|"statusCode"|Client Error/);
        // A body limit on /v0/auth is not the upload's: nothing may speak of 100 MB.
        expect(JSON.stringify(body)).not.toMatch(/100 MB/);
      },
    );

    it('answers a pipelined bad request after the good one before it, in order', async () => {
      const { raw } = await rawExchange(
        server.url,
        `GET /healthz HTTP/1.1\r\n${HEAD}\r\nGET /healthz HTTP/1.1 trailing\r\n${HEAD}\r\n`,
        { untilClose: true },
      );
      const statuses = [...raw.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
      expect(statuses).toEqual([200, 400]);
      expect(raw.slice(raw.lastIndexOf('HTTP/1.1 400'))).toContain('"error_id":"bad_request"');
    });

    // Where HTTP leaves no room for an answer, the connection is closed and the server goes on.
    it('closes without an answer when the client resets mid-request (no one left to answer)', async () => {
      const { response, closed } = await rawExchange(server.url, `GET /healthz HTTP/1.1\r\nHo`, {
        reset: true,
      });
      expect(response).toBeUndefined();
      expect(closed).toBe(true);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    });

    it('closes without an answer when a chunked body breaks mid-way (the route already owns that exchange)', async () => {
      // The request line and headers were fine, so the route took the request and is reading its
      // body; the broken chunk size leaves it nothing to finish with, and HTTP/1.1 has no place
      // for a second answer to the same request. Closing ends the route's read and its clean-up.
      const { response, closed } = await rawExchange(
        server.url,
        `POST /v0/auth HTTP/1.1\r\n${HEAD}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\nZZ\r\n`,
        { untilClose: true },
      );
      expect(closed).toBe(true);
      expect(response).toBeUndefined();
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    });

    it('answers, then closes, when the client half-closes mid-headers (the request can never be completed)', async () => {
      const { response, closed } = await rawExchange(
        server.url,
        `GET /healthz HTTP/1.1\r\n${HEAD}X-Partial: y`,
        {
          end: true,
          untilClose: true,
        },
      );
      expect(closed).toBe(true);
      expect(response?.status).toBe(400);
      expect(await response?.json()).toMatchObject({ error_id: 'bad_request' });
    });
  },
);
