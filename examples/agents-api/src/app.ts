import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { envelope } from 'faultline';
import { renderHtml } from 'faultline/docs';
import { faultlineFastify, frameworkErrors } from 'faultline/fastify';
import { agents } from './catalog.ts';
import type { Config } from './config.ts';
import { authFailures, tokenBuckets } from './limits.ts';
import { describe, LIMITS, MAX_UPLOAD, sniff } from './media.ts';
import { agentsOpenApi } from './openapi.ts';
import { openStore, type Store } from './store.ts';

/**
 * Credits one generation costs.
 * @example if (balance < GENERATE_COST) throw agents.error('INSUFFICIENT_BALANCE', { required: GENERATE_COST, balance });
 */
export const GENERATE_COST = 10;
/**
 * Credits one spoken message costs, billed as it runs (so a balance may go below zero).
 * @example store.charge(account, SPEAK_COST);
 */
export const SPEAK_COST = 1;
/**
 * Below this balance an account is suspended.
 * @example if (balance < SUSPENSION_FLOOR) throw agents.error('ACCOUNT_SUSPENDED', { balance });
 */
export const SUSPENSION_FLOOR = -11;
/**
 * A prompt that makes the server fail unexpectedly (documented test trigger for INTERNAL_ERROR).
 * @example await fetch(`${url}/v1/agent/generate`, { method: 'POST', body: JSON.stringify({ prompt: CRASHING_PROMPT }) });
 */
export const CRASHING_PROMPT = 'test:internal_error';

declare module 'fastify' {
  interface FastifyRequest {
    agentsAccount: { id: string; balance: number };
  }
}

type Body = Record<string, unknown>;

/**
 * The agents API (seed 001) on Fastify: envelope errors, api-secret auth with failed-auth
 * throttling, per-account token buckets, uploads checked by content, async generation.
 * @example const app = await buildApp(readConfig(process.env), Date.now); await app.listen({ port: 0 });
 */
export async function buildApp(config: Config, now: () => number = Date.now): Promise<FastifyInstance> {
  const store: Store = openStore(config.database, config.jobSeconds, now);
  store.seed(config.keys);
  const buckets = tokenBuckets(config.ratePerMinute, now);
  const guard = authFailures(config.authFailuresPerMinute, now);
  const app = Fastify({
    logger: { level: process.env['LOG_LEVEL'] ?? 'warn' },
    frameworkErrors,
    trustProxy: config.trustProxy,
  });
  app.addHook('onClose', async () => store.close());

  await app.register(faultlineFastify, {
    catalog: agents,
    format: envelope,
    now,
    faults: {
      notFound: () => agents.error('NOT_FOUND', { code: '' }, { message: 'No endpoint matches this path.' }),
      methodNotAllowed: () =>
        agents.error('NOT_FOUND', { code: '' }, { message: 'This endpoint does not take that method.' }),
      invalidJson: () => agents.error('VALIDATION_ERROR', { reason: 'the body is not valid JSON' }),
      validation: ({ field }) =>
        agents.error('VALIDATION_ERROR', { reason: `${field ?? 'body'} is invalid` }),
      badRequest: () => agents.error('VALIDATION_ERROR', { reason: 'the request could not be read' }),
      unsupportedMediaType: () =>
        agents.error(
          'UNSUPPORTED_TYPE',
          { seen: 'request body' },
          { message: 'Send JSON, or the raw file bytes to /v1/files/upload.' },
        ),
      bodyTooLarge: ({ request }) =>
        request.url.startsWith('/v1/files/')
          ? agents.error('FILE_TOO_LARGE', {
              kind: 'video',
              size: Number(request.headers['content-length'] ?? 0),
              limit: MAX_UPLOAD,
            })
          : agents.error('VALIDATION_ERROR', { reason: 'the JSON body is larger than 1 MB' }),
      internal: () => agents.error('INTERNAL_ERROR'),
    },
  });

  // Seed 001 sends X-Request-Id on every response, not only on errors.
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.correlationId);
  });

  for (const type of ['application/octet-stream', 'application/pdf', /^image\//, /^video\//, /^audio\//])
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: MAX_UPLOAD + 1 }, (_request, body, done) =>
      done(null, body),
    );

  app.get('/docs/errors', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(renderHtml(agents, { format: envelope })),
  );
  app.get('/openapi.json', async (request) => agentsOpenApi(`${request.protocol}://${request.host}`));

  await app.register(async (api) => {
    api.decorateRequest('agentsAccount', null as never);
    api.addHook('onRequest', async (request, reply) => authenticate(request, reply.header.bind(reply)));
    routes(api, store, config);
  });

  /** api-secret check, failed-auth throttling per address, suspension, then the token bucket. */
  function authenticate(request: FastifyRequest, header: (name: string, value: string) => unknown): void {
    const ip = request.ip;
    const blocked = guard.blockedFor(ip);
    if (blocked > 0)
      throw agents.error(
        'RATE_LIMITED',
        { seconds: blocked },
        {
          retryAfterSeconds: blocked,
          message: `Too many failed authentications from this address; wait ${blocked} s.`,
        },
      );
    const secret = request.headers['api-secret'];
    if (typeof secret !== 'string' || secret === '') {
      guard.fail(ip);
      throw agents.error('MISSING_AUTH');
    }
    const account = store.account(secret);
    if (!account) {
      guard.fail(ip);
      throw agents.error('UNAUTHORIZED');
    }
    if (account.balance < SUSPENSION_FLOOR)
      throw agents.error('ACCOUNT_SUSPENDED', { balance: account.balance });
    const bucket = buckets.take(account.id);
    for (const [name, value] of Object.entries(bucket.headers)) header(name, value);
    if (!bucket.allowed)
      throw agents.error(
        'RATE_LIMITED',
        { seconds: bucket.retryAfter },
        { retryAfterSeconds: bucket.retryAfter, headers: bucket.headers },
      );
    request.agentsAccount = account;
  }

  return app;
}

function routes(api: FastifyInstance, store: Store, config: Config): void {
  api.get('/v1/account', async (request) => ({
    success: true,
    balance: store.balance(request.agentsAccount.id),
  }));

  api.post('/v1/agent/generate', async (request) => {
    const body = objectBody(request.body);
    const prompt = requiredString(body, 'prompt');
    if (prompt.length > 10_000)
      throw agents.error('VALIDATION_ERROR', { reason: 'prompt is longer than 10000 characters' });
    // A documented test trigger: a genuine unexpected failure, answered as INTERNAL_ERROR.
    if (prompt.startsWith(CRASHING_PROMPT)) throw new Error('generation backend crashed (test trigger)');
    const balance = store.balance(request.agentsAccount.id);
    if (balance < GENERATE_COST)
      throw agents.error('INSUFFICIENT_BALANCE', { required: GENERATE_COST, balance });
    if (store.busyWorkers() >= config.workers) throw agents.error('NO_AVAILABLE_WORKERS');
    const agent = store.createAgent(request.agentsAccount.id, prompt, GENERATE_COST);
    return { success: true, agent_id: agent.code, status: agent.status };
  });

  api.get<{ Params: { id: string } }>('/v1/agent/status/:id', async (request) => {
    const agent = ownAgent(store, request.params.id, request.agentsAccount.id);
    return {
      success: true,
      agent_id: agent.code,
      status: agent.status,
      ...(agent.status === 'failed' ? { error_message: agent.errorMessage } : {}),
      created_at: new Date(agent.createdAt).toISOString(),
    };
  });

  api.post<{ Params: { code: string } }>('/v1/agent/:code/session', async (request) => {
    const agent = ownAgent(store, request.params.code, request.agentsAccount.id);
    if (agent.status !== 'ready')
      throw agents.error('VALIDATION_ERROR', {
        reason: `agent ${agent.code} is not ready yet (status ${agent.status})`,
      });
    const existing = store.room(agent.code);
    if (existing) return { success: true, room_id: existing, agent_id: agent.code };
    if (store.activeSessions(request.agentsAccount.id) >= config.maxSessions)
      throw agents.error('SESSION_LIMIT', { limit: config.maxSessions });
    return {
      success: true,
      room_id: store.openRoom(agent.code, request.agentsAccount.id),
      agent_id: agent.code,
    };
  });

  api.delete<{ Params: { code: string } }>('/v1/agent/:code/session', async (request) => {
    const agent = ownAgent(store, request.params.code, request.agentsAccount.id);
    const room = liveRoom(store, agent.code);
    store.closeRoom(room);
    return { success: true, room_id: room, ended: true };
  });

  api.post<{ Params: { code: string } }>('/v1/agent/:code/speak', async (request) => {
    const agent = ownAgent(store, request.params.code, request.agentsAccount.id);
    const message = requiredString(objectBody(request.body), 'message');
    const room = liveRoom(store, agent.code);
    store.record(agent.code, 'speak', message);
    // Sessions are billed as they run: this may take the balance below zero, down to the floor.
    store.charge(request.agentsAccount.id, SPEAK_COST);
    return { success: true, room_id: room };
  });

  api.post<{ Params: { code: string } }>('/v1/agent/:code/add-context', async (request) => {
    const agent = ownAgent(store, request.params.code, request.agentsAccount.id);
    const context = requiredString(objectBody(request.body), 'context');
    const room = liveRoom(store, agent.code);
    store.record(agent.code, 'context', context);
    return { success: true, room_id: room };
  });

  api.post('/v1/files/upload', { bodyLimit: MAX_UPLOAD + 1 }, async (request) => {
    const bytes = Buffer.isBuffer(request.body)
      ? new Uint8Array(request.body)
      : await download(requiredString(objectBody(request.body), 'file_url'));
    const type = sniff(bytes);
    if (!type) throw agents.error('UNSUPPORTED_TYPE', { seen: describe(bytes) });
    const limit = LIMITS[type.kind];
    if (bytes.byteLength > limit)
      throw agents.error('FILE_TOO_LARGE', { kind: type.kind, size: bytes.byteLength, limit });
    const file = store.addFile(request.agentsAccount.id, type.kind, type.mime, bytes);
    return {
      success: true,
      file_id: file.id,
      type: type.mime,
      kind: type.kind,
      size: bytes.byteLength,
      sha256: file.sha256,
    };
  });
}

function objectBody(body: unknown): Body {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body) || Buffer.isBuffer(body))
    throw agents.error('VALIDATION_ERROR', { reason: 'the body must be a JSON object' });
  return body as Body;
}

function requiredString(body: Body, name: string): string {
  const value = body[name];
  if (value === undefined || value === null || value === '') throw agents.error('MISSING_PARAM', { name });
  if (typeof value !== 'string')
    throw agents.error('VALIDATION_ERROR', { reason: `${name} must be a string` });
  return value;
}

function ownAgent(store: Store, code: string, account: string) {
  const agent = store.agent(code);
  // Another account's agent is reported exactly like a missing one.
  if (!agent || agent.account !== account) throw agents.error('NOT_FOUND', { code: code.slice(0, 64) });
  return agent;
}

function liveRoom(store: Store, code: string): string {
  const room = store.room(code);
  if (!room)
    throw agents.error('NOT_FOUND', { code }, { message: `No active rooms found for agent ${code}` });
  return room;
}

/** Fetches `file_url` (http or https only), reading at most one byte past the largest limit. */
async function download(url: string): Promise<Uint8Array> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw agents.error('VALIDATION_ERROR', { reason: 'file_url is not a URL' });
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    throw agents.error('VALIDATION_ERROR', { reason: 'file_url must be an http or https URL' });
  let response: Response;
  try {
    response = await fetch(target, { signal: AbortSignal.timeout(10_000), redirect: 'follow' });
  } catch (error) {
    throw agents.error('DOWNLOAD_FAILED', { reason: 'the host could not be reached' }, { cause: error });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw agents.error('DOWNLOAD_FAILED', { reason: `the server answered HTTP ${response.status}` });
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    chunks.push(chunk);
    size += chunk.byteLength;
    if (size > MAX_UPLOAD) break;
  }
  return Buffer.concat(chunks);
}
