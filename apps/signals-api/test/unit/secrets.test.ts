import { describe, expect, it } from 'vitest';
import { checkCredentials } from '../../src/auth/credentials.ts';
import { provisionKey } from '../../src/auth/provision.ts';
import { createSecretHasher, hashSecret, verifySecret } from '../../src/auth/secrets.ts';
import { openPostgresStore } from '../../src/db/postgres.ts';
import { openSqliteStore } from '../../src/db/sqlite.ts';
import type { Store } from '../../src/db/store.ts';
import { freshDatabase } from '../limits/support.ts';

// Cheap parameters keep the suite fast; the stored string carries them, so verify follows.
const FAST = { ln: 8, r: 8, p: 1 };

const pepper = (text: string) => new TextEncoder().encode(text.padEnd(32, '.'));

describe('HMAC-SHA-256 secrets under a pepper', () => {
  const hasher = createSecretHasher(pepper('pepper-one'));

  it('stores a keyed hash with the pepper tag, never the secret, and verifies only the secret', async () => {
    const stored = hasher.hash('sk_correct-horse');
    expect(stored).toMatch(/^hmac-sha256\$[A-Za-z0-9_-]{8}\$[A-Za-z0-9_-]{43}$/);
    expect(stored).not.toContain('correct-horse');
    expect(await hasher.verify('sk_correct-horse', stored)).toEqual({ ok: true });
    for (const wrong of ['sk_correct-hors', 'sk_correct-horse ', '', 'SK_correct-horse'])
      expect((await hasher.verify(wrong, stored)).ok).toBe(false);
  });

  it('is deterministic under one pepper and differs under another', async () => {
    const other = createSecretHasher(pepper('pepper-two'));
    expect(hasher.hash('sk_a')).toBe(hasher.hash('sk_a'));
    expect(other.hash('sk_a')).not.toBe(hasher.hash('sk_a'));
    expect((await other.verify('sk_a', hasher.hash('sk_a'))).ok).toBe(false);
  });

  it('verifies a legacy scrypt row and hands back its HMAC replacement', async () => {
    const legacy = await hashSecret('sk_old', FAST);
    const result = await hasher.verify('sk_old', legacy);
    expect(result.ok).toBe(true);
    expect(result.rehash).toBe(hasher.hash('sk_old'));
    expect(await hasher.verify('sk_wrong', legacy)).toEqual({ ok: false });
  });

  it('treats a stored value in no known format as corrupt data', async () => {
    await expect(hasher.verify('x', 'plaintext')).rejects.toThrow(/format/);
  });

  it('burns the same work for an unknown id and always says no', () => {
    expect(hasher.burn('anything')).toBe(false);
  });
});

/** Each store the service runs on, opened fresh; `close` also drops what it made. */
const stores: [string, () => Promise<{ store: Store; close(): Promise<void> }>][] = [
  [
    'SQLite',
    async () => {
      const store = openSqliteStore(':memory:');
      return { store, close: () => store.close() };
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const db = await freshDatabase();
      const store = await openPostgresStore(db.url);
      const close = async () => {
        await store.close();
        await db.drop();
      };
      return { store, close };
    },
  ],
];

describe('checkCredentials', () => {
  it.each(stores)(
    'on %s: opens keys stored with HMAC, rehashes a legacy scrypt row on its first success, refuses the rest alike',
    async (_name, open) => {
      const { store, close } = await open();
      try {
        const issued = await provisionKey(store, {
          scopes: ['interhumanai.upload'],
          plan: 'default',
          now: new Date(),
        });
        expect((await store.getKey(issued.key_id))?.secretHash).toMatch(/^hmac-sha256\$/);
        expect((await checkCredentials(store, issued.key_id, issued.key_secret))?.id).toBe(issued.key_id);
        expect(await checkCredentials(store, issued.key_id, 'sk_wrong')).toBeUndefined();
        expect(await checkCredentials(store, 'key_unknown', issued.key_secret)).toBeUndefined();

        const legacy = await hashSecret('sk_legacy', FAST);
        await store.createKey({
          id: 'key_legacy',
          secretHash: legacy,
          scopes: ['interhumanai.upload'],
          plan: 'default',
          createdAt: new Date(),
        });
        expect(await checkCredentials(store, 'key_legacy', 'sk_nope')).toBeUndefined();
        expect((await store.getKey('key_legacy'))?.secretHash).toBe(legacy);
        expect((await checkCredentials(store, 'key_legacy', 'sk_legacy'))?.id).toBe('key_legacy');
        expect((await store.getKey('key_legacy'))?.secretHash).toMatch(/^hmac-sha256\$/);
        expect((await checkCredentials(store, 'key_legacy', 'sk_legacy'))?.id).toBe('key_legacy');
        // Compare-and-set: a row already rehashed (by another instance) is left alone.
        expect(await store.replaceSecretHash('key_legacy', legacy, 'hmac-sha256$other')).toBe(false);
      } finally {
        await close();
      }
    },
  );

  it('with a configured pepper, keys made under it verify under it only', async () => {
    const store = openSqliteStore(':memory:');
    try {
      const pepperA = 'a'.repeat(40);
      const issued = await provisionKey(store, {
        scopes: ['interhumanai.upload'],
        plan: 'default',
        now: new Date(),
        pepper: pepperA,
      });
      expect((await checkCredentials(store, issued.key_id, issued.key_secret, { pepper: pepperA }))?.id).toBe(
        issued.key_id,
      );
      expect(
        await checkCredentials(store, issued.key_id, issued.key_secret, { pepper: 'b'.repeat(40) }),
      ).toBeUndefined();
      expect(await checkCredentials(store, issued.key_id, issued.key_secret)).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});

describe('legacy scrypt secrets', () => {
  it('stores parameters, salt and hash, never the secret', async () => {
    const stored = await hashSecret('sk_correct-horse', FAST);
    expect(stored).toMatch(/^scrypt\$ln=8,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(stored).not.toContain('correct-horse');
  });

  it('salts every hash differently', async () => {
    const [a, b] = await Promise.all([hashSecret('same', FAST), hashSecret('same', FAST)]);
    expect(a).not.toBe(b);
    expect(await verifySecret('same', a)).toBe(true);
    expect(await verifySecret('same', b)).toBe(true);
  });

  it('accepts the secret and rejects any other', async () => {
    const stored = await hashSecret('sk_abc', FAST);
    expect(await verifySecret('sk_abc', stored)).toBe(true);
    expect(await verifySecret('sk_abd', stored)).toBe(false);
    expect(await verifySecret('sk_ab', stored)).toBe(false);
    expect(await verifySecret('', stored)).toBe(false);
    expect(await verifySecret('sk_abc ', stored)).toBe(false);
  });

  it('verifies with the parameters stored in the hash', async () => {
    const stored = await hashSecret('sk_abc', { ln: 9, r: 4, p: 2 });
    expect(stored).toContain('ln=9,r=4,p=2');
    expect(await verifySecret('sk_abc', stored)).toBe(true);
  });

  it('uses the production cost by default', async () => {
    expect(await hashSecret('sk_default')).toMatch(/^scrypt\$ln=14,r=8,p=1\$/);
  });

  it('treats a stored value that is not our hash as corrupt data', async () => {
    await expect(verifySecret('x', 'plaintext')).rejects.toThrow(/format/);
    await expect(verifySecret('x', 'scrypt$ln=99,r=8,p=1$AAAA$AAAA')).rejects.toThrow(/parameters/);
  });
});
