import type { Catalog } from '../../catalog/define.ts';
import { ApiError } from '../../error/api-error.ts';
import { type FrameworkErrorId, frameworkCatalog } from '../builtin.ts';

/**
 * The ways a framework (not the app) rejects a request; each maps to one catalog entry.
 * @example const kind: FaultKind = 'bodyTooLarge';
 */
export type FaultKind =
  | 'invalidJson'
  | 'unsupportedMediaType'
  | 'bodyTooLarge'
  | 'notFound'
  | 'methodNotAllowed'
  | 'validation'
  | 'badRequest'
  | 'requestTimeout'
  | 'expectationFailed'
  | 'headersTooLarge'
  | 'internal';

/**
 * What a fault factory gets: the framework's request, the original error, and what was found out.
 * @example const validation = ({ field }: Fault) => api.error('e4001', { field: field ?? 'body' });
 */
export interface Fault<Req = unknown> {
  readonly request: Req;
  /** The error the framework raised (absent for an unmatched route). */
  readonly error?: unknown;
  /** For `validation`: the failing field, as a path (`items[0].name`). */
  readonly field?: string;
  /** For `methodNotAllowed`: the methods the path does accept. */
  readonly allow?: readonly string[];
}

/**
 * Framework faults → catalog errors. Override any key to answer with your own entry.
 * @example
 * const faults: Partial<FaultMap> = { validation: ({ field }) => api.error('ih4005', { name: field ?? 'body' }) };
 */
export type FaultMap<Req = unknown> = { readonly [K in FaultKind]: (fault: Fault<Req>) => ApiError };

const SYMBOL: unique symbol = Symbol.for('faultline.FrameworkFault') as never;

/**
 * A framework fault raised by code that is not the framework: a hand-written validator, a body
 * reader, a router's not-found hook. Adapters send it through the fault table like Fastify's own.
 * No stack: it is an answer to the client, not a bug. Create it with `fault()`.
 * @example if (error instanceof FrameworkFault) console.log(error.kind);
 */
export class FrameworkFault extends Error {
  declare readonly [SYMBOL]: true;
  readonly kind: FaultKind;
  readonly field: string | undefined;
  readonly allow: readonly string[] | undefined;

  constructor(kind: FaultKind, details?: FaultDetails) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`faultline ${kind}`, details?.cause === undefined ? undefined : { cause: details.cause });
    Error.stackTraceLimit = limit;
    Object.defineProperty(this, SYMBOL, { value: true });
    this.kind = kind;
    this.field = details?.field;
    this.allow = details?.allow;
  }

  override get name(): string {
    return 'FrameworkFault';
  }
}

/**
 * Optional details of `fault()`.
 * @example fault('validation', { field: 'items[0].url' } satisfies FaultDetails)
 */
export interface FaultDetails {
  readonly field?: string;
  readonly allow?: readonly string[];
  readonly cause?: unknown;
}

/**
 * Raises a framework fault from app code, to be answered through the adapter's fault table.
 * @example if (typeof body.name !== 'string') throw fault('validation', { field: 'name' });
 * @example app.notFound((c) => respond(fault('notFound'), c.req.raw));
 */
export function fault(kind: FaultKind, details?: FaultDetails): FrameworkFault {
  return new FrameworkFault(kind, details);
}

/**
 * True for a `FrameworkFault` from any copy of faultline.
 * @example if (isFrameworkFault(err) && err.kind === 'validation') log.debug(err.field);
 */
export function isFrameworkFault(value: unknown): value is FrameworkFault {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[SYMBOL] === true;
}

/** Longest field path echoed into a message: names can come from the client's own JSON keys. */
const MAX_FIELD = 120;

/**
 * The built-in fault table. Each entry comes from the app's catalog when it defines the same id
 * (so the app's wording and docs page win), else from `frameworkCatalog`.
 * @example const faults = { ...defaultFaults(api), ...options.faults };
 */
export function defaultFaults(catalog: Catalog | undefined): FaultMap {
  const pick = (id: FrameworkErrorId) => catalog?.get(id) ?? frameworkCatalog.get(id)!;
  const notFound = pick('not_found');
  const methodNotAllowed = pick('method_not_allowed');
  const unsupported = pick('unsupported_media_type');
  const tooLarge = pick('payload_too_large');
  const invalidJson = pick('invalid_json');
  const validation = pick('validation_failed');
  const badRequest = pick('bad_request');
  const internal = pick('internal_error');
  const timeout = pick('request_timeout');
  const expectation = pick('expectation_failed');
  const headersTooLarge = pick('headers_too_large');
  return {
    notFound: () => new ApiError(notFound),
    methodNotAllowed: ({ request, allow }) =>
      new ApiError(
        methodNotAllowed,
        { method: methodOf(request) },
        allow?.length ? { headers: { allow: allow.join(', ') } } : undefined,
      ),
    unsupportedMediaType: () => new ApiError(unsupported),
    bodyTooLarge: () => new ApiError(tooLarge),
    invalidJson: () => new ApiError(invalidJson),
    validation: ({ field }) => new ApiError(validation, { field: clip(field || 'body') }),
    badRequest: () => new ApiError(badRequest),
    requestTimeout: () => new ApiError(timeout),
    expectationFailed: () => new ApiError(expectation),
    headersTooLarge: () => new ApiError(headersTooLarge),
    internal: () => new ApiError(internal),
  };
}

function clip(text: string): string {
  return text.length > MAX_FIELD ? `${text.slice(0, MAX_FIELD)}…` : text;
}

/** The method of a Fastify, Express or fetch request; only an HTTP token ever reaches a message. */
function methodOf(request: unknown): string {
  const method = (request as { method?: unknown } | undefined)?.method;
  return typeof method === 'string' && /^[A-Z]{1,16}$/.test(method) ? method : 'such';
}
