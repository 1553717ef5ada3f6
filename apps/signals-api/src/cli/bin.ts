#!/usr/bin/env node
/**
 * The signals-api command line: `serve`, `keys create|revoke|list`, `plans set|list`,
 * `accounts set-subscription`. Exit codes: 0 done, 1 failed, 2 usage or configuration error.
 * @example
 * // npm run signals -- keys create --scopes interhumanai.upload
 */
import { ConfigError, loadConfig } from '../config.ts';
import { openStore } from '../db/index.ts';
import type { Store } from '../db/store.ts';
import { accountsSetSubscription } from './accounts.ts';
import { UsageError } from './args.ts';
import { CommandError, keysCreate, keysList, keysRevoke } from './keys.ts';
import { plansList, plansSet } from './plans.ts';
import { serve } from './serve.ts';

const HELP = `usage: signals-api <command>

  serve                                        run the HTTP server (HOST, PORT, DATABASE_URL, …)
  keys create --scopes a,b [--plan NAME]       create a key; prints {"key_id","key_secret","scopes","plan"}
  keys revoke KEY_ID                           revoke a key and the tokens issued to it
  keys list                                    list keys (never secrets)
  plans set NAME --rpm N --concurrency N --period-minutes N --daily-minutes N
  plans list
  accounts set-subscription KEY_ID active|inactive`;

type StoreCommand = (store: Store, argv: readonly string[], now: Date) => Promise<void>;

const STORE_COMMANDS: Record<string, StoreCommand> = {
  'keys create': keysCreate,
  'keys revoke': keysRevoke,
  'keys list': keysList,
  'plans set': plansSet,
  'plans list': plansList,
  'accounts set-subscription': accountsSetSubscription,
};

async function main(argv: readonly string[]): Promise<void> {
  const [first, second, ...rest] = argv;
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
    if (first === undefined) throw new UsageError(`a command is required\n${HELP}`);
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const config = loadConfig(process.env);
  if (first === 'serve') return serve(config, argv.slice(1), process.env);
  const command = STORE_COMMANDS[`${first} ${second ?? ''}`];
  if (!command) throw new UsageError(`unknown command "${argv.slice(0, 2).join(' ')}"\n${HELP}`);
  const store = await openStore(config.databaseUrl);
  try {
    await command(store, rest, new Date());
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof ConfigError) {
    process.stderr.write(`signals-api: ${error.message}\n`);
    process.exit(2);
  }
  const message =
    error instanceof CommandError ? error.message : error instanceof Error ? error.message : String(error);
  process.stderr.write(`signals-api: ${message}\n`);
  process.exit(1);
});
