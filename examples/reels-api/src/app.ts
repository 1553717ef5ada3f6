import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { flat } from 'faultline';
import { renderHtml } from 'faultline/docs';
import { faultlineFastify, frameworkErrors } from 'faultline/fastify';
import { createMemoryStore, type Decision } from 'faultline/limits';
import { reels } from './catalog.ts';
import type { Config } from './config.ts';
import { reelsOpenApi } from './openapi.ts';
import { openStore } from './store.ts';

/**
 * A Reel shortcode that makes the server fail unexpectedly (documented test trigger).
 * @example { "url": "https://www.instagram.com/reel/TESTINTERNAL/" } // → 500
 */
export const CRASHING_REEL = 'TESTINTERNAL';

declare module 'fastify' {
  interface FastifyRequest {
    reelsToken: string;
  }
}

/**
 * The reels analysis API (seed 003) on Fastify: flat errors, `ist_` tokens, URL checks that
 * name the host, 202 jobs with final states, 10 requests a minute and 3 running jobs per token.
 * @example const app = await buildApp(readConfig(process.env)); await app.listen({ port: 0 });
 */
export async function buildApp(config: Config, now: () => number = Date.now): Promise<FastifyInstance> {
  const store = openStore(config.database, config, now);
  const tokens = new Set(config.tokens);
  // The memory store decides synchronously; one exact sliding minute per token.
  const window = createMemoryStore({ now });
  const perMinute = { limit: config.ratePerMinute, windowSeconds: 60 };
  const app = Fastify({ logger: { level: process.env['LOG_LEVEL'] ?? 'warn' }, frameworkErrors });
  app.addHook('onClose', async () => store.close());

  await app.register(faultlineFastify, {
    catalog: reels,
    format: flat,
    now,
    faults: {
      notFound: () => reels.error('not_found'),
      methodNotAllowed: () => reels.error('not_found'),
      invalidJson: () => reels.error('invalid_body'),
      unsupportedMediaType: () => reels.error('invalid_body'),
      bodyTooLarge: () => reels.error('invalid_body'),
      validation: () => reels.error('invalid_body'),
      badRequest: () => reels.error('invalid_body'),
      internal: () => reels.error('internal_error'),
    },
  });

  app.get('/docs/errors', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(renderHtml(reels, { format: flat })),
  );
  app.get('/openapi.json', async (request) => reelsOpenApi(`${request.protocol}://${request.host}`));

  await app.register(async (api) => {
    api.decorateRequest('reelsToken', '');
    api.addHook('onRequest', async (request) => {
      const header = request.headers.authorization;
      const match = typeof header === 'string' ? /^Bearer +(\S+)\s*$/i.exec(header) : null;
      if (!match) throw reels.error('token_missing');
      if (!tokens.has(match[1]!)) throw reels.error('token_invalid');
      if (!(window.decide({ subject: match[1]!, rate: perMinute }) as Decision).allowed)
        throw reels.error('rate_limited', { limit: config.ratePerMinute });
      request.reelsToken = match[1]!;
    });

    api.post('/api/v1/reels/analyze', async (request: FastifyRequest, reply) => {
      const body = request.body;
      if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body)))
        throw reels.error('invalid_body');
      const url = (body as { url?: unknown } | undefined)?.url;
      if (url === undefined || url === null || url === '') throw reels.error('url_required');
      if (typeof url !== 'string') throw reels.error('invalid_url');
      const shortcode = reelShortcode(url);
      if (shortcode === CRASHING_REEL) throw new Error('analysis queue unreachable (test trigger)');
      if (store.running(request.reelsToken) >= config.maxConcurrentJobs)
        throw reels.error('too_many_jobs', { limit: config.maxConcurrentJobs });
      const job = store.create(request.reelsToken, url, shortcode);
      return reply.code(202).send({ id: job.id, status: job.status });
    });

    api.get<{ Params: { id: string } }>('/api/v1/reels/:id', async (request) => {
      const id = /^[1-9]\d{0,15}$/.test(request.params.id) ? Number(request.params.id) : undefined;
      const job = id === undefined ? undefined : store.job(request.reelsToken, id);
      if (!job) throw reels.error('not_found');
      return job;
    });
  });

  return app;
}

/** The shortcode of an Instagram Reel or post link; the errors name what is wrong with it. */
function reelShortcode(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw reels.error('invalid_url');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw reels.error('invalid_url');
  const host = url.hostname.toLowerCase();
  if (host !== 'instagram.com' && !host.endsWith('.instagram.com'))
    throw reels.error('url_not_instagram', { host: host.replace(/^www\./, '').slice(0, 100) });
  const match = /^\/(?:reel|reels|p)\/([A-Za-z0-9_-]{1,64})\/?$/.exec(url.pathname);
  if (!match) throw reels.error('url_not_reel');
  return match[1]!;
}
