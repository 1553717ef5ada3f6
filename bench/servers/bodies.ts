/**
 * The answers of the error-path scenarios, as constants a hand-written server would inline.
 * The bare servers import only this file (never faultline); the faultline servers derive the
 * same answers from `bench-catalog.ts`, and the harness checks that both agree byte for byte.
 */

export const DOCS_BASE = 'https://api.example.test/docs/errors';

/** A 400 with a fixed message: the main comparison of every framework. */
export const INVALID = {
  id: 'e4001',
  message: 'The request is not valid. Compare its parameters with the API reference.',
  link: `${DOCS_BASE}#e4001-invalid-request`,
} as const;

/** A 400 whose message has two parameters. */
export const PARAM = {
  id: 'e4005',
  params: { name: 'include[]', reason: 'unknown value "mood"' },
  message: 'The parameter "include[]" is not valid: unknown value "mood".',
  link: `${DOCS_BASE}#e4005-invalid-parameter`,
} as const;

/** A 500 caused by another error, whose cause is logged (never sent); retryable after 1 s. */
export const FAILED = {
  id: 'e5001',
  message: 'Something went wrong on our side. Quote the correlation id if you contact support.',
  link: `${DOCS_BASE}#e5001-upstream-failed`,
  retryAfter: '1',
} as const;

/** The transition format before its sunset: legacy keys, structured keys, Deprecation and Sunset. */
export const LEGACY_UNTIL = Date.UTC(2100, 0, 1);
export const DEPRECATED_SINCE = Date.UTC(2026, 0, 1);
export const SUNSET = new Date(LEGACY_UNTIL).toUTCString();
export const DEPRECATION = `@${DEPRECATED_SINCE / 1000}`;

/**
 * The structured body, as a hand-written service builds it per request.
 * @example reply.code(400).send(structuredBody(INVALID, request.id))
 */
export function structuredBody(
  e: { readonly id: string; readonly link: string; readonly message: string },
  correlationId: string,
) {
  return { error_id: e.id, correlation_id: correlationId, link: e.link, message: e.message };
}

/**
 * The transition body before the sunset: legacy keys first, then the structured ones.
 * @example reply.code(400).send(transitionBody(INVALID, 400, request.id))
 */
export function transitionBody(
  e: { readonly id: string; readonly link: string; readonly message: string },
  status: number,
  correlationId: string,
) {
  return {
    detail: e.message,
    status_code: status,
    extra: {},
    error_id: e.id,
    correlation_id: correlationId,
    link: e.link,
    message: e.message,
  };
}
