import {
  createHash,
  createHmac,
  createSecretKey,
  randomBytes,
  type ScryptOptions,
  scrypt,
  timingSafeEqual,
} from 'node:crypto';
import type { Store } from '../db/store.ts';

/**
 * API key secrets are 256 random bits, so a slow password hash buys nothing against guessing
 * and costs every login (and every attacker's random guess) 16 MiB and tens of ms of the
 * thread pool. They are stored as HMAC-SHA-256 under a server-side pepper, as GitHub and
 * Stripe store theirs: `hmac-sha256$<pepper tag>$<mac>`. Rows written by earlier versions
 * (`scrypt$…`) still verify, and the caller rehashes them on their next successful use.
 */

/**
 * Turns secrets into stored hashes and checks them, under one pepper.
 * @example const hasher = createSecretHasher(pepper); const stored = hasher.hash('sk_…');
 */
export interface SecretHasher {
  /** The stored form of a secret. */
  hash(secret: string): string;
  /**
   * Whether `secret` matches `stored`, in constant time. `rehash` is set when it matched a
   * legacy scrypt row: store it in place of the old one.
   */
  verify(secret: string, stored: string): Promise<{ readonly ok: boolean; readonly rehash?: string }>;
  /** The same work as `verify` on a current row, always false: for an unknown key id. */
  burn(secret: string): false;
}

const HMAC_PREFIX = 'hmac-sha256';

/**
 * A hasher keyed by `pepper`. The tag stored beside each MAC (a hash of the pepper, not the
 * pepper) tells a changed pepper apart from a wrong secret in the logs.
 * @example
 * const hasher = createSecretHasher(new TextEncoder().encode(pepper));
 * (await hasher.verify('sk_abc', hasher.hash('sk_abc'))).ok // true
 */
export function createSecretHasher(pepper: Uint8Array): SecretHasher {
  const tag = createHash('sha256').update(pepper).digest('base64url').slice(0, 8);
  // A KeyObject made once: passing raw bytes would re-import the key on every check.
  const key = createSecretKey(pepper);
  const mac = (secret: string) => createHmac('sha256', key).update(secret.normalize('NFC')).digest();
  const dummy = mac(randomBytes(32).toString('base64url'));
  const hash = (secret: string) => `${HMAC_PREFIX}$${tag}$${mac(secret).toString('base64url')}`;
  return {
    hash,
    async verify(secret, stored) {
      if (stored.startsWith('scrypt$')) {
        const ok = await verifySecret(secret, stored);
        return ok ? { ok, rehash: hash(secret) } : { ok };
      }
      const match = /^hmac-sha256\$([A-Za-z0-9_-]{8})\$([A-Za-z0-9_-]{43})$/.exec(stored);
      if (!match) throw new Error('stored key hash is in no format we know');
      const expected = Buffer.from(match[2]!, 'base64url');
      // Compare even when the tag differs, so a changed pepper costs the same as a wrong secret.
      const same = timingSafeEqual(mac(secret), expected);
      return { ok: same && match[1] === tag };
    },
    burn(secret) {
      timingSafeEqual(mac(secret), dummy);
      return false;
    },
  };
}

/**
 * Setting under which a generated pepper is kept when `SIGNALS_KEY_PEPPER` is not set.
 * @example await store.getSetting(KEY_PEPPER_SETTING)
 */
export const KEY_PEPPER_SETTING = 'key_pepper';

/**
 * The pepper: `SIGNALS_KEY_PEPPER` when set (keeps it out of the database, so a stolen
 * database alone verifies nothing); otherwise one generated once and kept in the store, so
 * the CLI and every instance agree. Changing it invalidates every key stored under the old one.
 * @example const hasher = createSecretHasher(await resolveKeyPepper(config.keyPepper, store));
 */
export async function resolveKeyPepper(configured: string | undefined, store: Store): Promise<Uint8Array> {
  const text =
    configured ?? (await store.putSettingIfAbsent(KEY_PEPPER_SETTING, randomBytes(32).toString('base64url')));
  return new TextEncoder().encode(text);
}

const hashers = new WeakMap<Store, Map<string, Promise<SecretHasher>>>();

/**
 * The hasher of a store (and configured pepper), made once and reused.
 * @example const hasher = await hasherFor(store, config.keyPepper);
 */
export function hasherFor(store: Store, configured: string | undefined): Promise<SecretHasher> {
  let byPepper = hashers.get(store);
  if (!byPepper) {
    byPepper = new Map();
    hashers.set(store, byPepper);
  }
  const key = configured ?? '';
  let hasher = byPepper.get(key);
  if (!hasher) {
    hasher = resolveKeyPepper(configured, store).then(createSecretHasher);
    const cache = byPepper;
    hasher.catch(() => cache.delete(key));
    byPepper.set(key, hasher);
  }
  return hasher;
}

// ——— Legacy: scrypt rows written before keys moved to HMAC. Verify only (and bench/tests). ———

/**
 * scrypt cost: N = 2^ln, block size r, parallelism p. Stored beside each hash.
 * @example await hashSecret('sk_…', { ln: 15, r: 8, p: 1 });
 */
export interface ScryptParams {
  readonly ln: number;
  readonly r: number;
  readonly p: number;
}

/**
 * The cost earlier versions stored keys with (16 MiB per check).
 * @example 2 ** DEFAULT_SCRYPT.ln // N = 16384
 */
export const DEFAULT_SCRYPT: ScryptParams = { ln: 14, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

/**
 * A legacy `scrypt$ln=14,r=8,p=1$<salt>$<hash>` row, as earlier versions stored keys. New keys
 * use `createSecretHasher`; this stays for tests and the bench's before/after figure.
 * @example const stored = await hashSecret('sk_live_…');
 */
export async function hashSecret(secret: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const hash = await derive(secret, salt, params, KEY_LENGTH);
  return `scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/**
 * Whether `secret` matches a legacy scrypt row, compared in constant time. Throws on a stored
 * value that is not such a row: that is corrupt data, not a wrong password.
 * @example await verifySecret('sk_live_…', stored) // true
 */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  const actual = await derive(secret, parsed.salt, parsed.params, parsed.hash.length);
  return timingSafeEqual(actual, parsed.hash);
}

function parseHash(stored: string): { params: ScryptParams; salt: Buffer; hash: Buffer } {
  const match = /^scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/.exec(stored);
  if (!match) throw new Error('stored key hash is not in the scrypt$… format');
  const params = { ln: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  if (params.ln < 1 || params.ln > 24 || params.r < 1 || params.p < 1)
    throw new Error('stored key hash has out-of-range scrypt parameters');
  return { params, salt: Buffer.from(match[4]!, 'base64url'), hash: Buffer.from(match[5]!, 'base64url') };
}

function derive(secret: string, salt: Buffer, params: ScryptParams, length: number): Promise<Buffer> {
  const N = 2 ** params.ln;
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 256 * N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(secret.normalize('NFC'), salt, length, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}
