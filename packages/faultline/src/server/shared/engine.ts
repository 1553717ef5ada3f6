import { ApiError, isApiError } from '../../error/api-error.ts';
import { structured } from '../../formats/structured.ts';
import type { EncodeContext } from '../../formats/types.ts';
import { reportProduced } from '../../testing/hook.ts';
import { frameworkCatalog } from '../builtin.ts';
import { type ClassifyOptions, classify } from './classify.ts';
import { defaultFaults, type Fault, type FaultKind, type FaultMap } from './faults.ts';
import { type FaultlineLogger, logSafely } from './log.ts';
import type { FaultlineOptions } from './options.ts';

/**
 * An error ready for the wire: status, headers (lower-case names) and the serialised body.
 * @example const { status, headers, contentType, body }: Rendered = engine.render(err, id, '/x');
 */
export interface Rendered {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly contentType: string;
  readonly body: string;
}

/**
 * What every adapter shares: thrown value → ApiError (with logging), ApiError → bytes.
 * @example const engine: Engine<Request> = createEngine(options);
 */
export interface Engine<Req> {
  /**
   * The ApiError to answer with for anything thrown. Logs what the operator must see: 5xx and
   * unknown errors at error level with their cause, framework faults at debug.
   */
  resolve(error: unknown, request: Req, log: FaultlineLogger, logFields?: Record<string, unknown>): ApiError;
  /** Looks a fault up in the table; a factory that throws or returns garbage yields the internal entry. */
  fault(kind: FaultKind, fault: Fault<Req>, log: FaultlineLogger): ApiError;
  /** Encodes in the configured format and records coverage. Never throws. */
  render(error: ApiError, correlationId: string, path: string | undefined): Rendered;
}

const FALLBACK_INTERNAL = frameworkCatalog.get('internal_error')!;

/**
 * Builds the shared core of an adapter from its options. Everything that can be computed
 * once (fault table, docs base, content type, coverage file) is computed here, not per request.
 * @example const engine = createEngine(options); reply.send(engine.render(engine.resolve(err, req, log), id, path).body);
 */
export function createEngine<Req>(
  options: FaultlineOptions<Req>,
  classifyOptions?: ClassifyOptions,
): Engine<Req> {
  const { format, now } = options;
  const docsBase = options.docsBase ?? options.catalog.docsBase;
  const table: FaultMap<Req> = { ...defaultFaults(options.catalog), ...options.faults };
  const coverage = options.coverage;

  function fault(kind: FaultKind, details: Fault<Req>, log: FaultlineLogger): ApiError {
    try {
      const error = table[kind](details);
      if (isApiError(error)) return error;
      throw new TypeError(`faultline: faults.${kind} returned ${typeof error}, not an ApiError`);
    } catch (mappingError) {
      logSafely(log, 'error', { err: mappingError, fault: kind }, 'faultline: fault mapping failed');
      return new ApiError(FALLBACK_INTERNAL);
    }
  }

  function resolve(
    error: unknown,
    request: Req,
    log: FaultlineLogger,
    logFields?: Record<string, unknown>,
  ): ApiError {
    if (isApiError(error)) {
      if (error.status >= 500)
        logSafely(
          log,
          'error',
          { ...logFields, error_id: error.id, err: error.cause ?? error },
          error.message,
        );
      return error;
    }
    const found = classify(error, classifyOptions);
    if (found !== undefined) {
      const answer = fault(
        found.kind,
        {
          request,
          error,
          ...(found.field === undefined ? {} : { field: found.field }),
          ...allowOf(found.allow),
        },
        log,
      );
      logSafely(
        log,
        'debug',
        { ...logFields, error_id: answer.id, err: error },
        'request rejected by the framework',
      );
      return answer;
    }
    const answer = fault('internal', { request, error }, log);
    // The cause goes to the log under the request's correlation id; the body never sees it.
    logSafely(log, 'error', { ...logFields, error_id: answer.id, err: error }, 'unhandled error');
    return answer;
  }

  function render(error: ApiError, correlationId: string, path: string | undefined): Rendered {
    const context: EncodeContext = { correlationId, docsBase, path, now };
    let status: number;
    let headers: Readonly<Record<string, string>>;
    let body: string;
    let contentType = format.contentType;
    try {
      const encoded = format.encode(error, context);
      body = JSON.stringify(encoded.body);
      status = encoded.status;
      headers = encoded.headers;
      // A composite format (byStatus) states its per-response content type as a header.
      const stated = headers['content-type'];
      if (stated !== undefined) contentType = stated;
    } catch {
      // A broken custom format or an unserialisable field must not turn into Fastify's own
      // 500 page; answer with the built-in internal entry in the canonical shape instead.
      const fallback = structured.encode(new ApiError(FALLBACK_INTERNAL), context);
      error = new ApiError(FALLBACK_INTERNAL);
      status = fallback.status;
      headers = fallback.headers;
      body = JSON.stringify(fallback.body);
      contentType = structured.contentType;
    }
    if (coverage !== false) reportProduced(error, coverage);
    return { status, headers, contentType, body };
  }

  return { resolve, fault, render };
}

function allowOf(allow: readonly string[] | undefined): { allow?: readonly string[] } {
  return allow === undefined ? {} : { allow };
}

/**
 * The path of a request target, without its query string.
 * @example pathOf('/a/b?x=1') // '/a/b'
 */
export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
