import { expect } from 'vitest';
import { signals } from '../../src/catalog.ts';

/**
 * Which side of the legacy sunset a server is on.
 * @example await expectCatalogError(res, 'ih2006', { transitionMode: 'legacy' satisfies TransitionMode });
 */
export type TransitionMode = 'legacy' | 'structured';

const STRUCTURED_KEYS = ['error_id', 'correlation_id', 'link', 'message'];
const LEGACY_KEYS = ['detail', 'status_code', 'extra'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** What must never reach a client: file paths, stack frames, SQL and database errors. */
const INTERNALS = [
  /\/(?:home|work|tmp|usr|var|root|opt|srv)\//i,
  /\.(?:ts|js|mjs|cjs)\b(?::\d+)?/,
  /\bat [\w.<>]+ \(/,
  /node:internal|node_modules/,
  /\bSQLITE_|sqlite|no such table|constraint failed/i,
  /\b(?:SELECT|INSERT|UPDATE|DELETE)\s+(?:\*|\w+\s+FROM|INTO|\w+\s+SET)/i,
  /\b(?:TypeError|ReferenceError|RangeError|SyntaxError|Error):/,
];

const docsPages = new Map<string, Promise<string>>();

/**
 * Asserts a response is exactly catalog error `id` as the service must send it, and returns
 * the parsed body. Checks: status = the catalog's; `X-Correlation-ID` = body `correlation_id`
 * (a UUID); the exact field set of the mode (legacy: + detail/status_code/extra and
 * `Deprecation`/`Sunset` headers; structured: neither); the entry's extra fields; `Retry-After`
 * when the entry is retryable; `link` = `<docs page>#<slug>` and that anchor exists on the
 * docs page it names; no paths, stack frames or SQL anywhere in the body.
 * @example
 * const body = await expectCatalogError(await fetch(url), 'ih2006', { transitionMode: 'structured' });
 */
export async function expectCatalogError(
  response: Response,
  id: string,
  options: { readonly transitionMode: TransitionMode },
): Promise<Record<string, unknown>> {
  const entry = signals.get(id);
  if (!entry) throw new Error(`expectCatalogError: ${id} is not in the signals catalog`);
  const text = await response.text();
  const context = `${id} (got ${response.status} ${text.slice(0, 300)})`;

  expect(response.status, context).toBe(entry.status);
  expect(response.headers.get('content-type'), context).toMatch(/^application\/json/);
  const body = JSON.parse(text) as Record<string, unknown>;
  expect(body['error_id'], context).toBe(id);

  const correlationId = response.headers.get('x-correlation-id');
  expect(correlationId, context).toMatch(UUID);
  expect(body['correlation_id'], context).toBe(correlationId);

  const expectedKeys = [
    ...(options.transitionMode === 'legacy' ? LEGACY_KEYS : []),
    ...STRUCTURED_KEYS,
    ...entry.fields,
  ];
  expect(Object.keys(body).sort(), context).toEqual([...expectedKeys].sort());
  expect(typeof body['message'] === 'string' && body['message'].length > 0, context).toBe(true);
  if (entry.params.length === 0) expect(body['message'], context).toBe(entry.message);

  if (options.transitionMode === 'legacy') {
    expect(body['detail'], context).toBe(body['message']);
    expect(body['status_code'], context).toBe(entry.status);
    expect(body['extra'], context).toEqual(Object.fromEntries(entry.fields.map((f) => [f, body[f]])));
    expect(response.headers.get('deprecation'), context).toMatch(/^@\d+$/);
    expect(Number.isNaN(Date.parse(response.headers.get('sunset') ?? '')), context).toBe(false);
  } else {
    expect(response.headers.get('deprecation'), context).toBeNull();
    expect(response.headers.get('sunset'), context).toBeNull();
  }

  const retryAfter = response.headers.get('retry-after');
  if (entry.retryable) expect(retryAfter, `${context}: retryable entries send Retry-After`).toMatch(/^\d+$/);

  const link = String(body['link']);
  expect(link, context).toMatch(new RegExp(`^https?://[^#]+#${entry.slug}$`));
  const page = await docsPage(link.slice(0, link.indexOf('#')));
  expect(page.includes(`id="${entry.slug}"`), `${context}: anchor #${entry.slug} on the docs page`).toBe(
    true,
  );

  for (const pattern of INTERNALS)
    expect(text, `${context}: leaks internals (${pattern})`).not.toMatch(pattern);
  return body;
}

function docsPage(url: string): Promise<string> {
  let page = docsPages.get(url);
  if (!page) {
    page = fetch(url).then(async (res) => {
      if (!res.ok) throw new Error(`docs page ${url} answered ${res.status}`);
      return res.text();
    });
    // Servers come and go between tests (new ports): forget failures so a retry refetches.
    page.catch(() => docsPages.delete(url));
    docsPages.set(url, page);
  }
  return page;
}
