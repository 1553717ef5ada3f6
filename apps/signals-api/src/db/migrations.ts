import type { DatabaseSync } from 'node:sqlite';

/**
 * One schema step. Versions are applied in order, each exactly once, each in its own transaction.
 * @example const step: Migration = { version: 2, name: 'usage kind', sql: 'ALTER TABLE usage ADD COLUMN kind TEXT' };
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * The SQLite schema, as numbered steps. Never edit a released step: add the next one.
 * Times are ISO 8601 UTC strings, which sort and compare correctly as text.
 * @example migrate(new DatabaseSync(':memory:'), SQLITE_MIGRATIONS) // [1]
 */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'keys, plans, accounts, settings, usage',
    sql: `
      CREATE TABLE plans (
        name            TEXT PRIMARY KEY,
        rpm             INTEGER NOT NULL CHECK (rpm > 0),
        concurrency     INTEGER NOT NULL CHECK (concurrency > 0),
        period_minutes  INTEGER NOT NULL CHECK (period_minutes >= 0),
        daily_minutes   INTEGER NOT NULL CHECK (daily_minutes >= 0)
      ) STRICT;
      -- Modest limits for the plan every key starts on; change them with "plans set default".
      INSERT INTO plans (name, rpm, concurrency, period_minutes, daily_minutes)
        VALUES ('default', 60, 2, 600, 60);
      CREATE TABLE api_keys (
        id           TEXT PRIMARY KEY,
        secret_hash  TEXT NOT NULL,
        scopes       TEXT NOT NULL,
        plan         TEXT NOT NULL REFERENCES plans(name),
        created_at   TEXT NOT NULL,
        revoked_at   TEXT
      ) STRICT;
      CREATE TABLE accounts (
        key_id               TEXT PRIMARY KEY REFERENCES api_keys(id),
        subscription_status  TEXT NOT NULL CHECK (subscription_status IN ('active', 'inactive')),
        updated_at           TEXT NOT NULL
      ) STRICT;
      CREATE TABLE settings (
        name   TEXT PRIMARY KEY,
        value  TEXT NOT NULL
      ) STRICT;
      CREATE TABLE usage (
        id              INTEGER PRIMARY KEY,
        key_id          TEXT NOT NULL REFERENCES api_keys(id),
        correlation_id  TEXT NOT NULL,
        at              TEXT NOT NULL,
        video_seconds   REAL NOT NULL CHECK (video_seconds >= 0)
      ) STRICT;
      CREATE INDEX usage_by_key_time ON usage (key_id, at);
    `,
  },
  {
    version: 2,
    name: 'usage reservations, plan dev',
    sql: `
      -- A usage row is a reservation until committed; a reservation that outlives expires_at
      -- (its instance crashed) no longer counts. billed_seconds = ceil(video_seconds).
      ALTER TABLE usage ADD COLUMN billed_seconds INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE usage ADD COLUMN state TEXT NOT NULL DEFAULT 'committed'
        CHECK (state IN ('reserved', 'committed'));
      ALTER TABLE usage ADD COLUMN expires_at TEXT;
      ALTER TABLE usage ADD COLUMN reservation_id TEXT;
      UPDATE usage SET billed_seconds =
        CAST(video_seconds AS INTEGER) + (video_seconds > CAST(video_seconds AS INTEGER));
      CREATE UNIQUE INDEX usage_by_reservation ON usage (reservation_id);
      INSERT INTO plans (name, rpm, concurrency, period_minutes, daily_minutes)
        VALUES ('dev', 60, 2, 600, 60) ON CONFLICT (name) DO NOTHING;
    `,
  },
];

/**
 * The PostgreSQL schema: the same steps, versions and behaviour as `SQLITE_MIGRATIONS`,
 * in PostgreSQL types (times as timestamptz).
 * @example await migratePostgres(sql) // [1, 2] on a fresh database
 */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'keys, plans, accounts, settings, usage',
    sql: `
      CREATE TABLE plans (
        name            TEXT PRIMARY KEY,
        rpm             INTEGER NOT NULL CHECK (rpm > 0),
        concurrency     INTEGER NOT NULL CHECK (concurrency > 0),
        period_minutes  INTEGER NOT NULL CHECK (period_minutes >= 0),
        daily_minutes   INTEGER NOT NULL CHECK (daily_minutes >= 0)
      );
      INSERT INTO plans (name, rpm, concurrency, period_minutes, daily_minutes)
        VALUES ('default', 60, 2, 600, 60);
      CREATE TABLE api_keys (
        id           TEXT PRIMARY KEY,
        secret_hash  TEXT NOT NULL,
        scopes       TEXT NOT NULL,
        plan         TEXT NOT NULL REFERENCES plans(name),
        created_at   TIMESTAMPTZ NOT NULL,
        revoked_at   TIMESTAMPTZ
      );
      CREATE TABLE accounts (
        key_id               TEXT PRIMARY KEY REFERENCES api_keys(id),
        subscription_status  TEXT NOT NULL CHECK (subscription_status IN ('active', 'inactive')),
        updated_at           TIMESTAMPTZ NOT NULL
      );
      CREATE TABLE settings (
        name   TEXT PRIMARY KEY,
        value  TEXT NOT NULL
      );
      CREATE TABLE usage (
        id              BIGSERIAL PRIMARY KEY,
        key_id          TEXT NOT NULL REFERENCES api_keys(id),
        correlation_id  TEXT NOT NULL,
        at              TIMESTAMPTZ NOT NULL,
        video_seconds   DOUBLE PRECISION NOT NULL CHECK (video_seconds >= 0)
      );
      CREATE INDEX usage_by_key_time ON usage (key_id, at);
    `,
  },
  {
    version: 2,
    name: 'usage reservations, plan dev',
    sql: `
      ALTER TABLE usage ADD COLUMN billed_seconds INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE usage ADD COLUMN state TEXT NOT NULL DEFAULT 'committed'
        CHECK (state IN ('reserved', 'committed'));
      ALTER TABLE usage ADD COLUMN expires_at TIMESTAMPTZ;
      ALTER TABLE usage ADD COLUMN reservation_id TEXT UNIQUE;
      UPDATE usage SET billed_seconds = CEIL(video_seconds)::INTEGER;
      INSERT INTO plans (name, rpm, concurrency, period_minutes, daily_minutes)
        VALUES ('dev', 60, 2, 600, 60) ON CONFLICT (name) DO NOTHING;
    `,
  },
];

/**
 * Brings a database up to the newest schema. `BEGIN IMMEDIATE` takes the write lock before
 * reading the version, so a CLI and a server starting together never apply a step twice.
 * @example migrate(db, SQLITE_MIGRATIONS) // → versions applied now, e.g. [1]
 */
export function migrate(db: DatabaseSync, migrations: readonly Migration[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    applied_at  TEXT NOT NULL
  ) STRICT`);
  const applied: number[] = [];
  for (const migration of migrations) {
    db.exec('BEGIN IMMEDIATE');
    try {
      const done = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(migration.version);
      if (!done) {
        db.exec(migration.sql);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
          migration.version,
          migration.name,
          new Date().toISOString(),
        );
        applied.push(migration.version);
      }
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
  return applied;
}
