import { describe, expect, it } from 'vitest';
import { burnVerify, hashSecret, verifySecret } from '../../src/auth/secrets.ts';

// Cheap parameters keep the suite fast; the stored string carries them, so verify follows.
const FAST = { ln: 8, r: 8, p: 1 };

describe('scrypt secrets', () => {
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

  it('burns a verification for unknown ids and always says no', async () => {
    expect(await burnVerify('anything')).toBe(false);
  });
});
