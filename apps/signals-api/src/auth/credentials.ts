import { randomBytes } from 'node:crypto';
import type { KeyRecord, Store } from '../db/store.ts';
import { burnVerify, verifySecret } from './secrets.ts';

/**
 * A freshly made key pair; the secret exists only here and in what is shown to the user.
 * @example const { keyId, keySecret }: KeyPair = generateKeyPair();
 */
export interface KeyPair {
  readonly keyId: string;
  readonly keySecret: string;
}

/**
 * A new key id (`key_` + 96 random bits) and secret (`sk_` + 256 random bits), base64url.
 * @example const { keyId, keySecret } = generateKeyPair();
 */
export function generateKeyPair(): KeyPair {
  return {
    keyId: `key_${randomBytes(12).toString('base64url')}`,
    keySecret: `sk_${randomBytes(32).toString('base64url')}`,
  };
}

/**
 * The key these credentials open, or undefined, whichever half is wrong. The work done is
 * the same for an unknown id, a revoked key and a wrong secret, so timing tells nothing.
 * @example const key = await checkCredentials(store, body.key_id, body.key_secret);
 */
export async function checkCredentials(
  store: Store,
  keyId: string,
  keySecret: string,
): Promise<KeyRecord | undefined> {
  const key = await store.getKey(keyId);
  if (!key) return burnVerify(keySecret).then(() => undefined);
  const matches = await verifySecret(keySecret, key.secretHash);
  return matches && key.revokedAt === undefined ? key : undefined;
}
