import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { normaliseEntry } from '../catalog/define.ts';
import type { Entry, EntryDef } from '../catalog/types.ts';
import { type Io, UsageError } from './io.ts';

/**
 * The `"faultline"` key of a package.json.
 * @example "faultline": { "catalog": "./src/catalog.ts#signals", "docsBase": "https://api.example/docs/errors", "format": "structured" }
 */
export interface Config {
  readonly catalog?: string;
  readonly docsBase?: string;
  /** Wire format name of the example bodies and schemas (default `structured`). */
  readonly format?: string;
  /** For the `transition` format: ISO date the legacy fields stop. */
  readonly legacyUntil?: string;
}

/**
 * A loaded catalog, whatever shape its module exported.
 * @example (await loadCatalog('./src/catalog.ts', cwd)).entries.length
 */
export interface LoadedCatalog {
  readonly name: string;
  readonly docsBase: string | undefined;
  readonly entries: readonly Entry[];
  /** `path#export` it came from, for messages. */
  readonly source: string;
}

/**
 * The nearest package.json, walking up from `cwd`, that has a `"faultline"` key.
 * @example findConfig(process.cwd()) // { config: { catalog: './src/catalog.ts#signals' }, dir: '/repo' }
 */
export function findConfig(cwd: string): { config: Config; dir: string } | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
      }
      const config = (json as { faultline?: unknown } | null)?.faultline;
      if (config !== undefined) {
        if (typeof config !== 'object' || config === null || Array.isArray(config))
          throw new UsageError(
            `"faultline" in ${file} must be an object like {"catalog": "./src/catalog.ts"}`,
          );
        return { config: config as Config, dir };
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The catalog a command works on: `--catalog`, else the config's `catalog` (relative to its
 * package.json). Also returns the config, for `docsBase` and `format`.
 * @example const { catalog, config } = await catalogFor(values.catalog, io);
 */
export async function catalogFor(
  flag: string | undefined,
  io: Io,
): Promise<{ catalog: LoadedCatalog; config: Config }> {
  const found = findConfig(io.cwd);
  const config = found?.config ?? {};
  if (flag !== undefined) return { catalog: await loadCatalog(flag, io.cwd), config };
  if (found && typeof config.catalog === 'string')
    return { catalog: await loadCatalog(config.catalog, found.dir), config };
  throw new UsageError(
    'no catalog: pass --catalog ./path/to/catalog.ts[#export], or add "faultline": {"catalog": "..."} to package.json',
  );
}

/**
 * Imports a catalog module (`.ts` runs as is on Node 24) and picks its catalog export: the
 * named one, else `default`, else the only export that looks like a catalog.
 * @example await loadCatalog('./apps/signals-api/src/catalog.ts#signals', process.cwd())
 */
export async function loadCatalog(spec: string, baseDir: string): Promise<LoadedCatalog> {
  const hash = spec.lastIndexOf('#');
  const path = hash === -1 ? spec : spec.slice(0, hash);
  const exportName = hash === -1 ? undefined : spec.slice(hash + 1);
  if (!path) throw new UsageError(`catalog "${spec}" has no module path`);
  const file = isAbsolute(path) ? path : resolve(baseDir, path);
  const bare = !/^(\.{1,2}[\\/]|[\\/])/.test(path) && !existsSync(file);
  if (!bare && !existsSync(file)) throw new UsageError(`catalog module not found: ${file}`);
  let module: Record<string, unknown>;
  try {
    module = (await import(bare ? path : pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`cannot load catalog module ${bare ? path : file}: ${(error as Error).message}`);
  }
  const source = `${path}${exportName ? `#${exportName}` : ''}`;
  if (exportName !== undefined) {
    if (!(exportName in module)) {
      const names = Object.keys(module).join(', ') || 'none';
      throw new UsageError(`${path} has no export "${exportName}" (exports: ${names})`);
    }
    const catalog = asCatalog(module[exportName], exportName, source);
    if (!catalog) throw new UsageError(`export "${exportName}" of ${path} is not a catalog`);
    return catalog;
  }
  const fromDefault = asCatalog(module['default'], 'default', source);
  if (fromDefault) return fromDefault;
  const candidates = Object.entries(module).flatMap(([name, value]) => {
    const catalog = asCatalog(value, name, `${path}#${name}`);
    return catalog ? [catalog] : [];
  });
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0)
    throw new UsageError(
      `${path} exports no catalog (export the result of defineCatalog, or name it with #export)`,
    );
  throw new UsageError(
    `${path} exports several catalogs (${candidates.map((c) => c.source.split('#')[1]).join(', ')}): pick one with ${path}#name`,
  );
}

/** A Catalog object, an array of entries, or a record of entry definitions; anything else is not a catalog. */
function asCatalog(value: unknown, exportName: string, source: string): LoadedCatalog | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as { name?: unknown; docsBase?: unknown; entries?: unknown };
  if (Array.isArray(record.entries) && record.entries.every(isEntry)) {
    return {
      name: typeof record.name === 'string' ? record.name : exportName,
      docsBase: typeof record.docsBase === 'string' ? record.docsBase : undefined,
      entries: record.entries,
      source,
    };
  }
  if (Array.isArray(value))
    return value.length > 0 && value.every(isEntry)
      ? { name: exportName, docsBase: undefined, entries: value, source }
      : undefined;
  const defs = Object.entries(value as Record<string, unknown>);
  if (defs.length > 0 && defs.every(([, def]) => isEntryDef(def)))
    return {
      name: exportName,
      docsBase: undefined,
      entries: defs.map(([id, def]) => normaliseEntry(id, def as EntryDef)),
      source,
    };
  return undefined;
}

function isEntry(value: unknown): value is Entry {
  const entry = value as Partial<Entry> | null;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.id === 'string' &&
    typeof entry.slug === 'string' &&
    Array.isArray(entry.fix)
  );
}

function isEntryDef(value: unknown): boolean {
  const def = value as Partial<EntryDef> | null;
  return (
    typeof def === 'object' &&
    def !== null &&
    typeof def.title === 'string' &&
    typeof def.message === 'string'
  );
}
