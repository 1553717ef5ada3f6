import type { Entry } from '../catalog/types.ts';
import type { WireFormat } from '../formats/types.ts';
import { type SampleContext, sampleEncoded } from './sample.ts';

/**
 * A JSON Schema (2020-12, the OpenAPI 3.1 dialect), loosely typed: it is data, not code.
 * @example const id: JsonSchema = { const: 'ih2005' };
 */
export type JsonSchema = { readonly [keyword: string]: unknown };

/**
 * The generic body schema of one wire format, as a row of `FORMAT_SCHEMAS`.
 * @example const row: FormatSchema = { name: 'mine', schemaName: 'MineError', schema: { type: 'object' } };
 */
export interface FormatSchema {
  /** `WireFormat.name` this row describes. */
  readonly name: string;
  /** Component name under `#/components/schemas`. */
  readonly schemaName: string;
  /** Body of any error in this format; extras are allowed (entries add their own fields). */
  readonly schema: JsonSchema;
}

const ref = (schemaName: string): JsonSchema => ({ $ref: `#/components/schemas/${schemaName}` });
const str = (description: string, extra: JsonSchema = {}): JsonSchema => ({
  type: 'string',
  description,
  ...extra,
});
const errorStatus = (description: string): JsonSchema => ({
  type: 'integer',
  minimum: 400,
  maximum: 599,
  description,
});
const object = (
  description: string,
  properties: Record<string, JsonSchema>,
  required = Object.keys(properties),
) => ({
  type: 'object',
  description,
  properties,
  required,
});
/**
 * An object the format puts an entry's extra fields in, beside the listed members. Saying
 * `additionalProperties: true` changes nothing for a validator, but tools that read a silent
 * object as closed (Redocly's example rules) and generators (an index signature for the
 * extras) need it said. A row's top level needs no such word: entries `allOf` it.
 */
const open = (
  description: string,
  properties: Record<string, JsonSchema>,
  required = Object.keys(properties),
) => ({ ...object(description, properties, required), additionalProperties: true });

/**
 * One row per wire format. Adding a format to the docs is adding a row here; a format with
 * no row still gets a schema, inferred from its encoded examples (see `formatSchemaFor`).
 * Where an entry's id, status and extra fields sit is read from real encodings, not from
 * this table, so the per-entry schemas always agree with the encoders.
 * @example FORMAT_SCHEMAS.map((row) => row.schemaName) // ['StructuredError', 'LegacyError', …]
 */
export const FORMAT_SCHEMAS: readonly FormatSchema[] = [
  {
    name: 'structured',
    schemaName: 'StructuredError',
    schema: object('Canonical error body; extra fields of the entry follow the four standard ones.', {
      error_id: str('Stable machine-readable error id; branch on this.'),
      correlation_id: str('Id of the failing request; quote it to support.', { format: 'uuid' }),
      link: str('URL of the docs entry of this error.', { format: 'uri-reference' }),
      message: str('Human-readable explanation.'),
    }),
  },
  {
    name: 'legacy',
    schemaName: 'LegacyError',
    schema: object('Older error body, sent until its sunset date.', {
      detail: str('Human-readable explanation.'),
      status_code: errorStatus('HTTP status, repeated.'),
      extra: { type: 'object', description: 'Extra fields of the error.' },
    }),
  },
  {
    name: 'transition',
    schemaName: 'TransitionError',
    schema: {
      description:
        'Migration body: the structured fields, plus the legacy ones (deprecated) until the sunset, after which bodies are `StructuredError`.',
      allOf: [ref('StructuredError')],
      type: 'object',
      properties: {
        detail: str('Legacy: the message, repeated. Use `message`.', { deprecated: true }),
        status_code: { ...errorStatus('Legacy: the HTTP status, repeated.'), deprecated: true },
        extra: { type: 'object', description: 'Legacy: the extra fields, repeated.', deprecated: true },
      },
      required: ['detail', 'status_code', 'extra'],
    },
  },
  {
    name: 'envelope',
    schemaName: 'EnvelopeError',
    schema: object('Enveloped error; the HTTP status always equals both status fields.', {
      error: open('The error and its extra fields.', {
        code: str('Stable machine-readable error code.'),
        message: str('Human-readable explanation.'),
        httpStatus: errorStatus('HTTP status, repeated.'),
      }),
      status: { const: 'error' },
      status_code: errorStatus('HTTP status, repeated.'),
    }),
  },
  {
    name: 'nested',
    schemaName: 'NestedError',
    schema: object('Error object under `error`, with a request id and extra fields.', {
      error: open(
        'The error and its extra fields.',
        {
          code: str('Stable machine-readable error code.'),
          message: str('Human-readable explanation.'),
          request_id: str('Id of the failing request; quote it to support.'),
        },
        ['code', 'message'],
      ),
    }),
  },
  {
    name: 'problem',
    schemaName: 'ProblemDetails',
    schema: object(
      'RFC 9457 problem details; extension members carry the error id and extra fields.',
      {
        type: str('URI identifying the problem type: its docs entry.', { format: 'uri-reference' }),
        title: str('Short summary of the problem type.'),
        status: errorStatus('HTTP status, repeated.'),
        detail: str('Explanation of this occurrence.'),
        instance: str('URI of this occurrence.', { format: 'uri-reference' }),
      },
      ['type', 'title', 'status'],
    ),
  },
  {
    name: 'trace',
    schemaName: 'TraceError',
    schema: object('Message and trace id.', {
      message: str('Human-readable explanation.'),
      trace_id: str('Id of the failing request; quote it to support.'),
    }),
  },
  {
    name: 'spring',
    schemaName: 'SpringError',
    schema: object('Spring Boot style error.', {
      timestamp: str('When the error happened.', { format: 'date-time' }),
      status: errorStatus('HTTP status, repeated.'),
      error: str('Reason phrase of the status.'),
      path: str('Request path.'),
    }),
  },
  {
    name: 'flat',
    schemaName: 'FlatError',
    schema: {
      description: 'A bare message: `{error}`, `{message}` or `{message, status: "error"}`.',
      anyOf: [
        open('Message under `error`, extra fields beside it.', { error: str('Human-readable explanation.') }),
        open(
          'Message under `message`, optionally with a status marker, extra fields beside it.',
          {
            message: str('Human-readable explanation.'),
            status: { const: 'error' },
          },
          ['message'],
        ),
      ],
    },
  },
];

/**
 * The shape a format's bodies have at the time of the call: a `transition` before its sunset
 * (legacy fields still sent, with a `Sunset` header) or, past it, plain `structured`. Read from
 * a real encoding with the given clock, so docs and OpenAPI describe what the server sends now.
 * @example currentShape(transition({ legacyUntil: 0 }), entries, {}).name // 'structured'
 */
export function currentShape(
  format: WireFormat,
  entries: readonly Entry[],
  context: SampleContext,
): { readonly name: string; readonly sunset: string | undefined } {
  const entry = entries.find((candidate) => candidate.status !== undefined);
  if (format.name !== 'transition' || entry === undefined) return { name: format.name, sunset: undefined };
  const sample = sampleEncoded(entry, format, context);
  if ('detail' in sample.body) return { name: 'transition', sunset: sample.headers['sunset'] };
  return { name: 'structured', sunset: undefined };
}

/**
 * The row for a format: from `FORMAT_SCHEMAS`, or inferred from the format's encoding of
 * the given entries when the table has none (so a new format is documented from day one).
 * @example formatSchemaFor(structured, signals.entries).schemaName // 'StructuredError'
 */
export function formatSchemaFor(format: WireFormat, entries: readonly Entry[]): FormatSchema {
  const row = FORMAT_SCHEMAS.find((candidate) => candidate.name === format.name);
  if (row) return row;
  const bodies = entries.map((entry) => sampleEncoded(entry, format).body);
  return {
    name: format.name,
    schemaName: `${pascal(format.name)}Error`,
    schema: { description: `Error body of the \`${format.name}\` format.`, ...inferSchema(bodies) },
  };
}

const PLACEHOLDER = /^<[A-Za-z_][A-Za-z0-9_]*>$/;

/** A schema that accepts every given value: union of properties, required where all have them. */
function inferSchema(values: readonly unknown[]): JsonSchema {
  const objects = values.filter(
    (v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v),
  );
  if (objects.length > 0 && objects.length === values.length) {
    const keys = [...new Set(objects.flatMap((o) => Object.keys(o)))];
    const properties: Record<string, JsonSchema> = {};
    for (const key of keys) properties[key] = inferSchema(objects.filter((o) => key in o).map((o) => o[key]));
    return { type: 'object', properties, required: keys.filter((key) => objects.every((o) => key in o)) };
  }
  // A `<name>` placeholder stands for an extra field of any JSON type: say nothing about it.
  const typed = values.filter((value) => !(typeof value === 'string' && PLACEHOLDER.test(value)));
  const types = new Set(typed.map(jsonType));
  if (types.size === 1) return { type: [...types][0] };
  return {};
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/**
 * `ih2005-missing-key-secret` → `Ih2005MissingKeySecret`: a component name any generator accepts.
 * @example pascal('ih2005-missing-key-secret') // 'Ih2005MissingKeySecret'
 */
export function pascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}
