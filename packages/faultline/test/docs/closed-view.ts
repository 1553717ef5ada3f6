import type { OpenApiDocument } from '../../src/docs/index.ts';

type Schema = Record<string, unknown>;

const MAPS = ['properties', 'patternProperties', '$defs', 'dependentSchemas'];
const LISTS = ['anyOf', 'oneOf', 'prefixItems'];
const SINGLES = [
  'items',
  'additionalProperties',
  'unevaluatedProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
];

/**
 * The schema at `pointer` as Redocly CLI's example rules read it (`no-invalid-media-type-examples`
 * and `no-invalid-schema-examples`, with their default `allowAdditionalProperties: false`): an
 * object schema that lists `properties` and says nothing about other members is closed
 * (`unevaluatedProperties: false`), unless it is a direct `allOf` member (or what such a member
 * `$ref`s). Refs are inlined so the exemption follows the path, as it does in Redocly's Ajv.
 * Plain Ajv on the result then reports what the linter reports, without spawning it.
 * @example new Ajv2020({ strict: false }).compile(closedView(doc, '/components/responses/Error400/content/application~1json/schema'))
 */
export function closedView(doc: OpenApiDocument, pointer: string): Schema {
  const resolve = (ref: string): Schema => {
    let node: unknown = doc;
    for (const key of ref.replace(/^#\//, '').split('/'))
      node = (node as Schema)[key.replaceAll('~1', '/').replaceAll('~0', '~')];
    if (node === undefined) throw new Error(`unresolved ${ref}`);
    return node as Schema;
  };
  const view = (schema: Schema, allOfMember: boolean, depth: number): Schema => {
    if (depth > 64) throw new Error('schema too deep (recursive $ref?)');
    if (typeof schema['$ref'] === 'string') {
      const { $ref, ...rest } = schema;
      const target = view(resolve($ref as string), allOfMember, depth + 1);
      return Object.keys(rest).length === 0
        ? target
        : { allOf: [target], ...view(rest, allOfMember, depth + 1) };
    }
    const out: Schema = { ...schema };
    delete out['discriminator'];
    for (const key of MAPS)
      if (schema[key])
        out[key] = Object.fromEntries(
          Object.entries(schema[key] as Record<string, Schema>).map(([k, v]) => [
            k,
            view(v, false, depth + 1),
          ]),
        );
    for (const key of LISTS)
      if (Array.isArray(schema[key]))
        out[key] = (schema[key] as Schema[]).map((v) => view(v, false, depth + 1));
    if (Array.isArray(schema['allOf']))
      out['allOf'] = (schema['allOf'] as Schema[]).map((v) => view(v, true, depth + 1));
    for (const key of SINGLES)
      if (typeof schema[key] === 'object' && schema[key] !== null)
        out[key] = view(schema[key] as Schema, false, depth + 1);
    const lists = 'properties' in schema || 'patternProperties' in schema;
    if (lists && !allOfMember && !('unevaluatedProperties' in schema)) out['unevaluatedProperties'] = false;
    return out;
  };
  return view(resolve(`#${pointer}`), false, 0);
}
