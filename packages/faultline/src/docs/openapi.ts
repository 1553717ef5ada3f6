import type { Entry } from '../catalog/types.ts';
import { statusLine } from '../formats/reason.ts';
import type { WireFormat } from '../formats/types.ts';
import { currentShape, FORMAT_SCHEMAS, formatSchemaFor, type JsonSchema, pascal } from './format-schemas.ts';
import type { CatalogLike } from './model.ts';
import { type EntryShape, narrow, shapeOf } from './shape.ts';

/**
 * Options of `openapi`.
 * @example openapi(signals, { format: structured, version: '2.0.0' })
 */
export interface OpenApiOptions {
  /** The wire format the API answers in: entry schemas and responses use it. */
  readonly format: WireFormat;
  /** Base URL of the docs page, for each entry's `externalDocs` and example `link`s. */
  readonly docsBase?: string | undefined;
  readonly title?: string | undefined;
  readonly version?: string | undefined;
  /** Clock for formats whose bodies depend on time. */
  readonly now?: (() => number) | undefined;
}

/**
 * A response object under `#/components/responses`.
 * @example openapi(signals, { format: structured }).components.responses['Error429']?.headers // { 'X-Correlation-ID': …, 'Retry-After': … }
 */
export interface OpenApiResponse {
  readonly description: string;
  readonly headers: Record<string, JsonSchema>;
  readonly content: Record<string, { schema: JsonSchema; examples: Record<string, { value: unknown }> }>;
}

/**
 * The generated document: no paths of its own, everything under `components` to `$ref` from yours.
 * @example reply.send(openapi(signals, { format: structured }))
 */
export interface OpenApiDocument {
  readonly openapi: '3.1.0';
  readonly info: { readonly title: string; readonly version: string; readonly description: string };
  readonly paths: Record<string, never>;
  readonly components: {
    readonly schemas: Record<string, JsonSchema>;
    readonly responses: Record<string, OpenApiResponse>;
    readonly headers: Record<string, JsonSchema>;
  };
}

/** Headers an error response may carry, with the words a reader needs. */
const HEADERS: Readonly<
  Record<string, { name: string; description: string; schema: JsonSchema; required?: boolean }>
> = {
  'x-correlation-id': {
    name: 'X-Correlation-ID',
    description: 'Id of the request; equals the body correlation id where the format has one.',
    schema: { type: 'string' },
    required: true,
  },
  'retry-after': {
    name: 'Retry-After',
    description: 'Seconds to wait before repeating the request (retryable errors).',
    schema: { type: 'integer', minimum: 0 },
  },
  'x-request-id': {
    name: 'X-Request-Id',
    description: 'Id of the request, for formats whose body has no room for it.',
    schema: { type: 'string' },
  },
  deprecation: {
    name: 'Deprecation',
    description: 'When the legacy body fields were deprecated (RFC 9745).',
    schema: { type: 'string' },
  },
  sunset: {
    name: 'Sunset',
    description: 'When the legacy body fields stop being sent (RFC 8594).',
    schema: { type: 'string' },
  },
  link: {
    name: 'Link',
    description: 'Link to the migration notes (`rel="deprecation"`).',
    schema: { type: 'string' },
  },
};

/**
 * OpenAPI 3.1 components for a catalog: a schema per wire format, a schema per entry (its id
 * as a `const`), and one response per HTTP status (`Error400`, …) that is `oneOf` its entries,
 * discriminated on the id field when the format has a top-level one (a status with a single
 * entry `$ref`s it directly). Every example validates against the schema beside it.
 * @example
 * const doc = openapi(signals, { format: structured, docsBase: 'https://api.example/docs/errors', version: '1.0.0' });
 * doc.components.responses.Error400 // { description, headers, content: { 'application/json': { schema: { oneOf, discriminator } } } }
 */
export function openapi(catalog: CatalogLike, options: OpenApiOptions): OpenApiDocument {
  const docsBase = options.docsBase ?? catalog.docsBase;
  const builtins = new Set(catalog.builtins ?? []);
  const all = [...catalog.entries, ...builtins];
  // What the server sends now: a transition past its sunset is described as plain structured.
  const current = currentShape(options.format, all, { docsBase, now: options.now });
  const row =
    FORMAT_SCHEMAS.find((candidate) => candidate.name === current.name) ??
    formatSchemaFor(options.format, all);
  // Only the row in use and the rows it builds on: a generated client should not get types
  // for shapes this API never sends.
  const schemas: Record<string, JsonSchema> = {};
  for (const name of referencedRows(row))
    schemas[name] = FORMAT_SCHEMAS.find((r) => r.schemaName === name)!.schema;
  schemas[row.schemaName] = row.schema;

  const shapes = new Map<Entry, EntryShape>();
  const names = new Map<Entry, string>();
  for (const entry of all) {
    const shape = shapeOf(entry, options.format, { docsBase, now: options.now });
    let name = pascal(entry.slug) || pascal(entry.id);
    while (name in schemas) name += '_';
    shapes.set(entry, shape);
    names.set(entry, name);
    schemas[name] = entrySchema(entry, shape, row.schemaName, docsBase, builtins.has(entry));
  }

  const byStatus = new Map<number, Entry[]>();
  for (const entry of all) {
    if (entry.status === undefined) continue;
    byStatus.set(entry.status, [...(byStatus.get(entry.status) ?? []), entry]);
  }
  const responses: Record<string, OpenApiResponse> = {};
  const usedHeaders = new Set<string>();
  for (const [status, entries] of [...byStatus].sort(([a], [b]) => a - b)) {
    const headerNames = new Set(['x-correlation-id']);
    for (const entry of entries) {
      for (const name of Object.keys(shapes.get(entry)!.headers)) if (name in HEADERS) headerNames.add(name);
      if (entry.retryable) headerNames.add('retry-after');
    }
    for (const name of headerNames) usedHeaders.add(name);
    const examples: Record<string, { value: unknown }> = {};
    for (const entry of entries) examples[entry.id] = { value: shapes.get(entry)!.body };
    // A per-status format (byStatus) may answer this status with its own content type.
    const contentType = shapes.get(entries[0]!)!.headers['content-type'] ?? options.format.contentType;
    const mediaType = contentType.split(';')[0]!.trim();
    responses[`Error${status}`] = {
      description: `${statusLine(status)}: ${entries.map((e) => `${e.id} (${e.title})`).join(', ')}.`,
      headers: Object.fromEntries(
        [...headerNames].map((name) => [
          HEADERS[name]!.name,
          { $ref: `#/components/headers/${pascal(name)}` },
        ]),
      ),
      content: {
        [mediaType]: { schema: unionOf(entries, shapes, names), examples },
      },
    };
  }
  const headers: Record<string, JsonSchema> = {};
  for (const name of Object.keys(HEADERS).filter((n) => usedHeaders.has(n)))
    headers[pascal(name)] = {
      description: HEADERS[name]!.description,
      schema: HEADERS[name]!.schema,
      ...(HEADERS[name]!.required && { required: true }),
    };

  return {
    openapi: '3.1.0',
    info: {
      title: options.title ?? `${catalog.name ?? 'API'} errors`,
      version: options.version ?? '1.0.0',
      description:
        `Error responses of ${catalog.name ?? 'the API'}, in the \`${current.name}\` format` +
        (current.sunset === undefined
          ? '.'
          : ` (the legacy fields, marked deprecated, are sent until ${current.sunset}).`) +
        ' Generated by faultline.',
    },
    paths: {},
    components: { schemas, responses, headers },
  };
}

/** Names of the `FORMAT_SCHEMAS` rows a row's schema `$ref`s, the row itself first. */
function referencedRows(row: { schemaName: string; schema: JsonSchema }): string[] {
  const names = new Set<string>();
  const visit = (schemaName: string, schema: JsonSchema | undefined) => {
    if (names.has(schemaName) || schema === undefined) return;
    names.add(schemaName);
    for (const match of JSON.stringify(schema).matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
      const next = FORMAT_SCHEMAS.find((r) => r.schemaName === match[1]);
      visit(match[1]!, next?.schema);
    }
  };
  visit(row.schemaName, row.schema);
  return [...names].filter((name) => FORMAT_SCHEMAS.some((r) => r.schemaName === name));
}

function entrySchema(
  entry: Entry,
  shape: EntryShape,
  base: string,
  docsBase: string | undefined,
  builtin: boolean,
): JsonSchema {
  const extension: Record<string, unknown> = {
    id: entry.id,
    category: entry.category,
    retryable: entry.retryable,
  };
  // Framework built-ins are the framework's answers, not the API's catalog errors.
  if (builtin) extension['builtin'] = true;
  if (entry.status !== undefined) extension['status'] = entry.status;
  if (entry.retryAfterSeconds !== undefined) extension['retryAfterSeconds'] = entry.retryAfterSeconds;
  if (entry.closeCode !== undefined) extension['closeCode'] = entry.closeCode;
  return {
    title: `${entry.id} ${entry.title}`,
    description: [entry.message, entry.description].filter(Boolean).join('\n\n'),
    allOf: [{ $ref: `#/components/schemas/${base}` }, narrow(entry, shape)],
    examples: [shape.body],
    ...(entry.deprecated && { deprecated: true }),
    ...(docsBase !== undefined &&
      /^https?:/.test(docsBase) && { externalDocs: { url: `${docsBase}#${entry.slug}` } }),
    'x-faultline': extension,
  };
}

/**
 * `oneOf` when ids tell entries apart (each entry's id is a `const`, so branches exclude each
 * other; with a discriminator when the id is top-level), else `anyOf`: without an id, entries
 * of one status share a shape and overlap by nature, which `oneOf` would turn into a rejection.
 */
function unionOf(
  entries: readonly Entry[],
  shapes: Map<Entry, EntryShape>,
  names: Map<Entry, string>,
): JsonSchema {
  const refs = entries.map((entry) => ({ $ref: `#/components/schemas/${names.get(entry)}` }));
  // A union of one is noise to linters and an extra wrapper type to client generators.
  if (refs.length === 1) return refs[0]!;
  const idPaths = entries.map((entry) => shapes.get(entry)!.idPaths[0]);
  if (idPaths.some((path) => path === undefined)) return { anyOf: refs };
  const top = idPaths[0]!;
  const discriminable =
    top.length === 1 && idPaths.every((path) => path!.length === 1 && path![0] === top[0]);
  if (!discriminable) return { oneOf: refs };
  const mapping: Record<string, string> = {};
  entries.forEach((entry, index) => {
    mapping[entry.id] = refs[index]!.$ref;
  });
  return { oneOf: refs, discriminator: { propertyName: top[0], mapping } };
}
