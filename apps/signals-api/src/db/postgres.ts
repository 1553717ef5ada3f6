import postgres from 'postgres';
import { type Migration, POSTGRES_MIGRATIONS } from './migrations.ts';
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

type Sql = postgres.Sql;
type Row = Record<string, unknown>;
/** Any number, so two instances starting together serialise their migrations. */
const MIGRATION_LOCK = 0x5167_6e61;

/**
 * The PostgreSQL store (`DATABASE_URL=postgres://…`): the same behaviour as the SQLite one,
 * for any number of instances sharing one database. Quota reservations lock the account row,
 * so concurrent uploads of one account are decided one after another, across instances.
 * @example const store = await openPostgresStore('postgres://root@127.0.0.1:5432/signals');
 */
export async function openPostgresStore(url: string): Promise<Store> {
  const sql = postgres(url, { max: 10, onnotice: () => {}, connect_timeout: 10 });
  try {
    await migratePostgres(sql, POSTGRES_MIGRATIONS);
  } catch (error) {
    await sql.end({ timeout: 1 });
    // The driver's message names the host or role, never the password.
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot open the PostgreSQL database: ${reason}`, { cause: error });
  }
  return new PostgresStore(sql);
}

/**
 * Applies the PostgreSQL migrations not yet recorded, all under one advisory lock.
 * @example await migratePostgres(sql, POSTGRES_MIGRATIONS) // [1, 2] the first time, [] after
 */
export async function migratePostgres(sql: Sql, migrations: readonly Migration[]): Promise<number[]> {
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`;
    const done = new Set((await tx`SELECT version FROM schema_migrations`).map((r) => Number(r['version'])));
    const applied: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await tx.unsafe(migration.sql);
      await tx`INSERT INTO schema_migrations ${tx({ version: migration.version, name: migration.name, applied_at: new Date() })}`;
      applied.push(migration.version);
    }
    return applied;
  }) as Promise<number[]>;
}

class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  readonly #sql: Sql;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  async createKey(key: NewKey): Promise<KeyRecord> {
    await this.#sql.begin(async (tx) => {
      await tx`INSERT INTO api_keys (id, secret_hash, scopes, plan, created_at)
        VALUES (${key.id}, ${key.secretHash}, ${JSON.stringify(key.scopes)}, ${key.plan}, ${key.createdAt})`;
      await tx`INSERT INTO accounts (key_id, subscription_status, updated_at)
        VALUES (${key.id}, 'active', ${key.createdAt})`;
    });
    return { ...key, scopes: [...key.scopes], revokedAt: undefined };
  }

  async getKey(id: string): Promise<KeyRecord | undefined> {
    const [row] = await this.#sql`SELECT * FROM api_keys WHERE id = ${id}`;
    return row ? toKey(row) : undefined;
  }

  async listKeys(): Promise<KeyRecord[]> {
    return (await this.#sql`SELECT * FROM api_keys ORDER BY created_at, id`).map(toKey);
  }

  async replaceSecretHash(id: string, from: string, to: string): Promise<boolean> {
    const rows = await this.#sql`UPDATE api_keys SET secret_hash = ${to}
      WHERE id = ${id} AND secret_hash = ${from} RETURNING id`;
    return rows.length === 1;
  }

  async revokeKey(id: string, at: Date): Promise<boolean> {
    await this.#sql`UPDATE api_keys SET revoked_at = ${at} WHERE id = ${id} AND revoked_at IS NULL`;
    return (await this.#sql`SELECT 1 FROM api_keys WHERE id = ${id}`).length > 0;
  }

  async putPlan(plan: Plan): Promise<void> {
    await this.#sql`INSERT INTO plans (name, rpm, concurrency, period_minutes, daily_minutes)
      VALUES (${plan.name}, ${plan.rpm}, ${plan.concurrency}, ${plan.periodMinutes}, ${plan.dailyMinutes})
      ON CONFLICT (name) DO UPDATE SET rpm = excluded.rpm, concurrency = excluded.concurrency,
        period_minutes = excluded.period_minutes, daily_minutes = excluded.daily_minutes`;
  }

  async getPlan(name: string): Promise<Plan | undefined> {
    const [row] = await this.#sql`SELECT * FROM plans WHERE name = ${name}`;
    return row ? toPlan(row) : undefined;
  }

  async listPlans(): Promise<Plan[]> {
    return (await this.#sql`SELECT * FROM plans ORDER BY name`).map(toPlan);
  }

  async setSubscription(keyId: string, status: SubscriptionStatus, at: Date): Promise<boolean> {
    const result = await this.#sql`UPDATE accounts SET subscription_status = ${status}, updated_at = ${at}
      WHERE key_id = ${keyId}`;
    return result.count > 0;
  }

  async getSubscription(keyId: string): Promise<SubscriptionStatus | undefined> {
    const [row] = await this.#sql`SELECT subscription_status FROM accounts WHERE key_id = ${keyId}`;
    return row ? (row['subscription_status'] as SubscriptionStatus) : undefined;
  }

  async getSetting(name: string): Promise<string | undefined> {
    const [row] = await this.#sql`SELECT value FROM settings WHERE name = ${name}`;
    return row ? String(row['value']) : undefined;
  }

  async putSetting(name: string, value: string): Promise<void> {
    await this.#sql`INSERT INTO settings (name, value) VALUES (${name}, ${value})
      ON CONFLICT (name) DO UPDATE SET value = excluded.value`;
  }

  async putSettingIfAbsent(name: string, value: string): Promise<string> {
    await this
      .#sql`INSERT INTO settings (name, value) VALUES (${name}, ${value}) ON CONFLICT (name) DO NOTHING`;
    return (await this.getSetting(name)) ?? value;
  }

  async recordUsage(usage: UsageRecord): Promise<void> {
    await this.#sql`INSERT INTO usage (key_id, correlation_id, at, video_seconds, billed_seconds)
      VALUES (${usage.keyId}, ${usage.correlationId}, ${usage.at}, ${usage.videoSeconds}, ${Math.ceil(usage.videoSeconds)})`;
  }

  async usageSeconds(keyId: string, from: Date, to: Date): Promise<number> {
    const [row] = await this.#sql`SELECT COALESCE(SUM(video_seconds), 0) AS total FROM usage
      WHERE key_id = ${keyId} AND at >= ${from} AND at < ${to} AND state = 'committed'`;
    return Number(row?.['total'] ?? 0);
  }

  async accountLimits(keyId: string): Promise<AccountLimits | undefined> {
    const [row] = await this.#sql`SELECT p.*, a.subscription_status FROM api_keys k
      JOIN plans p ON p.name = k.plan JOIN accounts a ON a.key_id = k.id WHERE k.id = ${keyId}`;
    return row
      ? { plan: toPlan(row), subscription: row['subscription_status'] as SubscriptionStatus }
      : undefined;
  }

  async usageTotals(keyId: string, windows: QuotaWindows, now: Date): Promise<UsageTotals> {
    return totals(this.#sql, keyId, windows, now);
  }

  async reserveUsage(r: Reservation): Promise<'reserved' | 'period' | 'daily'> {
    return this.#sql.begin(async (tx) => {
      // The account row lock serialises reservations of one account across every instance.
      await tx`SELECT 1 FROM accounts WHERE key_id = ${r.keyId} FOR UPDATE`;
      const used = await totals(tx, r.keyId, r, r.at);
      if (used.periodSeconds + r.billedSeconds > r.periodLimitSeconds) return 'period';
      if (used.daySeconds + r.billedSeconds > r.dailyLimitSeconds) return 'daily';
      await tx`INSERT INTO usage (key_id, correlation_id, at, video_seconds, billed_seconds, state, expires_at, reservation_id)
        VALUES (${r.keyId}, ${r.correlationId}, ${r.at}, ${r.videoSeconds}, ${r.billedSeconds}, 'reserved', ${r.expiresAt}, ${r.id})`;
      return 'reserved';
    }) as Promise<'reserved' | 'period' | 'daily'>;
  }

  async commitUsage(id: string, _at: Date): Promise<boolean> {
    const result = await this.#sql`UPDATE usage SET state = 'committed', expires_at = NULL
      WHERE reservation_id = ${id} AND state = 'reserved'`;
    return result.count > 0;
  }

  async releaseUsage(id: string): Promise<void> {
    await this.#sql`DELETE FROM usage WHERE reservation_id = ${id} AND state = 'reserved'`;
  }

  async ping(): Promise<void> {
    await this.#sql`SELECT 1`;
  }

  async close(): Promise<void> {
    await this.#sql.end({ timeout: 5 });
  }
}

async function totals(
  sql: postgres.Sql | postgres.TransactionSql,
  keyId: string,
  w: QuotaWindows,
  now: Date,
): Promise<UsageTotals> {
  const [row] = await sql`SELECT
      COALESCE(SUM(billed_seconds) FILTER (WHERE at >= ${w.periodFrom} AND at < ${w.periodTo}), 0) AS period,
      COALESCE(SUM(billed_seconds) FILTER (WHERE at >= ${w.dayFrom} AND at < ${w.dayTo}), 0) AS day
    FROM usage WHERE key_id = ${keyId} AND (state = 'committed' OR expires_at > ${now})`;
  return { periodSeconds: Number(row?.['period'] ?? 0), daySeconds: Number(row?.['day'] ?? 0) };
}

function toKey(row: Row): KeyRecord {
  return {
    id: String(row['id']),
    secretHash: String(row['secret_hash']),
    scopes: JSON.parse(String(row['scopes'])) as string[],
    plan: String(row['plan']),
    createdAt: new Date(row['created_at'] as Date),
    revokedAt: row['revoked_at'] == null ? undefined : new Date(row['revoked_at'] as Date),
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
