import { randomBytes } from 'node:crypto';
import type { KeyRecord, Store } from '../db/store.ts';
import { hasherFor } from './secrets.ts';

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
 * Options of `checkCredentials`.
 * @example await checkCredentials(store, id, secret, { pepper: config.keyPepper });
 */
export interface CredentialOptions {
  /** `SIGNALS_KEY_PEPPER`; undefined = the pepper kept in the store. */
  readonly pepper?: string | undefined;
}

/**
 * The key these credentials open, or undefined, whichever half is wrong. The work done is
 * the same for an unknown id, a revoked key and a wrong secret (one HMAC and one
 * constant-time compare), so timing tells nothing. A legacy scrypt row that matches is
 * rehashed to HMAC on the spot, so it costs scrypt once more at most.
 * @example const key = await checkCredentials(store, body.key_id, body.key_secret);
 */
export async function checkCredentials(
  store: Store,
  keyId: string,
  keySecret: string,
  options: CredentialOptions = {},
): Promise<KeyRecord | undefined> {
  const hasher = await hasherFor(store, options.pepper);
  const key = await store.getKey(keyId);
  if (!key) return hasher.burn(keySecret) || undefined;
  const { ok, rehash } = await hasher.verify(keySecret, key.secretHash);
  if (!ok || key.revokedAt !== undefined) return undefined;
  if (rehash !== undefined) await store.replaceSecretHash(key.id, key.secretHash, rehash);
  return key;
}
