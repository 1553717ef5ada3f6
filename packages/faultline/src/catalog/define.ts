import { ApiError } from '../error/api-error.ts';
import { slugFor, templateParams } from './slug.ts';
import type { Entry, EntryDef, ErrorArgs } from './types.ts';

/** A catalog: the single definition every response, page and tool derives from. */
// biome-ignore lint/suspicious/noExplicitAny: the default stands for "any catalog", so every concrete catalog is assignable to `Catalog`.
export interface Catalog<Defs extends Record<string, EntryDef> = any> {
  /** Name shown on docs pages and in the CLI. */
  readonly name: string;
  /** Default base URL of the docs page; a server may override it. */
  readonly docsBase: string | undefined;
  /** Every entry, normalised, in definition order. */
  readonly entries: readonly Entry[];
  /** The entry of an id, or undefined. */
  get(id: string): Entry | undefined;
  /** Whether the id is in this catalog. */
  has(id: string): id is Extract<keyof Defs, string>;
  /**
   * Creates the error of an entry; unknown ids and missing parameters are type errors.
   * @example signals.error('ih4005', { name: 'include[]', reason: 'unknown value' })
   */
  error<Id extends Extract<keyof Defs, string>>(id: Id, ...args: ErrorArgs<Defs[Id]>): ApiError<Id>;
}

/**
 * The id union of a catalog.
 * @example type Id = CatalogId<typeof signals>; // 'ih1001' | 'ih1002' | …
 */
export type CatalogId<C> = C extends Catalog<infer Defs> ? Extract<keyof Defs, string> : never;

/** Options of `defineCatalog`. */
export interface CatalogOptions<Defs extends Record<string, EntryDef>> {
  readonly name: string;
  readonly docsBase?: string;
  readonly entries: Defs;
}

/**
 * Defines a typed catalog. Entries are validated lazily by `lintCatalog`; definition never throws
 * so a broken catalog can still be inspected and reported.
 * @example
 * const api = defineCatalog({ name: 'demo', entries: {
 *   e1001: { title: 'Missing Name', status: 400, category: 'Input', message: 'Add a name.', fix: ['Send `name`.'] },
 * } });
 * throw api.error('e1001');
 */
export function defineCatalog<const Defs extends Record<string, EntryDef>>(
  options: CatalogOptions<Defs>,
): Catalog<Defs> {
  const entries = Object.entries(options.entries).map(([id, def]) => normaliseEntry(id, def));
  for (const entry of entries) owners.set(entry, options.name);
  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  return {
    name: options.name,
    docsBase: options.docsBase,
    entries,
    get: (id) => byId.get(id),
    has: (id): id is Extract<keyof Defs, string> => byId.has(id),
    error(id, ...args) {
      const entry = byId.get(id);
      if (!entry) throw new TypeError(`faultline: "${id}" is not in catalog "${options.name}"`);
      return new ApiError(entry, args[0], args[1]);
    },
  };
}

/** The catalog each entry was defined in: entries are frozen, and two catalogs may share an id. */
const owners = new WeakMap<Entry, string>();

/**
 * The name of the catalog an entry belongs to (undefined for an entry made outside `defineCatalog`).
 * Internal: coverage uses it so `e1` of one catalog never counts for `e1` of another.
 * @example catalogNameOf(api.error('e1001').entry) // 'demo'
 */
export function catalogNameOf(entry: Entry): string | undefined {
  return owners.get(entry);
}

/** Fills defaults of an entry definition. Exported for tools that build catalogs from JSON. */
export function normaliseEntry(id: string, def: EntryDef): Entry {
  return Object.freeze({
    id,
    title: def.title,
    status: def.status,
    category: def.category,
    message: def.message,
    description: def.description,
    fix: def.fix ?? [],
    retryable: def.retryable ?? false,
    retryAfterSeconds: def.retryAfterSeconds,
    closeCode: def.closeCode,
    wsType: def.wsType,
    fields: def.fields ?? [],
    params: templateParams(def.message ?? ''),
    deprecated: def.deprecated,
    slug: def.slug ?? slugFor(id, def.title ?? ''),
  });
}
