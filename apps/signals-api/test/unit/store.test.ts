import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openStore, SQLITE_MIGRATIONS, type Store, sqlitePath } from '../../src/db/index.ts';

let dir: string;
let store: Store | undefined;
const at = (iso: string) => new Date(iso);
const newKey = (id: string, plan = 'default') => ({
  id,
  secretHash: 'scrypt$ln=8,r=8,p=1$AAAA$BBBB',
  scopes: ['interhumanai.upload'],
  plan,
  createdAt: at('2026-01-01T00:00:00Z'),
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'signals-store-'));
});
afterEach(async () => {
  await store?.close();
  store = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('openStore', () => {
  it('creates the file and its directory, in WAL mode, with migrations recorded', async () => {
    const file = join(dir, 'nested/deeper/signals.db');
    store = await openStore(`sqlite:${file}`);
    expect(existsSync(file)).toBe(true);
    const db = new DatabaseSync(file);
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
    expect(versions.map((row) => row['version'])).toEqual(SQLITE_MIGRATIONS.map((m) => m.version));
    db.close();
  });

  it('applies each migration once across reopenings and keeps the data', async () => {
    const url = `sqlite://${join(dir, 'signals.db')}`;
    store = await openStore(url);
    await store.putSetting('kept', 'yes');
    await store.close();
    store = await openStore(url);
    expect(await store.getSetting('kept')).toBe('yes');
    const db = new DatabaseSync(join(dir, 'signals.db'));
    expect(db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({
      n: SQLITE_MIGRATIONS.length,
    });
    db.close();
  });

  it('says plainly when PostgreSQL cannot be reached, and rejects other schemes', async () => {
    await expect(openStore('postgres://u:p@127.0.0.1:1/db')).rejects.toThrow(
      /cannot open the PostgreSQL database/,
    );
    await expect(openStore('mysql://x')).rejects.toThrow(/sqlite:/);
  });

  it('reads sqlite URLs in their usual spellings', () => {
    expect(sqlitePath('sqlite:./data/signals.db')).toBe('./data/signals.db');
    expect(sqlitePath('sqlite:///var/lib/s.db')).toBe('/var/lib/s.db');
    expect(sqlitePath('sqlite://./rel.db')).toBe('./rel.db');
    expect(sqlitePath('sqlite::memory:')).toBe(':memory:');
    expect(sqlitePath('sqlite:')).toBeUndefined();
    expect(sqlitePath('postgres://x')).toBeUndefined();
  });
});

describe('SQLite store', () => {
  beforeEach(async () => {
    store = await openStore(`sqlite:${join(dir, 'signals.db')}`);
  });

  it('creates, reads, lists and revokes keys; a new key has an active subscription', async () => {
    const s = store!;
    const created = await s.createKey(newKey('key_a'));
    expect(created).toEqual({ ...newKey('key_a'), revokedAt: undefined });
    await s.createKey({ ...newKey('key_b'), createdAt: at('2026-01-02T00:00:00Z') });
    expect(await s.getKey('key_a')).toEqual(created);
    expect(await s.getKey('nope')).toBeUndefined();
    expect((await s.listKeys()).map((k) => k.id)).toEqual(['key_a', 'key_b']);
    expect(await s.getSubscription('key_a')).toBe('active');

    expect(await s.revokeKey('key_a', at('2026-02-01T00:00:00Z'))).toBe(true);
    expect(await s.revokeKey('key_a', at('2026-03-01T00:00:00Z'))).toBe(true);
    expect((await s.getKey('key_a'))?.revokedAt?.toISOString()).toBe('2026-02-01T00:00:00.000Z');
    expect(await s.revokeKey('nope', at('2026-02-01T00:00:00Z'))).toBe(false);
  });

  it('refuses duplicate ids and unknown plans', async () => {
    const s = store!;
    await s.createKey(newKey('key_a'));
    await expect(s.createKey(newKey('key_a'))).rejects.toThrow();
    await expect(s.createKey(newKey('key_c', 'no-such-plan'))).rejects.toThrow();
    expect(await s.getKey('key_c')).toBeUndefined();
    // The failed insert left no half-made account behind.
    expect(await s.getSubscription('key_c')).toBeUndefined();
  });

  it('has a default plan and upserts plans', async () => {
    const s = store!;
    expect(await s.getPlan('default')).toMatchObject({ name: 'default' });
    expect(await s.getPlan('dev')).toEqual({
      name: 'dev',
      rpm: 60,
      concurrency: 2,
      periodMinutes: 600,
      dailyMinutes: 60,
    });
    const pro = { name: 'pro', rpm: 600, concurrency: 8, periodMinutes: 6000, dailyMinutes: 600 };
    await s.putPlan(pro);
    expect(await s.getPlan('pro')).toEqual(pro);
    await s.putPlan({ ...pro, rpm: 1200 });
    expect((await s.getPlan('pro'))?.rpm).toBe(1200);
    expect((await s.listPlans()).map((p) => p.name)).toEqual(['default', 'dev', 'pro']);
    await expect(s.putPlan({ ...pro, rpm: 0 })).rejects.toThrow();
  });

  it('sets subscriptions of existing keys only', async () => {
    const s = store!;
    await s.createKey(newKey('key_a'));
    expect(await s.setSubscription('key_a', 'inactive', at('2026-01-05T00:00:00Z'))).toBe(true);
    expect(await s.getSubscription('key_a')).toBe('inactive');
    expect(await s.setSubscription('nope', 'inactive', at('2026-01-05T00:00:00Z'))).toBe(false);
    expect(await s.getSubscription('nope')).toBeUndefined();
  });

  it('keeps the first value of putSettingIfAbsent, even against another connection', async () => {
    const s = store!;
    expect(await s.putSettingIfAbsent('jwt', 'first')).toBe('first');
    const other = await openStore(`sqlite:${join(dir, 'signals.db')}`);
    expect(await other.putSettingIfAbsent('jwt', 'second')).toBe('first');
    await other.close();
    await s.putSetting('jwt', 'rotated');
    expect(await s.getSetting('jwt')).toBe('rotated');
    expect(await s.getSetting('missing')).toBeUndefined();
  });

  it('prepares each statement once, and its reuse still sees what another process wrote', async () => {
    const s = store!;
    await s.createKey(newKey('key_a'));
    const prepare = vi.spyOn(DatabaseSync.prototype, 'prepare');
    try {
      for (let i = 0; i < 3; i++) {
        await s.getKey('key_a');
        await s.accountLimits('key_a');
      }
      expect(prepare).toHaveBeenCalledTimes(2);
    } finally {
      prepare.mockRestore();
    }
    // The CLI revokes the key and moves it to another plan from its own connection.
    const cli = new DatabaseSync(join(dir, 'signals.db'));
    cli.exec("UPDATE api_keys SET revoked_at = '2026-02-01T00:00:00.000Z' WHERE id = 'key_a'");
    cli.exec(
      "INSERT INTO plans (name, rpm, concurrency, period_minutes, daily_minutes) VALUES ('big', 9, 9, 9, 9)",
    );
    cli.exec("UPDATE api_keys SET plan = 'big' WHERE id = 'key_a'");
    cli.close();
    expect((await s.getKey('key_a'))?.revokedAt?.toISOString()).toBe('2026-02-01T00:00:00.000Z');
    expect((await s.accountLimits('key_a'))?.plan.name).toBe('big');
  });

  it('sums usage over a half-open time range', async () => {
    const s = store!;
    await s.createKey(newKey('key_a'));
    const use = (iso: string, seconds: number) =>
      s.recordUsage({ keyId: 'key_a', correlationId: 'c', at: at(iso), videoSeconds: seconds });
    await use('2026-01-31T23:59:59Z', 5);
    await use('2026-02-01T00:00:00Z', 60);
    await use('2026-02-14T12:00:00Z', 30.5);
    await use('2026-03-01T00:00:00Z', 100);
    expect(await s.usageSeconds('key_a', at('2026-02-01T00:00:00Z'), at('2026-03-01T00:00:00Z'))).toBe(90.5);
    expect(await s.usageSeconds('key_b', at('2026-02-01T00:00:00Z'), at('2026-03-01T00:00:00Z'))).toBe(0);
  });

  it('pings while open', async () => {
    await expect(store!.ping()).resolves.toBeUndefined();
    expect(store!.kind).toBe('sqlite');
  });
});
