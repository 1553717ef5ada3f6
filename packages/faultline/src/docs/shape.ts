import type { Entry } from '../catalog/types.ts';
import type { WireFormat } from '../formats/types.ts';
import type { JsonSchema } from './format-schemas.ts';
import { type SampleContext, sampleEncoded } from './sample.ts';

type Path = readonly string[];

/**
 * Where an entry's id, status and extra fields sit in a format's body, read from a real encoding.
 * @example shapeOf(entry, problem).idPaths // [['code']]
 */
export interface EntryShape {
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string>;
  readonly idPaths: readonly Path[];
  readonly statusPaths: readonly Path[];
  readonly fieldPaths: readonly Path[];
}

/**
 * Encodes the entry's sample error and finds its id, status and `<field>` placeholders in
 * the body. Reading the encoder's output (rather than a hand-kept table) keeps the schemas
 * true to the format for every format, including ones written after this file.
 * @example shapeOf(entry, structured).idPaths // [['error_id']]
 */
export function shapeOf(entry: Entry, format: WireFormat, context: SampleContext = {}): EntryShape {
  const encoded = sampleEncoded(entry, format, context);
  const idPaths: Path[] = [];
  const statusPaths: Path[] = [];
  const fieldPaths: Path[] = [];
  const placeholders = new Set(entry.fields.map((name) => `<${name}>`));
  const walk = (value: unknown, path: Path) => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [key, child] of Object.entries(value)) walk(child, [...path, key]);
    } else if (value === entry.id) idPaths.push(path);
    else if (entry.status !== undefined && value === entry.status) statusPaths.push(path);
    else if (typeof value === 'string' && placeholders.has(value)) fieldPaths.push(path);
  };
  walk(encoded.body, []);
  return { body: encoded.body, headers: encoded.headers, idPaths, statusPaths, fieldPaths };
}

/**
 * The constraints that single out an entry within its format: id and status as `const`,
 * extra fields required where the format puts them.
 * @example narrow(entry, shapeOf(entry, structured)) // { type: 'object', properties: { error_id: { const: 'ih2005' } }, required: ['error_id'] }
 */
export function narrow(entry: Entry, shape: EntryShape): JsonSchema {
  const root: Node = { children: new Map() };
  const put = (path: Path, leaf: JsonSchema) => {
    let node = root;
    for (const key of path) {
      let child = node.children.get(key);
      if (!child) {
        child = { children: new Map() };
        node.children.set(key, child);
      }
      node = child;
    }
    node.leaf = leaf;
  };
  for (const path of shape.idPaths) put(path, { const: entry.id });
  for (const path of shape.statusPaths) put(path, { const: entry.status });
  for (const path of shape.fieldPaths)
    put(path, { description: `Extra field \`${path.at(-1)}\` of ${entry.id}.` });
  return toSchema(root);
}

/** A tree of constrained paths; a node is a leaf schema or an object of children. */
interface Node {
  leaf?: JsonSchema;
  readonly children: Map<string, Node>;
}

function toSchema(node: Node, nested = false): JsonSchema {
  if (node.leaf) return node.leaf;
  const properties: Record<string, JsonSchema> = {};
  for (const [key, child] of node.children) properties[key] = toSchema(child, true);
  const schema = { type: 'object', properties, required: [...node.children.keys()] };
  // A nested object here only narrows the one the format's row describes (`error.code` is this
  // id); its other members are the row's. Tools that read an object with `properties` and no
  // word on other members as closed (Redocly's example rules) would reject the message beside
  // the code, so say it. The root needs no such word: it is an `allOf` member, read as open.
  return nested ? { ...schema, additionalProperties: true } : schema;
}
