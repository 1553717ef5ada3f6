import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * What `signals login` stores: where the service is and the key to use.
 * @example const saved: SavedConfig = { url: 'http://127.0.0.1:8080', key_id: 'key_…', key_secret: '…' };
 */
export interface SavedConfig {
  readonly url?: string;
  readonly key_id?: string;
  readonly key_secret?: string;
}

/**
 * Credentials and URL as the CLI resolves them.
 * @example const { url, keyId, keySecret } = await resolveSettings(env, flags);
 */
export interface Settings {
  readonly url: string;
  readonly keyId: string | undefined;
  readonly keySecret: string | undefined;
  /** Where they came from, for error messages. */
  readonly source: 'env' | 'config' | 'none';
}

/** The default service origin: what `npm start` listens on. */
export const DEFAULT_URL = 'http://127.0.0.1:8080';

/**
 * The config file: `SIGNALS_CONFIG`, else `$XDG_CONFIG_HOME/signals/config.json`, else `~/.config/signals/config.json`.
 * @example configPath(process.env) // '/home/me/.config/signals/config.json'
 */
export function configPath(env: NodeJS.ProcessEnv): string {
  if (env['SIGNALS_CONFIG']) return env['SIGNALS_CONFIG'];
  const base = env['XDG_CONFIG_HOME'] || join(env['HOME'] || homedir(), '.config');
  return join(base, 'signals', 'config.json');
}

/**
 * Reads the saved config; empty when there is none.
 * @example const saved = await readConfig(configPath(process.env));
 */
export async function readConfig(path: string): Promise<SavedConfig> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as SavedConfig) : {};
  } catch {
    return {};
  }
}

/**
 * Writes the config readable by its owner only (0600; its directory 0700): it holds a secret.
 * @example await writeConfig(path, { url, key_id, key_secret });
 */
export async function writeConfig(path: string, config: SavedConfig): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  // Remove first: writeFile keeps the mode of an existing file, which may be wider.
  await rm(path, { force: true });
  await writeFile(path, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(path, 0o600);
}

/**
 * Environment first (`SIGNALS_KEY_ID`, `SIGNALS_KEY_SECRET`, `SIGNALS_URL`), then the config
 * file; `--url` beats both.
 * @example await resolveSettings(process.env, undefined)
 */
export async function resolveSettings(
  env: NodeJS.ProcessEnv,
  urlFlag: string | undefined,
): Promise<Settings> {
  const saved = await readConfig(configPath(env));
  const fromEnv = Boolean(env['SIGNALS_KEY_ID'] && env['SIGNALS_KEY_SECRET']);
  return {
    url: urlFlag ?? env['SIGNALS_URL'] ?? saved.url ?? DEFAULT_URL,
    keyId: fromEnv ? env['SIGNALS_KEY_ID'] : saved.key_id,
    keySecret: fromEnv ? env['SIGNALS_KEY_SECRET'] : saved.key_secret,
    source: fromEnv ? 'env' : saved.key_id ? 'config' : 'none',
  };
}
