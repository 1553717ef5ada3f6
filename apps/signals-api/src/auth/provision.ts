import { DEFAULT_PLAN, type Store } from '../db/store.ts';
import { generateKeyPair } from './credentials.ts';
import { ALL_SCOPES } from './scopes.ts';
import { hasherFor } from './secrets.ts';

/**
 * A key as shown to its owner, the only time its secret is ever visible.
 * @example process.stdout.write(`${JSON.stringify(key satisfies IssuedKey)}\n`);
 */
export interface IssuedKey {
  readonly key_id: string;
  readonly key_secret: string;
  readonly scopes: readonly string[];
  readonly plan: string;
}

/**
 * Creates a key: random id and secret, only its keyed hash stored (HMAC-SHA-256 under the
 * pepper: `pepper` when given, else the store's). The caller has checked the scopes and that
 * the plan exists (the database enforces the latter too).
 * @example const key = await provisionKey(store, { scopes: ['interhumanai.upload'], plan: 'default', now: new Date() });
 */
export async function provisionKey(
  store: Store,
  options: {
    readonly scopes: readonly string[];
    readonly plan: string;
    readonly now: Date;
    readonly pepper?: string | undefined;
  },
): Promise<IssuedKey> {
  const { keyId, keySecret } = generateKeyPair();
  const hasher = await hasherFor(store, options.pepper);
  await store.createKey({
    id: keyId,
    secretHash: hasher.hash(keySecret),
    scopes: options.scopes,
    plan: options.plan,
    createdAt: options.now,
  });
  return { key_id: keyId, key_secret: keySecret, scopes: [...options.scopes], plan: options.plan };
}

/**
 * Setting that records the development key was made, so it is made once per database.
 * @example await store.getSetting(DEV_KEY_SETTING) // 'key_…' once the development key exists
 */
export const DEV_KEY_SETTING = 'dev_key_id';

/**
 * On an embedded (SQLite) database's first `serve`, creates a development key with every scope and returns it
 * (to be printed once); afterwards returns undefined. Two instances starting together agree
 * on one winner; the loser revokes its own key and prints nothing.
 * @example const devKey = await provisionDevKeyOnce(store, new Date());
 */
export async function provisionDevKeyOnce(
  store: Store,
  now: Date,
  pepper?: string,
): Promise<IssuedKey | undefined> {
  // A full-scope key printed to stdout suits a laptop's embedded database, never a shared one.
  if (store.kind !== 'sqlite') return undefined;
  if ((await store.getSetting(DEV_KEY_SETTING)) !== undefined) return undefined;
  const key = await provisionKey(store, { scopes: ALL_SCOPES, plan: DEFAULT_PLAN, now, pepper });
  const winner = await store.putSettingIfAbsent(DEV_KEY_SETTING, key.key_id);
  if (winner === key.key_id) return key;
  await store.revokeKey(key.key_id, now);
  return undefined;
}
