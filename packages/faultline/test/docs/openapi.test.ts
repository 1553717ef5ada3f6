import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { Entry } from '../../src/catalog/index.ts';
import { FORMAT_SCHEMAS } from '../../src/docs/format-schemas.ts';
import { type OpenApiDocument, openapi } from '../../src/docs/index.ts';
import { ApiError } from '../../src/error/index.ts';
import type { WireFormat } from '../../src/formats/index.ts';
import * as formats from '../../src/formats/index.ts';
import { closedView } from './closed-view.ts';
import { demo } from './fixtures.ts';

const DOCS = 'https://docs.demo.test/errors';

/** Every format `src/formats` exports that can encode (decode-only ones have no body to document). */
const exported = Object.values(formats).filter(
  (value): value is WireFormat =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as WireFormat).encode === 'function' &&
    typeof (value as WireFormat).name === 'string',
);

/** A format no table row knows: its schema must be inferred from what it encodes. */
const custom: WireFormat = {
  name: 'custom-shape',
  contentType: 'application/vnd.custom+json',
  encode: (error, context) => ({
    status: error.status,
    headers: {},
    body: { fault: { kind: error.id, text: error.message, ref: context.correlationId }, ...error.fields },
  }),
  decode: () => undefined,
};

const allFormats: WireFormat[] = [
  ...exported,
  formats.transition({ legacyUntil: Date.parse('2030-01-01T00:00:00Z'), now: () => 0 }),
  formats.byStatus({ 401: formats.spring, 429: formats.spring }, formats.trace, 'clips'),
  formats.byStatus({ 429: formats.problem }, formats.structured, 'mixed'),
  custom,
];

async function assertValidOpenApi(doc: OpenApiDocument) {
  const result = await new Validator().validate(structuredClone(doc) as unknown as Record<string, unknown>);
  expect(result.errors, JSON.stringify(result.errors, null, 2)).toBeUndefined();
  expect(result.valid).toBe(true);
}

/** Ajv over the whole document, so `#/components/...` refs resolve as a tool would resolve them. */
function compiler(doc: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  const $id = 'https://faultline.test/openapi.json';
  ajv.addSchema({ ...structuredClone(doc), $id });
  return (pointer: string) => ajv.compile({ $ref: `${$id}#${pointer}` });
}

/**
 * Every example in the document (each schema's `examples`, each response's named examples) is
 * valid against the schema beside it: as JSON Schema says, and as Redocly's example rules read
 * it (objects closed unless they say otherwise). Under `oneOf` that means exactly one branch.
 */
function expectExamplesValid(doc: OpenApiDocument) {
  const compile = compiler(doc);
  const strict = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  const check = (pointer: string, examples: [string, unknown][]) => {
    const loose = compile(pointer);
    const closed = strict.compile(closedView(doc, pointer));
    for (const [label, example] of examples) {
      expect(loose(example), `${label}: ${JSON.stringify(loose.errors)}`).toBe(true);
      expect(closed(example), `${label} (closed): ${JSON.stringify(closed.errors)}`).toBe(true);
    }
  };
  let count = 0;
  for (const [name, schema] of Object.entries(doc.components.schemas)) {
    const examples = (schema['examples'] as unknown[] | undefined) ?? [];
    count += examples.length;
    check(
      `/components/schemas/${name}`,
      examples.map((example, i) => [`${name}[${i}]`, example]),
    );
  }
  for (const [name, response] of Object.entries(doc.components.responses))
    for (const [type, media] of Object.entries(response.content)) {
      count += Object.keys(media.examples).length;
      check(
        `/components/responses/${name}/content/${type.replace('/', '~1')}/schema`,
        Object.entries(media.examples).map(([id, example]) => [`${name} ${id}`, example.value]),
      );
    }
  expect(count).toBeGreaterThan(0);
}

/** A real error of an entry, with concrete parameter values. */
function realError(entry: Entry): ApiError {
  const params: Record<string, unknown> = {};
  for (const name of entry.params) params[name] = `value-of-${name}`;
  for (const name of entry.fields) params[name] = { nested: [1, 2] };
  return new ApiError(entry, params);
}

describe('openapi', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const doc = openapi(demo, { format: formats.structured, version: '2.3.0', title: 'Demo errors' });
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'Demo errors', version: '2.3.0' });
    await assertValidOpenApi(doc);
  });

  it.each(allFormats.map((format) => [format.name, format] as const))(
    'is valid, its examples fit their schemas, and its schemas accept what the %s encoder sends',
    async (_name, format) => {
      const doc = openapi(demo, { format, docsBase: DOCS });
      await assertValidOpenApi(doc);
      expectExamplesValid(doc);
      const compile = compiler(doc);
      for (const entry of demo.entries) {
        const name = Object.entries(doc.components.schemas).find(
          ([, schema]) => (schema['x-faultline'] as { id?: string } | undefined)?.id === entry.id,
        )?.[0];
        expect(name, entry.id).toBeDefined();
        const encoded = format.encode(realError(entry), {
          correlationId: crypto.randomUUID(),
          docsBase: DOCS,
        });
        const validate = compile(`/components/schemas/${name}`);
        expect(validate(encoded.body), `${entry.id}: ${JSON.stringify(validate.errors)}`).toBe(true);
        if (entry.status === undefined) continue;
        const response = doc.components.responses[`Error${entry.status}`]!;
        const [mediaType] = Object.keys(response.content);
        const viaResponse = compile(
          `/components/responses/Error${entry.status}/content/${mediaType!.replace('/', '~1')}/schema`,
        );
        expect(
          viaResponse(encoded.body),
          `${entry.id} via response: ${JSON.stringify(viaResponse.errors)}`,
        ).toBe(true);
      }
    },
  );

  it.each([
    ['before the sunset', -1, true],
    ['after the sunset', 0, false],
  ] as const)(
    'describes a transition %s as it answers then, examples valid against their schemas',
    (_when, offset, legacy) => {
      const until = Date.parse('2026-03-20T00:00:00Z');
      const now = () => until + offset;
      const format = formats.transition({ legacyUntil: until, now });
      const doc = openapi(demo, { format, docsBase: DOCS, now });
      const compile = compiler(doc);
      const live = compile(`/components/responses/Error400/content/application~1json/schema`);
      const body = format.encode(realError(demo.entries.find((e) => e.status === 400)!), {
        correlationId: crypto.randomUUID(),
        docsBase: DOCS,
      }).body;
      expect(live(body), JSON.stringify(live.errors)).toBe(true);
      expect('detail' in body).toBe(legacy);
      expectExamplesValid(doc);
      const transitionRow = doc.components.schemas['TransitionError'] as
        | { properties: Record<string, { deprecated?: boolean }> }
        | undefined;
      if (legacy) expect(transitionRow?.properties['detail']?.deprecated).toBe(true);
      else expect(transitionRow).toBeUndefined();
    },
  );

  it('has a row for every exported format, and emits only the rows the format in use needs', () => {
    const rows = new Set(FORMAT_SCHEMAS.map((row) => row.name));
    for (const format of exported)
      expect(rows.has(format.name), `row for format "${format.name}"`).toBe(true);
    const rowNames = FORMAT_SCHEMAS.map((row) => row.schemaName);
    const emitted = (format: WireFormat) =>
      Object.keys(openapi(demo, { format }).components.schemas).filter((name) => rowNames.includes(name));
    expect(emitted(formats.structured)).toEqual(['StructuredError']);
    expect(emitted(formats.problem)).toEqual(['ProblemDetails']);
    // A transition builds on the structured row; past its sunset it *is* structured.
    const until = Date.parse('2026-03-20T00:00:00Z');
    expect(emitted(formats.transition({ legacyUntil: until, now: () => until - 1 })).sort()).toEqual([
      'StructuredError',
      'TransitionError',
    ]);
    expect(emitted(formats.transition({ legacyUntil: until, now: () => until }))).toEqual([
      'StructuredError',
    ]);
  });

  it('infers a schema for a format with no row', () => {
    const doc = openapi(demo, { format: custom });
    expect(doc.components.schemas['CustomShapeError']).toMatchObject({
      type: 'object',
      properties: { fault: { type: 'object', required: ['kind', 'text', 'ref'] } },
      required: ['fault'],
    });
    expect(doc.components.responses['Error400']?.content).toHaveProperty('application/vnd.custom+json');
  });

  it('gives each entry its id as a const, and rejects another id', () => {
    const doc = openapi(demo, { format: formats.structured, docsBase: DOCS });
    const schema = doc.components.schemas['Dm2005MissingKeySecret']!;
    expect(schema['allOf']).toEqual([
      { $ref: '#/components/schemas/StructuredError' },
      { type: 'object', properties: { error_id: { const: 'dm2005' } }, required: ['error_id'] },
    ]);
    expect(schema['externalDocs']).toEqual({ url: `${DOCS}#dm2005-missing-key-secret` });
    const quota = doc.components.schemas['Dm3004DailyQuotaExceeded']!;
    expect(JSON.stringify(quota['allOf'])).toContain('"required":["error_id","reset_time"]');
    expect(doc.components.schemas['Dm2007OldCredentialsError']).toMatchObject({ deprecated: true });

    const validate = compiler(doc)('/components/responses/Error400/content/application~1json/schema');
    const body = { error_id: 'dm2005', correlation_id: crypto.randomUUID(), link: '#x', message: 'm' };
    expect(validate(body)).toBe(true);
    expect(validate({ ...body, error_id: 'dm2006' })).toBe(false);
    expect(validate({ ...body, error_id: undefined })).toBe(false);
  });

  it('groups responses by status, oneOf the entries, discriminated on the id field', () => {
    const doc = openapi(demo, { format: formats.structured });
    expect(Object.keys(doc.components.responses)).toEqual(['Error400', 'Error401', 'Error429', 'Error500']);
    const schema = doc.components.responses['Error401']!.content['application/json']!.schema;
    expect(schema).toEqual({
      oneOf: [
        { $ref: '#/components/schemas/Dm2006InvalidCredentials' },
        { $ref: '#/components/schemas/Dm2007OldCredentialsError' },
      ],
      discriminator: {
        propertyName: 'error_id',
        mapping: {
          dm2006: '#/components/schemas/Dm2006InvalidCredentials',
          dm2007: '#/components/schemas/Dm2007OldCredentialsError',
        },
      },
    });
    // A status with one entry is that entry: no union of one.
    expect(doc.components.responses['Error500']!.content['application/json']!.schema).toEqual({
      $ref: '#/components/schemas/Dm1001InternalServerError',
    });
    // WebSocket-only entries have schemas but no HTTP response.
    expect(doc.components.schemas).toHaveProperty('Dm6002MessageTooLarge');
    expect(JSON.stringify(doc.components.responses)).not.toContain('dm6002');
    // Retry-After where an entry of the status is retryable; the correlation header everywhere.
    expect(Object.keys(doc.components.responses['Error429']!.headers)).toEqual([
      'X-Correlation-ID',
      'Retry-After',
    ]);
    expect(Object.keys(doc.components.responses['Error400']!.headers)).toEqual(['X-Correlation-ID']);
    expect(doc.components.headers['RetryAfter']).toMatchObject({ schema: { type: 'integer' } });
  });

  it('discriminates on the format’s own top-level id member, and falls back without one', () => {
    const problemDoc = openapi(demo, { format: formats.problem });
    const problem400 =
      problemDoc.components.responses['Error400']!.content['application/problem+json']!.schema;
    expect(problem400['discriminator']).toMatchObject({ propertyName: 'code' });
    // The id sits inside `error`: oneOf still tells entries apart, but OpenAPI can't discriminate on it.
    const nestedDoc = openapi(demo, { format: formats.nested });
    const nested400 = nestedDoc.components.responses['Error400']!.content['application/json']!.schema;
    expect(nested400).toHaveProperty('oneOf');
    expect(nested400).not.toHaveProperty('discriminator');
    // No id at all: entries of one status share a shape, so only anyOf is true.
    const legacyDoc = openapi(demo, { format: formats.legacy });
    expect(legacyDoc.components.responses['Error400']!.content['application/json']!.schema).toHaveProperty(
      'anyOf',
    );
  });
});
