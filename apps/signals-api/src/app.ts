import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import { transition } from 'faultline';
import {
  bodyTimeouts,
  clientErrorHandler,
  earlyAnswers,
  faultlineFastify,
  frameworkCatalog,
  frameworkErrors,
} from 'faultline/fastify';
import type { Analyzer } from './analysis/types.ts';
import { createAuthenticate, decorateAuth } from './auth/authenticate.ts';
import { createTokenService, resolveJwtSecret } from './auth/tokens.ts';
import { signals } from './catalog.ts';
import type { Config } from './config.ts';
import type { Store } from './db/store.ts';
import { docsBaseOf, withLateDocsBase } from './docs-base.ts';
import { createAccountLimits, openLimiter, serviceClock } from './limits/index.ts';
import { createProberCheck } from './media/prober.ts';
import { authRoutes } from './routes/auth.ts';
import { docsRoutes } from './routes/docs.ts';
import { healthRoutes } from './routes/health.ts';
import { streamRoutes } from './routes/stream.ts';
import { DRAIN_LIMIT_BYTES, uploadRoutes } from './routes/upload.ts';
import { lazySchemaCompilers } from './schema-compilers.ts';
import { DEFAULT_STREAM_CONFIG, type StreamConfig } from './stream/config.ts';
import { createStreamHub, type StreamHub } from './stream/hub.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Live WebSocket sessions: `drain()` on the first SIGTERM, `abort()` on the second. */
    streams: StreamHub;
  }
}

/**
 * What `buildApp` needs; everything with a side effect is passed in.
 * @example await buildApp({ config, store, now: () => Date.parse('2026-01-01T00:00:00Z') });
 */
export interface BuildAppOptions {
  readonly config: Config;
  readonly store: Store;
  /** Clock in ms since the epoch: token times, the legacy sunset, quota days. Defaults to `Date.now` (or `SIGNALS_NOW`). */
  readonly now?: () => number;
  /** Replaces the analyzer `config.analyzer` selects (tests, embedding). */
  readonly analyzer?: Analyzer;
  /** Session timers and drain (`loadStreamConfig(env)`); the seed's defaults when absent. */
  readonly stream?: StreamConfig;
  /** Fastify's logger option (pino); off by default so tests stay quiet. */
  readonly logger?: FastifyServerOptions['logger'];
}

/**
 * Builds the signals-api server, not yet listening. Every error leaves through faultline in
 * the transition format (legacy + structured until `config.legacyUntil`).
 * @example
 * const app = await buildApp({ config: loadConfig(process.env), store: await openStore(url) });
 * await app.listen({ port: 8080 });
 */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config, store } = options;
  const now = options.now ?? serviceClock(config);
  // frameworkErrors and clientErrorHandler: the answers Fastify and Node's parser would write
  // themselves (bad percent-encoding, oversized headers, a malformed request line) leave
  // through faultline too, with a catalog body and X-Correlation-ID.
  const app = Fastify({
    logger: options.logger ?? false,
    // Every log line of a request names its correlation id as the body and header do; under
    // this label faultline adds nothing to the request logger (see faultline/fastify).
    logController: new LogController({ requestIdLogLabel: 'correlation_id' }),
    frameworkErrors,
    clientErrorHandler,
    // ajv and fast-json-stringify load only if a route declares a schema (none does).
    schemaController: lazySchemaCompilers(),
    // request.ip (the per-IP limits) reads X-Forwarded-For only as set by a trusted proxy.
    ...(config.trustProxy === undefined ? {} : { trustProxy: [...config.trustProxy] }),
    ...serverTimeouts(config),
  });

  const docsBase = docsBaseOf(app, config);
  const format = withLateDocsBase(transition({ legacyUntil: config.legacyUntil, now }), docsBase);

  await app.register(faultlineFastify, {
    catalog: signals,
    format,
    now,
    ...(config.docsUrl === undefined ? {} : { docsBase: config.docsUrl }),
    faults: {
      invalidJson: () => signals.error('ih4006'),
      // ih4003 names the 100 MB upload limit: only the upload may answer with it. A JSON body
      // over its own (much smaller) limit gets the framework's generic entry instead.
      bodyTooLarge: ({ request }) =>
        pathOf(request).startsWith('/v0/upload')
          ? signals.error('ih4003')
          : frameworkCatalog.error('payload_too_large'),
      validation: ({ field }) =>
        signals.error('ih4005', { name: field || 'body', reason: 'it is missing or has the wrong type' }),
      // A body we cannot read at all: not JSON on /v0/auth, not multipart on the upload.
      unsupportedMediaType: ({ request }) =>
        pathOf(request).startsWith('/v0/upload') ? signals.error('ih4001') : signals.error('ih4006'),
      internal: () => signals.error('ih1001'),
    },
  });
  decorateAuth(app);
  // Refusals sent before the body was read must reach the client: see earlyAnswers.
  await app.register(earlyAnswers, {
    drainBytes: DRAIN_LIMIT_BYTES,
    lingerMs: config.lingerMs,
    lingerBytes: config.lingerBytes,
  });
  // Bodies Fastify parses (the JSON of /v0/auth) must keep coming; the upload route reads and
  // times its own multipart body.
  await app.register(bodyTimeouts, {
    idleMs: config.bodyIdleTimeoutMs,
    totalMs: 2 * config.bodyIdleTimeoutMs,
    error: (_request, limit) => signals.error('ih4006', undefined, { cause: `JSON body ${limit} timeout` }),
    skip: (request) => pathOf(request).startsWith('/v0/upload'),
  });
  const prober = createProberCheck({ ffprobePath: config.ffprobePath });

  if (config.maintenance) {
    // Registered before any route, so it answers for every /v0 path, known or not.
    app.addHook('onRequest', async (request) => {
      // The cause is what the operator's log line says about this 503.
      if (isApiPath(request.url)) throw signals.error('ih1002', {}, { cause: 'maintenance mode is on' });
    });
  }

  const tokens = createTokenService({ secret: await resolveJwtSecret(config.jwtSecret, store), now });
  const authenticate = createAuthenticate({ tokens, store });
  const opened = await openLimiter(config, {
    error: (details, message) => app.log.error(details, message),
    info: (details, message) => app.log.info(details, message),
  });
  app.addHook('onClose', async () => opened.close());
  const limits = createAccountLimits({ store, limiter: opened.limiter, config, now });
  // WebSocket sessions count toward the same rate and concurrency: `app.accountLimits.admit(keyId)`.
  app.decorate('accountLimits', limits);

  await app.register(healthRoutes, { store, config, limiter: opened.limiter, prober });
  await app.register(docsRoutes, { format, docsBase, now });
  await app.register(authRoutes, { store, tokens, limitIp: limits.limitIp, keyPepper: config.keyPepper });
  await app.register(uploadRoutes, {
    config,
    authenticate,
    limits,
    prober,
    ...(options.analyzer === undefined ? {} : { analyzer: options.analyzer }),
  });
  const stream = options.stream ?? DEFAULT_STREAM_CONFIG;
  const hub = createStreamHub(stream);
  app.decorate('streams', hub);
  await app.register(streamRoutes, {
    config,
    stream,
    hub,
    authenticate,
    docsBase,
    ...(options.analyzer === undefined ? {} : { analyzer: options.analyzer }),
    // A session counts toward the key's plan like an upload: subscription (ih3005), rate
    // (ih3001) and a concurrency slot (ih3002) held for the session's life.
    admitSession: async (principal) => (await limits.admit(principal.keyId)).release,
  });
  return app;
}

/**
 * Node's own request-phase timeouts: headers must arrive within `headersTimeoutMs`; a whole
 * request within `requestTimeoutMs` plus a margin, so the upload route's own timers (which
 * can still answer with a catalog entry) fire first and Node's only catch what they don't
 * cover. Node checks these on an interval: a fraction of the shortest, or they fire late.
 */
function serverTimeouts(config: Config): Pick<FastifyServerOptions, 'requestTimeout'> & {
  http: { headersTimeout: number; connectionsCheckingInterval: number };
} {
  const requestTimeout = Math.max(config.requestTimeoutMs + 5_000, config.headersTimeoutMs);
  return {
    requestTimeout,
    http: {
      headersTimeout: config.headersTimeoutMs,
      connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(config.headersTimeoutMs / 4))),
    },
  };
}

/** `/v0` and everything under it. */
function isApiPath(url: string): boolean {
  return url === '/v0' || url.startsWith('/v0/') || url.startsWith('/v0?');
}

function pathOf(request: unknown): string {
  const url = (request as { url?: unknown }).url;
  return typeof url === 'string' ? url : '';
}
