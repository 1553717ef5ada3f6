import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { migrate, SQLITE_MIGRATIONS } from './migrations.ts';
import type {
  AccountLimits,
  KeyRecord,
  NewKey,
  Plan,
  QuotaWindows,
  Reservation,
  Store,
  SubscriptionStatus,
  UsageRecord,
  UsageTotals,
} from './store.ts';

type Row = Record<string, unknown>;

/**
 * The SQLite store: one file, WAL so readers (the server) and writers (the CLI) in other
 * processes never block each other for long. `node:sqlite` is synchronous; the async
 * interface is kept so callers do not care which store they hold.
 * @example
 * const store = openSqliteStore('./data/signals.db');
 * await store.putSetting('greeting', 'hello');
 */
export function openSqliteStore(path: string): Store {
  const file = path === ':memory:' ? path : resolve(path);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new DatabaseSync(file);
  // busy_timeout first: the WAL switch itself needs a lock another process may hold.
  db.exec('PRAGMA busy_timeout = 5000');
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA foreign_keys = ON');
  migrate(db, SQLITE_MIGRATIONS);
  return new SqliteStore(db);
}

class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly #db: DatabaseSync;
  /**
   * Each statement prepared once: preparing parses the SQL anew (~100 small native allocations)
   * and makes a native statement that lives until a GC. Per request (a key lookup, the plan's
   * limits) that churn fragmented the malloc heap: ~1 KiB of RSS per WebSocket session.
   */
  readonly #statements = new Map<string, StatementSync>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  #sql(text: string): StatementSync {
    let statement = this.#statements.get(text);
    if (!statement) {
      statement = this.#db.prepare(text);
      this.#statements.set(text, statement);
    }
    return statement;
  }

  async createKey(key: NewKey): Promise<KeyRecord> {
    const db = this.#db;
    db.exec('BEGIN IMMEDIATE');
    try {
      this.#sql(
        'INSERT INTO api_keys (id, secret_hash, scopes, plan, created_at) VALUES (?, ?, ?, ?, ?)',
      ).run(key.id, key.secretHash, JSON.stringify(key.scopes), key.plan, key.createdAt.toISOString());
      this.#sql("INSERT INTO accounts (key_id, subscription_status, updated_at) VALUES (?, 'active', ?)").run(
        key.id,
        key.createdAt.toISOString(),
      );
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
    return { ...key, scopes: [...key.scopes], revokedAt: undefined };
  }

  async getKey(id: string): Promise<KeyRecord | undefined> {
    const row = this.#sql('SELECT * FROM api_keys WHERE id = ?').get(id);
    return row ? toKey(row) : undefined;
  }

  async listKeys(): Promise<KeyRecord[]> {
    return this.#sql('SELECT * FROM api_keys ORDER BY created_at, id').all().map(toKey);
  }

  async replaceSecretHash(id: string, from: string, to: string): Promise<boolean> {
    const result = this.#sql('UPDATE api_keys SET secret_hash = ? WHERE id = ? AND secret_hash = ?').run(
      to,
      id,
      from,
    );
    return Number(result.changes) === 1;
  }

  async revokeKey(id: string, at: Date): Promise<boolean> {
    this.#sql('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(
      at.toISOString(),
      id,
    );
    return this.#sql('SELECT 1 FROM api_keys WHERE id = ?').get(id) !== undefined;
  }

  async putPlan(plan: Plan): Promise<void> {
    this.#sql(
      `INSERT INTO plans (name, rpm, concurrency, period_minutes, daily_minutes) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET rpm = excluded.rpm, concurrency = excluded.concurrency,
           period_minutes = excluded.period_minutes, daily_minutes = excluded.daily_minutes`,
    ).run(plan.name, plan.rpm, plan.concurrency, plan.periodMinutes, plan.dailyMinutes);
  }

  async getPlan(name: string): Promise<Plan | undefined> {
    const row = this.#sql('SELECT * FROM plans WHERE name = ?').get(name);
    return row ? toPlan(row) : undefined;
  }

  async listPlans(): Promise<Plan[]> {
    return this.#sql('SELECT * FROM plans ORDER BY name').all().map(toPlan);
  }

  async setSubscription(keyId: string, status: SubscriptionStatus, at: Date): Promise<boolean> {
    const result = this.#sql(
      'UPDATE accounts SET subscription_status = ?, updated_at = ? WHERE key_id = ?',
    ).run(status, at.toISOString(), keyId);
    return Number(result.changes) > 0;
  }

  async getSubscription(keyId: string): Promise<SubscriptionStatus | undefined> {
    const row = this.#sql('SELECT subscription_status FROM accounts WHERE key_id = ?').get(keyId);
    return row ? (row['subscription_status'] as SubscriptionStatus) : undefined;
  }

  async getSetting(name: string): Promise<string | undefined> {
    const row = this.#sql('SELECT value FROM settings WHERE name = ?').get(name);
    return row ? String(row['value']) : undefined;
  }

  async putSetting(name: string, value: string): Promise<void> {
    this.#sql(
      'INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = ?',
    ).run(name, value, value);
  }

  async putSettingIfAbsent(name: string, value: string): Promise<string> {
    // One statement: atomic across processes, so exactly one writer wins.
    this.#sql('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING').run(
      name,
      value,
    );
    return (await this.getSetting(name)) ?? value;
  }

  async recordUsage(usage: UsageRecord): Promise<void> {
    this.#sql(
      'INSERT INTO usage (key_id, correlation_id, at, video_seconds, billed_seconds) VALUES (?, ?, ?, ?, ?)',
    ).run(
      usage.keyId,
      usage.correlationId,
      usage.at.toISOString(),
      usage.videoSeconds,
      Math.ceil(usage.videoSeconds),
    );
  }

  async accountLimits(keyId: string): Promise<AccountLimits | undefined> {
    const row = this.#sql(
      `SELECT p.*, a.subscription_status FROM api_keys k JOIN plans p ON p.name = k.plan
         JOIN accounts a ON a.key_id = k.id WHERE k.id = ?`,
    ).get(keyId);
    return row
      ? { plan: toPlan(row), subscription: row['subscription_status'] as SubscriptionStatus }
      : undefined;
  }

  async usageTotals(keyId: string, windows: QuotaWindows, now: Date): Promise<UsageTotals> {
    return this.#totals(keyId, windows, now);
  }

  /** Synchronous, so `reserveUsage` never yields inside its transaction. */
  #totals(keyId: string, windows: QuotaWindows, now: Date): UsageTotals {
    const sum = this.#sql(
      `SELECT COALESCE(SUM(billed_seconds), 0) AS total FROM usage
       WHERE key_id = ? AND at >= ? AND at < ? AND (state = 'committed' OR expires_at > ?)`,
    );
    const total = (from: Date, to: Date) =>
      Number(sum.get(keyId, from.toISOString(), to.toISOString(), now.toISOString())?.['total'] ?? 0);
    return {
      periodSeconds: total(windows.periodFrom, windows.periodTo),
      daySeconds: total(windows.dayFrom, windows.dayTo),
    };
  }

  async reserveUsage(r: Reservation): Promise<'reserved' | 'period' | 'daily'> {
    const db = this.#db;
    // BEGIN IMMEDIATE takes the write lock first: the check and the insert are one step for
    // every process sharing the file.
    db.exec('BEGIN IMMEDIATE');
    try {
      const used = this.#totals(r.keyId, r, r.at);
      let verdict: 'reserved' | 'period' | 'daily' = 'reserved';
      if (used.periodSeconds + r.billedSeconds > r.periodLimitSeconds) verdict = 'period';
      else if (used.daySeconds + r.billedSeconds > r.dailyLimitSeconds) verdict = 'daily';
      else
        this.#sql(
          `INSERT INTO usage (key_id, correlation_id, at, video_seconds, billed_seconds, state, expires_at, reservation_id)
           VALUES (?, ?, ?, ?, ?, 'reserved', ?, ?)`,
        ).run(
          r.keyId,
          r.correlationId,
          r.at.toISOString(),
          r.videoSeconds,
          r.billedSeconds,
          r.expiresAt.toISOString(),
          r.id,
        );
      db.exec('COMMIT');
      return verdict;
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }

  async commitUsage(id: string, _at: Date): Promise<boolean> {
    const result = this.#sql(
      "UPDATE usage SET state = 'committed', expires_at = NULL WHERE reservation_id = ? AND state = 'reserved'",
    ).run(id);
    return Number(result.changes) > 0;
  }

  async releaseUsage(id: string): Promise<void> {
    this.#sql("DELETE FROM usage WHERE reservation_id = ? AND state = 'reserved'").run(id);
  }

  async usageSeconds(keyId: string, from: Date, to: Date): Promise<number> {
    const row = this.#sql(
      "SELECT COALESCE(SUM(video_seconds), 0) AS total FROM usage WHERE key_id = ? AND at >= ? AND at < ? AND state = 'committed'",
    ).get(keyId, from.toISOString(), to.toISOString());
    return Number(row?.['total'] ?? 0);
  }

  async ping(): Promise<void> {
    this.#sql('SELECT 1').get();
  }

  async close(): Promise<void> {
    this.#statements.clear();
    if (this.#db.isOpen) this.#db.close();
  }
}

function toKey(row: Row): KeyRecord {
  return {
    id: String(row['id']),
    secretHash: String(row['secret_hash']),
    scopes: JSON.parse(String(row['scopes'])) as string[],
    plan: String(row['plan']),
    createdAt: new Date(String(row['created_at'])),
    revokedAt: row['revoked_at'] == null ? undefined : new Date(String(row['revoked_at'])),
  };
}

function toPlan(row: Row): Plan {
  return {
    name: String(row['name']),
    rpm: Number(row['rpm']),
    concurrency: Number(row['concurrency']),
    periodMinutes: Number(row['period_minutes']),
    dailyMinutes: Number(row['daily_minutes']),
  };
}
