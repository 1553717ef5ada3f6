import { openSqliteStore } from './sqlite.ts';
import type { Store } from './store.ts';

export { type Migration, migrate, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from './migrations.ts';
export { openSqliteStore } from './sqlite.ts';
export * from './store.ts';

/**
 * Opens the store a `DATABASE_URL` names: `sqlite:./data/signals.db`, `sqlite:///abs/path.db`,
 * `sqlite::memory:`, or `postgres://…` / `postgresql://…` for a cluster.
 * @example
 * const store = await openStore(config.databaseUrl);
 */
export async function openStore(databaseUrl: string): Promise<Store> {
  // The PostgreSQL driver is loaded only for a postgres URL: a SQLite service does not keep
  // its code live in the heap, which every full GC walks.
  if (/^postgres(ql)?:\/\//.test(databaseUrl))
    return (await import('./postgres.ts')).openPostgresStore(databaseUrl);
  const path = sqlitePath(databaseUrl);
  if (path === undefined)
    throw new Error('DATABASE_URL must look like sqlite:./data/signals.db or sqlite:///absolute/path.db');
  return openSqliteStore(path);
}

/**
 * The file path of a `sqlite:` URL; undefined for anything else.
 * @example sqlitePath('sqlite:///tmp/x.db') // '/tmp/x.db'
 */
export function sqlitePath(databaseUrl: string): string | undefined {
  if (!databaseUrl.startsWith('sqlite:')) return undefined;
  let rest = databaseUrl.slice('sqlite:'.length);
  // sqlite:///abs → /abs ; sqlite://./rel → ./rel ; sqlite:./rel and sqlite:/abs as written.
  if (rest.startsWith('//')) rest = rest.slice(2);
  rest = decodeURIComponent(rest);
  return rest === '' ? undefined : rest;
}
