import type { FastifyPluginAsync } from 'fastify';
import type { WireFormat } from 'faultline';
import { signals } from '../catalog.ts';

/**
 * Options of the docs routes.
 * @example await app.register(docsRoutes, { format, docsBase: () => config.docsUrl ?? 'http://localhost:8080/docs/errors', now: Date.now });
 */
export interface DocsRouteOptions {
  /** The format errors are answered in, so examples on the page match the wire. */
  readonly format: WireFormat;
  /** Base URL of the docs page (read per request: the port may be known only after listen). */
  readonly docsBase: () => string;
  readonly now: () => number;
}

/**
 * `GET /docs/errors` (HTML, one anchor per entry), `GET /docs/errors.md` and
 * `GET /openapi.json`, all generated from the catalog. Pages are cached per docs base and
 * per side of the legacy sunset, the two things that change their content.
 * @example await app.register(docsRoutes, { format, docsBase: () => 'http://localhost:8080/docs/errors', now });
 */
export const docsRoutes: FastifyPluginAsync<DocsRouteOptions> = async (app, { format, docsBase, now }) => {
  const cache = new Map<string, string>();
  const page = async (kind: 'html' | 'md' | 'openapi'): Promise<string> => {
    const base = docsBase();
    // The example bodies change shape at the sunset: key the cache on the encoded example's keys.
    const key = `${kind}|${base}|${exampleShape(format, now)}`;
    let text = cache.get(key);
    if (text === undefined) {
      const { renderHtml, renderMarkdown, documented, serviceOpenApi } = await renderers();
      const options = { format, docsBase: base, now };
      text =
        kind === 'html'
          ? renderHtml(documented, options)
          : kind === 'md'
            ? renderMarkdown(documented, options)
            : JSON.stringify(serviceOpenApi(options));
      cache.set(key, text);
    }
    return text;
  };

  app.get('/docs/errors', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(await page('html')),
  );
  app.get('/docs/errors.md', async (_request, reply) =>
    reply.type('text/markdown; charset=utf-8').send(await page('md')),
  );
  app.get('/openapi.json', async (_request, reply) =>
    reply.type('application/json; charset=utf-8').send(await page('openapi')),
  );
};

/**
 * The page renderers and the OpenAPI builder, loaded on the first docs request: a service
 * that never serves its docs does not keep their code (and the schema modules behind it)
 * live in the heap, which every full GC walks.
 */
async function renderers() {
  const [docs, { documented }, { serviceOpenApi }] = await Promise.all([
    import('faultline/docs'),
    import('../documented.ts'),
    import('../openapi.ts'),
  ]);
  return { renderHtml: docs.renderHtml, renderMarkdown: docs.renderMarkdown, documented, serviceOpenApi };
}

/** Which fields an error body has right now (legacy + structured, or structured only). */
function exampleShape(format: WireFormat, now: () => number): string {
  const sample = format.encode(signals.error('ih4006'), { correlationId: '-', now });
  return Object.keys(sample.body).join(',');
}
