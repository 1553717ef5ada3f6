import type { AddressInfo } from 'node:net';
import { buildApp, originOf } from '../app.ts';
import { type IssuedKey, provisionDevKeyOnce } from '../auth/provision.ts';
import type { Config } from '../config.ts';
import { openStore } from '../db/index.ts';
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

  const store = await openStore(config.databaseUrl);
  const devKey = await provisionDevKeyOnce(store, new Date(), config.keyPepper);
  const app = await buildApp({ config, store, logger: { level } });
  app.addHook('onClose', async () => store.close());
  // Handlers go in before the URL is printed: whoever reads it may signal us at once.
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) {
      // A second signal means "now": skip the drain.
      process.exit(1);
    }
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing requests in flight');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
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
