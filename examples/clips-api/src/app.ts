import { renderHtml } from 'faultline/docs';
import { createErrorResponder, type ErrorResponder, fault, readJson } from 'faultline/fetch';
import { createMemoryStore, type Decision } from 'faultline/limits';
import { Hono } from 'hono';
import { clips, clipsFormat } from './catalog.ts';
import type { Config } from './config.ts';
import { clipsOpenApi } from './openapi.ts';
import type { Project, Store } from './store.ts';

/**
 * A project name that makes the server fail unexpectedly (documented test trigger).
 * @example { "video_url": "https://videos.example/a.mp4", "name": "test:internal_error" } // → 500
 */
export const CRASHING_NAME = 'test:internal_error';
const VIDEO_EXTENSIONS = new Set(['mp4', 'mov', 'webm', 'mkv', 'm4v']);

type Env = { Variables: { key: string } };

/**
 * The clips API (seed 002) on Hono, errors through `faultline/fetch`: `{data}` on success,
 * two error shapes by status, 15 requests a minute and 5 running projects per key.
 * @example const { app, respond } = buildApp(config, store); serve({ fetch: withFaultline(app.fetch, respond) });
 */
export function buildApp(
  config: Config,
  store: Store,
  now: () => number = Date.now,
): { app: Hono<Env>; respond: ErrorResponder } {
  const respond = createErrorResponder({
    catalog: clips,
    format: clipsFormat,
    now,
    faults: {
      notFound: ({ request }) =>
        clips.error('route_not_found', {
          method: request.method,
          path: new URL(request.url).pathname.slice(0, 100),
        }),
      methodNotAllowed: ({ request }) =>
        clips.error('route_not_found', {
          method: request.method,
          path: new URL(request.url).pathname.slice(0, 100),
        }),
      invalidJson: () => clips.error('invalid_body'),
      unsupportedMediaType: () => clips.error('invalid_body'),
      bodyTooLarge: () => clips.error('invalid_body'),
      validation: () => clips.error('invalid_body'),
      badRequest: () => clips.error('invalid_body'),
      internal: () => clips.error('internal_error'),
    },
  });
  const keys = new Set(config.keys);
  // The memory store decides synchronously; one exact sliding minute per key.
  const window = createMemoryStore({ now });
  const perMinute = { limit: config.ratePerMinute, windowSeconds: 60 };
  const app = new Hono<Env>();
  app.onError((error, c) => respond(error, c.req.raw));
  app.notFound((c) => respond(fault('notFound'), c.req.raw));

  app.get('/docs/errors', (c) => c.html(renderHtml(clips, { format: clipsFormat, now })));
  app.get('/openapi.json', (c) => c.json(clipsOpenApi(new URL(c.req.url).origin, now)));

  app.use('/api/*', async (c, next) => {
    const match = /^Bearer +(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
    if (!match) throw clips.error('missing_api_key');
    if (!keys.has(match[1]!)) throw clips.error('invalid_api_key');
    if (!(window.decide({ subject: match[1]!, rate: perMinute }) as Decision).allowed)
      throw clips.error('rate_limited', { limit: config.ratePerMinute });
    c.set('key', match[1]!);
    await next();
  });

  app.post('/api/v2/clips', async (c) => {
    const body = await readJson(c.req.raw, { limit: 64 * 1024 });
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw clips.error('invalid_body');
    const { video_url: videoUrl, name } = body as Record<string, unknown>;
    if (videoUrl === undefined || videoUrl === null || videoUrl === '')
      throw clips.error('missing_video_url');
    checkVideoUrl(videoUrl);
    if (name !== undefined && (typeof name !== 'string' || name.length > 200))
      throw clips.error('invalid_name');
    if (name === CRASHING_NAME) throw new Error('clipping queue unreachable (test trigger)');
    const key = c.get('key');
    if (store.running(key) >= config.maxRunningProjects)
      throw clips.error('too_many_projects', { limit: config.maxRunningProjects });
    const project = store.create(
      key,
      typeof name === 'string' ? name : 'Untitled project',
      videoUrl as string,
    );
    return c.json({ data: { id: project.id, name: project.name, status: project.status } });
  });

  app.get('/api/v2/clips/results/:id', (c) => {
    const id = c.req.param('id');
    const project = store.project(c.get('key'), id);
    if (!project) throw clips.error('project_not_found', { id: id.slice(0, 64) });
    return c.json({ data: view(project) });
  });

  return { app, respond };
}

function checkVideoUrl(value: unknown): void {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw clips.error('invalid_video_url');
  }
  if (typeof value !== 'string' || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    throw clips.error('invalid_video_url');
  const extension = /\.([A-Za-z0-9]{1,8})$/.exec(url.pathname)?.[1]?.toLowerCase();
  if (extension !== undefined && !VIDEO_EXTENSIONS.has(extension))
    throw clips.error('unsupported_video_format', { extension });
}

/** A project's `data`: clips once SUCCEEDED, `error_message` only when FAILED. */
function view(project: Project): Record<string, unknown> {
  const base = { id: project.id, project_id: project.id, name: project.name, status: project.status };
  if (project.status === 'FAILED') return { ...base, error_message: project.errorMessage };
  if (project.status !== 'SUCCEEDED') return base;
  return {
    ...base,
    clips: [0, 1, 2].map((i) => ({
      index: i,
      title: `${project.name}, part ${i + 1}`,
      start: i * 30,
      end: i * 30 + 25,
    })),
  };
}
