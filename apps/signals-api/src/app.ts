import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { transition, type WireFormat } from 'faultline';
import { faultlineFastify } from 'faultline/fastify';
import type { Analyzer } from './analysis/types.ts';
import { createAuthenticate, decorateAuth } from './auth/authenticate.ts';
import { createTokenService, resolveJwtSecret } from './auth/tokens.ts';
import { signals } from './catalog.ts';
import type { Config } from './config.ts';
import type { Store } from './db/store.ts';
import { authRoutes } from './routes/auth.ts';
import { docsRoutes } from './routes/docs.ts';
import { healthRoutes } from './routes/health.ts';
import { streamRoutes } from './routes/stream.ts';
import { uploadRoutes } from './routes/upload.ts';
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
  /** Clock in ms since the epoch: token times, the legacy sunset. Defaults to `Date.now`. */
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
  const now = options.now ?? Date.now;
  const app = Fastify({ logger: options.logger ?? false });

  const docsBase = (): string => config.docsUrl ?? localDocsUrl(app, config);
  const format = withDocsBase(transition({ legacyUntil: config.legacyUntil, now }), docsBase);

  await app.register(faultlineFastify, {
    catalog: signals,
    format,
    now,
    ...(config.docsUrl === undefined ? {} : { docsBase: config.docsUrl }),
    faults: {
      invalidJson: () => signals.error('ih4006'),
      bodyTooLarge: () => signals.error('ih4003'),
      validation: ({ field }) =>
        signals.error('ih4005', { name: field || 'body', reason: 'it is missing or has the wrong type' }),
      // A body we cannot read at all: not JSON on /v0/auth, not multipart on the upload.
      unsupportedMediaType: ({ request }) =>
        pathOf(request).startsWith('/v0/upload') ? signals.error('ih4001') : signals.error('ih4006'),
      internal: () => signals.error('ih1001'),
    },
  });
  decorateAuth(app);

  if (config.maintenance) {
    // Registered before any route, so it answers for every /v0 path, known or not.
    app.addHook('onRequest', async (request) => {
      // The cause is what the operator's log line says about this 503.
      if (isApiPath(request.url)) throw signals.error('ih1002', {}, { cause: 'maintenance mode is on' });
    });
  }

  const tokens = createTokenService({ secret: await resolveJwtSecret(config.jwtSecret, store), now });
  const authenticate = createAuthenticate({ tokens, store });

  await app.register(healthRoutes, { store, config });
  await app.register(docsRoutes, { format, docsBase, now });
  await app.register(authRoutes, { store, tokens });
  await app.register(uploadRoutes, {
    config,
    authenticate,
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
    // admitSession: wired here once plan limits exist (ih3001 rate, ih3002 concurrency for the session's life).
  });
  return app;
}

/** `/v0` and everything under it. */
function isApiPath(url: string): boolean {
  return url === '/v0' || url.startsWith('/v0/') || url.startsWith('/v0?');
}

function pathOf(request: unknown): string {
  const url = (request as { url?: unknown }).url;
  return typeof url === 'string' ? url : '';
}

/**
 * The format with `docsBase` read at encode time: with PORT=0 the port, and so the docs URL,
 * is only known once the server listens, after the plugin was registered.
 */
function withDocsBase(format: WireFormat, docsBase: () => string): WireFormat {
  return {
    ...format,
    encode: (error, context) => format.encode(error, { ...context, docsBase: docsBase() }),
  };
}

/** This server's own docs page, from the address it actually listens on. */
function localDocsUrl(app: FastifyInstance, config: Config): string {
  const address = app.server.address() as AddressInfo | string | null;
  const port = address !== null && typeof address === 'object' ? address.port : config.port;
  return `${originOf(config.host, port)}/docs/errors`;
}

/**
 * `http://host:port` a client can use: a wildcard bind address is not one, so it becomes localhost.
 * @example originOf('0.0.0.0', 8080) // 'http://localhost:8080'
 */
export function originOf(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' || host === '' ? 'localhost' : host;
  return `http://${name.includes(':') ? `[${name}]` : name}:${port}`;
}
