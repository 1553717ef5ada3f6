/**
 * faultline core: define errors once in a typed catalog; render them in any wire format.
 * Server adapters, the client, docs and test helpers live in subpaths (`faultline/fastify`,
 * `faultline/express`, `faultline/fetch`, `faultline/client`, `faultline/decoders`, `faultline/docs`,
 * `faultline/testing`).
 * The folders' own index files are internal barrels; this list is the public surface.
 * @example
 * import { defineCatalog, structured } from 'faultline';
 */
export {
  type Catalog,
  type CatalogId,
  type CatalogOptions,
  defineCatalog,
} from './catalog/define.ts';
export { BREAKING_KINDS, type Change, type ChangeKind, diffCatalogs } from './catalog/diff.ts';
export { type LintIssue, lintCatalog } from './catalog/lint.ts';
export { slugFor } from './catalog/slug.ts';
export type {
  Entry,
  EntryDef,
  ErrorArgs,
  ErrorOptions,
  Json,
  ParamsOf,
  TemplateParams,
} from './catalog/types.ts';
export { decodeAnyError } from './decoders/decode-any.ts';
export { decodeWith } from './decoders/decode-with.ts';
export { ApiError, isApiError } from './error/api-error.ts';
export { byStatus } from './formats/by-status.ts';
export { errorHeaders, linkFor } from './formats/common.ts';
export { decodeError } from './formats/detect.ts';
export { envelope } from './formats/envelope.ts';
export { type FlatOptions, type FlatShape, flat, flatFormat } from './formats/flat.ts';
export { generic } from './formats/generic.ts';
export { google } from './formats/google.ts';
export { htmlPage } from './formats/html.ts';
export { legacy } from './formats/legacy.ts';
export { fromRequestId, nested, toRequestId } from './formats/nested.ts';
export { parseBody } from './formats/parse-body.ts';
export { PROBLEM_TYPE, problem } from './formats/problem.ts';
export { type SpringOptions, spring, springFormat } from './formats/spring.ts';
export { stripe } from './formats/stripe.ts';
export { structured } from './formats/structured.ts';
export { plainText } from './formats/text.ts';
export { trace } from './formats/trace.ts';
export { type TransitionOptions, transition } from './formats/transition.ts';
export type {
  DecodedError,
  DecodeInput,
  EncodeContext,
  Encoded,
  HeaderSource,
  WireFormat,
} from './formats/types.ts';
export { CLIENT_REQUEST_HEADER, CORRELATION_HEADER, newCorrelationId } from './http/correlation.ts';
export { type RateLimitState, rateLimitHeaders } from './http/rate-limit-headers.ts';
export { formatRetryAfter, parseRetryAfter } from './http/retry-after.ts';
