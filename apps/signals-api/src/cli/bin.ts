#!/usr/bin/env -S node --conditions=development --max-semi-space-size=16
/**
 * The signals-api command line: `serve`, `keys create|revoke|list`, `plans set|list`,
 * `accounts set-subscription|usage`. Exit codes: 0 done, 1 failed, 2 usage or configuration error.
 * The shebang's young-generation cap is `serve`'s (apps/signals-api/README.md, "In production").
 * @example
 * // npm run signals -- keys create --scopes interhumanai.upload
 */
import { type Config, ConfigError, loadConfig } from '../config.ts';
import type { Store } from '../db/store.ts';
import { UsageError } from './args.ts';

const HELP = `usage: signals-api <command>

  serve                                        run the HTTP server (HOST, PORT, DATABASE_URL, …)
  keys create --scopes a,b [--plan NAME]       create a key; prints {"key_id","key_secret","scopes","plan"}
  keys revoke KEY_ID                           revoke a key and the tokens issued to it
  keys list                                    list keys (never secrets)
  plans set NAME --rpm N --concurrency N --period-minutes N --daily-minutes N
  plans list
  accounts set-subscription KEY_ID active|inactive
  accounts usage KEY_ID                        video-minutes used this billing period and UTC day`;

type StoreCommand = (store: Store, argv: readonly string[], now: Date, config: Config) => Promise<void>;

// Loaded on demand: `keys create` should not pay for loading Fastify, which only `serve` needs.
const STORE_COMMANDS: Record<string, () => Promise<StoreCommand>> = {
  'keys create': async () => (await import('./keys.ts')).keysCreate,
  'keys revoke': async () => (await import('./keys.ts')).keysRevoke,
  'keys list': async () => (await import('./keys.ts')).keysList,
  'plans set': async () => (await import('./plans.ts')).plansSet,
  'plans list': async () => (await import('./plans.ts')).plansList,
  'accounts set-subscription': async () => (await import('./accounts.ts')).accountsSetSubscription,
  'accounts usage': async () => (await import('./accounts.ts')).accountsUsage,
};

async function main(argv: readonly string[]): Promise<void> {
  const [first, second, ...rest] = argv;
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
    if (first === undefined) throw new UsageError(`a command is required\n${HELP}`);
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const config = loadConfig(process.env);
  if (first === 'serve') return (await import('./serve.ts')).serve(config, argv.slice(1), process.env);
  const load = STORE_COMMANDS[`${first} ${second ?? ''}`];
  if (!load) throw new UsageError(`unknown command "${argv.slice(0, 2).join(' ')}"\n${HELP}`);
  const command = await load();
  const store = await (await import('../db/index.ts')).openStore(config.databaseUrl);
  try {
    // SIGNALS_NOW (tests) moves the CLI's clock with the server's.
    const { serviceClock } = await import('../limits/clock.ts');
    await command(store, rest, new Date(serviceClock(config)()), config);
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof ConfigError) {
    process.stderr.write(`signals-api: ${error.message}\n`);
    process.exit(2);
  }
  // A failed command (unknown key, unreachable database): its message, not a stack trace.
  process.stderr.write(`signals-api: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
