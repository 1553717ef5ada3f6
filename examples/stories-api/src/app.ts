import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { nested } from 'faultline';
import { renderHtml } from 'faultline/docs';
import { faultlineFastify, frameworkErrors } from 'faultline/fastify';
import { createMemoryStore, type Decision } from 'faultline/limits';
import { invalid, parseBrief, storyId } from './brief.ts';
import { stories } from './catalog.ts';
import type { Config } from './config.ts';
import { storiesOpenApi } from './openapi.ts';
import { openStore, type Store, type Story } from './store.ts';

/**
 * Where an account buys more minutes (sent in `insufficient_minutes`).
 * @example stories.error('insufficient_minutes', { minutes_remaining: 2, minutes_required: 3, upgrade_url: UPGRADE_URL })
 */
export const UPGRADE_URL = 'https://stories.example/billing/upgrade';
const ID = /^brief_[0-9a-f]{16}$/;

declare module 'fastify' {
  interface FastifyRequest {
    storiesAccount: { id: string; allowance: number | null };
  }
}

/**
 * The story API (seed 004) on Fastify: nested errors with request ids, briefs validated field
 * by field, idempotent creation by brief content, minutes billed only for stories that finish,
 * and separate POST and GET limits.
 * @example const app = await buildApp(readConfig(process.env)); await app.listen({ port: 0 });
 */
export async function buildApp(config: Config, now: () => number = Date.now): Promise<FastifyInstance> {
  const store = openStore(config.database, config.jobSeconds, now);
  store.seed(config.keys);
  // The memory store decides synchronously; each kind has its own exact sliding minute per account.
  const window = createMemoryStore({ now });
  const limits = {
    POST: { limit: config.postPerMinute, windowSeconds: 60 },
    GET: { limit: config.getPerMinute, windowSeconds: 60 },
  };
  const app = Fastify({ logger: { level: process.env['LOG_LEVEL'] ?? 'warn' }, frameworkErrors });
  app.addHook('onClose', async () => store.close());

  await app.register(faultlineFastify, {
    catalog: stories,
    format: nested,
    now,
    faults: {
      notFound: ({ request }) =>
        stories.error(
          'not_found',
          { id: request.url.split('?')[0]!.slice(0, 80) },
          { message: 'No endpoint matches this path.' },
        ),
      methodNotAllowed: () =>
        stories.error('invalid_request', {
          count: 1,
          details: [{ field: 'method', issue: 'is not accepted on this path' }],
        }),
      invalidJson: () => invalid([{ field: 'body', issue: 'is not valid JSON' }]),
      unsupportedMediaType: () => invalid([{ field: 'content-type', issue: 'must be application/json' }]),
      bodyTooLarge: () => invalid([{ field: 'body', issue: 'is larger than 1 MB' }]),
      validation: ({ field }) => invalid([{ field: field ?? 'body', issue: 'is invalid' }]),
      badRequest: () => invalid([{ field: 'body', issue: 'could not be read' }]),
      // Seed 004 documents no generic 500 code; an unexpected failure is answered as the
      // service being unable to proceed safely, which its clients already retry.
      internal: () =>
        stories.error(
          'server_misconfigured',
          {},
          { message: 'The server failed unexpectedly; retry later and quote the request_id.' },
        ),
    },
  });

  app.get('/docs/errors', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(renderHtml(stories, { format: nested })),
  );
  app.get('/openapi.json', async (request) => storiesOpenApi(`${request.protocol}://${request.host}`));

  await app.register(async (api) => {
    api.decorateRequest('storiesAccount', null as never);
    api.addHook('onRequest', async (request) => authenticate(request));
    routes(api, store, now);
  });

  function authenticate(request: FastifyRequest): void {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer +(\S+)\s*$/i.exec(header) : null;
    if (!match) throw stories.error('missing_api_key');
    const account = store.account(match[1]!);
    if (!account) throw stories.error('invalid_api_key');
    const kind = request.method === 'POST' ? 'POST' : 'GET';
    const decision = window.decide({ subject: `${kind} ${account.id}`, rate: limits[kind] }) as Decision;
    const wait = decision.allowed ? 0 : Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    if (wait > 0)
      throw stories.error('rate_limit_exceeded', { kind, retry_after: wait }, { retryAfterSeconds: wait });
    request.storiesAccount = account;
  }

  return app;
}

function routes(api: FastifyInstance, store: Store, now: () => number): void {
  api.post('/api/v1/stories', async (request, reply) => {
    const brief = parseBrief(request.body);
    const id = storyId(request.storiesAccount.id, brief);
    const existing = store.story(id);
    if (existing?.status === 'ready') return view(existing);
    if (existing?.status === 'generating') return reply.code(202).send(view(existing));
    const allowance = request.storiesAccount.allowance;
    if (allowance === null) throw stories.error('server_misconfigured');
    const { used, held } = store.usage(request.storiesAccount.id);
    const remaining = Math.max(0, allowance - used - held);
    if (remaining < brief.duration_minutes)
      throw stories.error('insufficient_minutes', {
        minutes_remaining: remaining,
        minutes_required: brief.duration_minutes,
        upgrade_url: UPGRADE_URL,
      });
    return reply.code(202).send(view(store.start(id, request.storiesAccount.id, brief)));
  });

  api.get<{ Params: { id: string } }>('/api/v1/stories/:id', async (request) => {
    const id = request.params.id;
    if (!ID.test(id)) throw stories.error('invalid_id', { id: id.slice(0, 64) });
    const story = store.story(id);
    if (!story || story.account !== request.storiesAccount.id) throw stories.error('not_found', { id });
    return view(story);
  });

  api.get('/api/v1/usage', async (request) => {
    const { used, held } = store.usage(request.storiesAccount.id);
    const allowance = request.storiesAccount.allowance;
    return {
      minutes_used: used,
      minutes_held: held,
      minutes_allowance: allowance,
      minutes_remaining: allowance === null ? null : Math.max(0, allowance - used - held),
      at: new Date(now()).toISOString(),
    };
  });
}

/** The public view of a story; a ready one's cached content must parse, or it is a corrupt entry. */
function view(story: Story): Record<string, unknown> {
  if (story.status === 'generating') return { id: story.id, status: 'generating', minutes: story.minutes };
  if (story.status === 'failed')
    return { id: story.id, status: 'failed', error: story.error, minutes_charged: 0 };
  let content: unknown;
  try {
    content = JSON.parse(story.content ?? '');
  } catch (cause) {
    throw stories.error('corrupt_cache_entry', { id: story.id }, { cause });
  }
  return { id: story.id, status: 'ready', minutes_charged: story.minutes, story: content };
}
