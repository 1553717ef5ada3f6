import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

type SchemaController = NonNullable<FastifyServerOptions['schemaController']>;
type Factories = NonNullable<SchemaController['compilersFactory']>;
/** What both packages' selectors return (their own, overloaded types say the same). */
type Build = (externalSchemas: unknown, options: unknown) => unknown;

/**
 * Fastify's own default schema compilers (ajv and fast-json-stringify), loaded when the first
 * route that declares a schema needs them instead of when Fastify is constructed. No route of
 * this service declares one, so their ~100 modules stay out of the live heap, which every full
 * GC walks (bench scenario 4: ingest CPU tracks the heap's size). The packages are resolved
 * from Fastify's own location: the very versions it would load itself, built the same way.
 * One thing differs once a schema exists: Fastify treats these as custom compilers, which do
 * not lowercase the keys of a `headers` schema, so write header names there in lower case.
 * @example Fastify({ schemaController: lazySchemaCompilers() })
 */
export function lazySchemaCompilers(): SchemaController {
  const fromFastify = createRequire(import.meta.resolve('fastify'));
  let validator: Build | undefined;
  let serializer: Build | undefined;
  const buildValidator: Build = (schemas, options) => {
    validator ??= (fromFastify('@fastify/ajv-compiler') as () => Build)();
    return validator(schemas, options);
  };
  const buildSerializer: Build = (schemas, options) => {
    serializer ??= (fromFastify('@fastify/fast-json-stringify-compiler') as () => Build)();
    return serializer(schemas, options);
  };
  return {
    compilersFactory: {
      buildValidator: buildValidator as NonNullable<Factories['buildValidator']>,
      buildSerializer: buildSerializer as NonNullable<Factories['buildSerializer']>,
    },
  };
}
