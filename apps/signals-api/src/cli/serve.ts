import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { type IssuedKey, provisionDevKeyOnce } from '../auth/provision.ts';
import type { Config } from '../config.ts';
import { openStore } from '../db/index.ts';
import { originOf } from '../docs-base.ts';
import { loadStreamConfig } from '../stream/config.ts';
import { expectPositionals, out, parse, UsageError } from './args.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * `serve`: opens the store, provisions the development key on the very first run, listens,
 * prints the URL (the actual port when PORT=0) and shuts down gracefully on SIGTERM/SIGINT.
 * Resolves once the server is listening.
 * @example await serve(loadConfig(process.env), []);
 */
export async function serve(config: Config, argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  expectPositionals(parse(argv, {}).positionals, [], 'serve');
  const level = env['LOG_LEVEL'] ?? 'info';
  if (!LOG_LEVELS.includes(level)) throw new UsageError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const stream = loadStreamConfig(env);
  const store = await openStore(config.databaseUrl);
  const devKey = await provisionDevKeyOnce(store, new Date(), config.keyPepper);
  const app = await buildApp({ config, store, stream, logger: { level } });
  app.addHook('onClose', async () => store.close());
  // Handlers go in before the URL is printed: whoever reads it may signal us at once.
  installShutdown(app, stream.drainSeconds);
  await app.listen({ host: config.host, port: config.port });

  const { port } = app.server.address() as AddressInfo;
  const origin = originOf(config.host, port);
  const banner = [
    `signals-api listening on ${origin}`,
    `  error docs: ${config.docsUrl ?? `${origin}/docs/errors`}`,
    `  openapi:    ${origin}/openapi.json`,
    ...(config.maintenance ? ['  maintenance mode: every /v0 request answers ih1002'] : []),
    ...(devKey ? devKeyLines(devKey, origin) : []),
  ];
  // One write, so a reader waiting for the URL line gets the whole banner with it.
  out(banner.join('\n'));
}

function devKeyLines(key: IssuedKey, origin: string): string[] {
  const body = JSON.stringify({ key_id: key.key_id, key_secret: key.key_secret, scopes: key.scopes });
  return [
    '',
    'A development key was created for this database. The secret is shown this one time only:',
    `  key_id:     ${key.key_id}`,
    `  key_secret: ${key.key_secret}`,
    `  scopes:     ${key.scopes.join(' ')}`,
    'Upload a video (the signals CLI gets and renews the token itself):',
    `  SIGNALS_URL=${origin} SIGNALS_KEY_ID=${key.key_id} SIGNALS_KEY_SECRET=${key.key_secret} npx signals upload path/to/video.mp4`,
    'Or get an access token by hand:',
    `  curl -sS -X POST '${origin}/v0/auth' -H 'Content-Type: application/json' -d '${body}'`,
    '',
  ];
}

/**
 * A repeated signal this soon after the first is the same stop request arriving twice, not an
 * operator insisting: `npm start` forwards the SIGTERM it gets to us, and a SIGTERM sent to
 * the whole process group (systemd, `kill -- -PGID`) reaches us directly as well.
 */
const SAME_REQUEST_MS = 2_000;

/**
 * First SIGTERM/SIGINT: drain (WebSocket sessions are warned, keep working until the drain
 * ends, finish what is in flight and close with ih6005; new sessions are refused), then close
 * the HTTP server (requests in flight finish) and exit 0. Another signal later: close every
 * session with ih6005 at once and exit 1.
 */
function installShutdown(app: FastifyInstance, drainSeconds: number): void {
  let first: number | undefined;
  const shutdown = (signal: NodeJS.Signals) => {
    if (first !== undefined) {
      if (Date.now() - first < SAME_REQUEST_MS) return;
      app.log.warn({ signal }, 'second signal: closing every session now');
      void app.streams.abort().finally(() => process.exit(1));
      // Whatever the sessions do, a second signal means now.
      setTimeout(() => process.exit(1), 500).unref();
      return;
    }
    first = Date.now();
    app.log.info(
      { signal, drainSeconds, sessions: app.streams.drainer.size },
      'shutting down: draining sessions',
    );
    app.streams
      .drain()
      .then(() => app.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          app.log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
