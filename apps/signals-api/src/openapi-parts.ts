/**
 * The building blocks of signals-api's OpenAPI path groups, shared by every group (openapi.ts
 * and any group kept in a file of its own).
 */

/**
 * A piece of the OpenAPI document: plain JSON data.
 * @example const schema: Json = { type: 'string' };
 */
export type Json = Record<string, unknown>;

/**
 * One part of the API as OpenAPI: its paths, and the schemas and tags they use. The document
 * is the sum of `PATH_GROUPS` in openapi.ts, so documenting one more part of the service is
 * one more entry in that list (a function returning a `PathGroup`).
 * @example const group: PathGroup = { tags: [{ name: 'ops', description: '…' }], paths: { '/x': { get: { operationId: 'x', security: PUBLIC, responses: errorResponses() } } } };
 */
export interface PathGroup {
  readonly tags?: readonly Json[];
  readonly paths: Json;
  readonly schemas?: Json;
}

/**
 * Statuses any request can meet before a route runs: an unreadable request (400), one that
 * never finished arriving (408), an unmet `Expect` (417), oversized headers (431), a bug (500).
 * Every operation declares them, so a client generated from this document knows their bodies.
 * @example ANY_REQUEST.includes(431) // true
 */
export const ANY_REQUEST = [400, 408, 417, 431, 500] as const;

/**
 * `$ref`s to faultline's error responses (one per status), plus those of `ANY_REQUEST`.
 * @example errorResponses(401, 403) // { '400': { $ref }, '401': …, '403': …, '408': …, … }
 */
export function errorResponses(...statuses: number[]): Json {
  const all = [...new Set([...statuses, ...ANY_REQUEST])].sort((a, b) => a - b);
  return Object.fromEntries(
    all.map((status) => [String(status), { $ref: `#/components/responses/Error${status}` }]),
  );
}

/**
 * The header every response of the service carries, for a response's `headers`.
 * @example { description: 'Switching protocols.', headers: CORRELATION }
 */
export const CORRELATION = { 'X-Correlation-ID': { $ref: '#/components/headers/XCorrelationId' } };

/**
 * A success response whose body is `schema` in `mediaType`, with `X-Correlation-ID`.
 * @example success('A bearer token.', { $ref: '#/components/schemas/AuthResponse' })
 */
export function success(description: string, schema: Json, mediaType = 'application/json'): Json {
  return { description, headers: CORRELATION, content: { [mediaType]: { schema } } };
}

/**
 * No credentials: the operation is public.
 * @example { operationId: 'health', security: PUBLIC }
 */
export const PUBLIC: readonly Json[] = [];
/**
 * A bearer token (from POST /v0/auth) holding `scope`.
 * @example { operationId: 'analyzeUpload', security: bearer('interhumanai.upload') }
 */
export const bearer = (scope: string): readonly Json[] => [{ bearer: [scope] }];
