import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

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
 * 16 MiB and a few tens of ms per check: costly for a guesser, cheap for one login.
 * @example 2 ** DEFAULT_SCRYPT.ln // N = 16384
 */
export const DEFAULT_SCRYPT: ScryptParams = { ln: 14, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

/**
 * Hashes a secret as `scrypt$ln=14,r=8,p=1$<salt>$<hash>` (base64url), with a fresh random
 * salt, so the parameters can be raised later without breaking stored hashes.
 * @example const stored = await hashSecret('sk_live_…');
 */
export async function hashSecret(secret: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const hash = await derive(secret, salt, params, KEY_LENGTH);
  return `scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/**
 * Whether `secret` matches a stored hash, compared in constant time. Throws on a stored
 * value that is not a hash of ours: that is corrupt data, not a wrong password.
 * @example await verifySecret('sk_live_…', stored) // true
 */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  const actual = await derive(secret, parsed.salt, parsed.params, parsed.hash.length);
  return timingSafeEqual(actual, parsed.hash);
}

let dummy: Promise<string> | undefined;

/**
 * Spends the same work as `verifySecret` and always answers false: run it for an unknown
 * key id so "no such key" and "wrong secret" take the same time.
 * @example if (!key) await burnVerify(secret);
 */
export async function burnVerify(secret: string): Promise<false> {
  dummy ??= hashSecret(randomBytes(32).toString('base64url'));
  await verifySecret(secret, await dummy);
  return false;
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
