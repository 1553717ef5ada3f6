import { describe, expect, it } from 'vitest';
import { provisionDevKeyOnce } from '../../src/auth/provision.ts';
import { openSqliteStore } from '../../src/db/sqlite.ts';
import type { Store } from '../../src/db/store.ts';

describe('provisionDevKeyOnce', () => {
  it('makes a development key once for an embedded SQLite database', async () => {
    const store = openSqliteStore(':memory:');
    try {
      const key = await provisionDevKeyOnce(store, new Date());
      expect(key?.scopes).toEqual(['interhumanai.upload', 'interhumanai.stream']);
      expect(await provisionDevKeyOnce(store, new Date())).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('never makes one for a shared database, and never touches it to decide', async () => {
    const touched: string[] = [];
    const shared = new Proxy({ kind: 'postgres' } as Store, {
      get(target, name) {
        if (name !== 'kind') touched.push(String(name));
        return Reflect.get(target, name);
      },
    });
    expect(await provisionDevKeyOnce(shared, new Date())).toBeUndefined();
    expect(touched).toEqual([]);
  });
});
