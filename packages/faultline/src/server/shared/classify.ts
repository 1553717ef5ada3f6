import type { FaultKind } from './faults.ts';
import { isFrameworkFault } from './faults.ts';
import { fieldFromValidation } from './validation-field.ts';

/**
 * A non-ApiError error recognised as a framework fault.
 * @example const found: Classified | undefined = classify(err);
 */
export interface Classified {
  readonly kind: FaultKind;
  readonly field?: string | undefined;
  readonly allow?: readonly string[] | undefined;
}

/** Fastify's own codes for body and schema failures. */
const FASTIFY_CODES: Readonly<Record<string, FaultKind>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalidJson',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalidJson',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupportedMediaType',
  FST_ERR_CTP_BODY_TOO_LARGE: 'bodyTooLarge',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'badRequest',
  FST_ERR_NOT_FOUND: 'notFound',
  FST_ERR_BAD_URL: 'badRequest',
  FST_ERR_MAX_PARAM_LENGTH: 'badRequest',
};

/** body-parser's (Express) `type` values. */
const BODY_PARSER_TYPES: Readonly<Record<string, FaultKind>> = {
  'entity.parse.failed': 'invalidJson',
  'entity.too.large': 'bodyTooLarge',
  'charset.unsupported': 'unsupportedMediaType',
  'encoding.unsupported': 'unsupportedMediaType',
  'entity.verify.failed': 'badRequest',
  'request.aborted': 'badRequest',
  'request.size.invalid': 'badRequest',
};

/** 4xx statuses with a dedicated fault; any other 4xx a library raises is a `badRequest`. */
const BY_STATUS: Readonly<Record<number, FaultKind>> = {
  404: 'notFound',
  405: 'methodNotAllowed',
  408: 'requestTimeout',
  413: 'bodyTooLarge',
  415: 'unsupportedMediaType',
  417: 'expectationFailed',
  431: 'headersTooLarge',
};

/**
 * Options of `classify`.
 * @example classify(err, { bareSyntaxErrorIsJson: true })
 */
export interface ClassifyOptions {
  /**
   * Treat a bare `SyntaxError` as malformed JSON. Right for web-standard handlers, where the
   * usual source is `await request.json()`; wrong for frameworks that tag their own parse errors.
   */
  readonly bareSyntaxErrorIsJson?: boolean;
}

/**
 * Recognises the errors frameworks raise for a client's mistake (Fastify codes, body-parser
 * types, `statusCode`/`status` 4xx, `fault()`), so they are answered through the fault table
 * and never as a 500. Anything else returns undefined and becomes the `internal` entry.
 * @example classify(Object.assign(new Error('x'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }))
 */
export function classify(error: unknown, options?: ClassifyOptions): Classified | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  if (isFrameworkFault(error)) return { kind: error.kind, field: error.field, allow: error.allow };
  const e = error as {
    code?: unknown;
    type?: unknown;
    statusCode?: unknown;
    status?: unknown;
    validation?: unknown;
    validationContext?: unknown;
  };
  if (Array.isArray(e.validation) || e.code === 'FST_ERR_VALIDATION') {
    return { kind: 'validation', field: fieldFromValidation(e.validation, e.validationContext) };
  }
  const status = clientStatus(e.statusCode) ?? clientStatus(e.status);
  if (typeof e.code === 'string') {
    const kind = FASTIFY_CODES[e.code];
    if (kind !== undefined) return { kind };
  }
  if (typeof e.type === 'string' && status !== undefined) {
    const kind = BODY_PARSER_TYPES[e.type];
    if (kind !== undefined) return { kind };
  }
  if (
    error instanceof SyntaxError &&
    (status === 400 || (status === undefined && options?.bareSyntaxErrorIsJson))
  )
    return { kind: 'invalidJson' };
  if (status !== undefined) return { kind: BY_STATUS[status] ?? 'badRequest' };
  return undefined;
}

/** A 4xx status, or undefined: 5xx and garbage values are never a client's fault. */
function clientStatus(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 499
    ? value
    : undefined;
}
