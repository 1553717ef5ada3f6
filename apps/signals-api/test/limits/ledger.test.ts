import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/db/index.ts';
import { quotaWindows, reserveMinutes } from '../../src/limits/index.ts';
import { freshDatabase } from './support.ts';

const NOW = Date.parse('2026-05-20T22:30:00Z');
const plan = { name: 'ledger', rpm: 60, concurrency: 2, periodMinutes: 3, dailyMinutes: 2 };

const backends = [
  {
    name: 'SQLite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'signals-ledger-'));
      const store = await openStore(`sqlite:${join(dir, 'signals.db')}`);
      return { store, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'PostgreSQL',
    async open() {
      const db = await freshDatabase();
      return { store: await openStore(db.url), dispose: () => db.drop() };
    },
  },
];

for (const backend of backends) {
  describe(`usage ledger on ${backend.name}`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let serial = 0;
    const newKey = async () => {
      const id = `key_ledger_${++serial}`;
      await store.createKey({ id, secretHash: 'x', scopes: [], plan: plan.name, createdAt: new Date(NOW) });
      return id;
    };
    const reserve = (keyId: string, videoSeconds: number, now = NOW, holdMs = 60_000) =>
      reserveMinutes({ store, keyId, plan, correlationId: 'c', videoSeconds, now, holdMs });

    beforeAll(async () => {
      ({ store, dispose } = await backend.open());
      await store.putPlan(plan);
    });
    afterAll(async () => {
      await store?.close();
      await dispose?.();
    });

    it('bills ceil(seconds) on commit and nothing on release', async () => {
      const keyId = await newKey();
      const kept = await reserve(keyId, 59.2);
      expect(kept.billedSeconds).toBe(60);
      await kept.commit();
      await kept.release(); // after commit: no effect
      await (await reserve(keyId, 30)).release();
      expect(await store.usageTotals(keyId, quotaWindows(NOW), new Date(NOW))).toEqual({
        periodSeconds: 60,
        daySeconds: 60,
      });
    });

    it('refuses a video that does not fit: the period is checked first, then the day', async () => {
      const keyId = await newKey();
      await (await reserve(keyId, 120)).commit();
      // Day full (2 min): ih3004 even though the period (3 min) has room.
      await expect(reserve(keyId, 1)).rejects.toMatchObject({ id: 'ih3004' });
      // Tomorrow the day is empty, and the period has 60 s left.
      const tomorrow = NOW + 3 * 3600_000;
      await expect(reserve(keyId, 61, tomorrow)).rejects.toMatchObject({ id: 'ih3003' });
      await (await reserve(keyId, 60, tomorrow)).commit();
    });

    it('a reservation nobody commits stops counting when it lapses (a crashed instance)', async () => {
      const keyId = await newKey();
      await reserve(keyId, 120, NOW, 1000);
      await expect(reserve(keyId, 1, NOW + 500)).rejects.toMatchObject({ id: 'ih3004' });
      expect((await reserve(keyId, 1, NOW + 1500)).billedSeconds).toBe(1);
    });

    it('parallel reservations never overbook', async () => {
      const keyId = await newKey();
      const results = await Promise.allSettled(Array.from({ length: 12 }, () => reserve(keyId, 30)));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
    });
  });
}
