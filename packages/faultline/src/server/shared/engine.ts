import type { Entry } from '../../catalog/types.ts';
import { ApiError, isApiError } from '../../error/api-error.ts';
import { structured } from '../../formats/structured.ts';
import type { EncodeContext, EntryEncoder } from '../../formats/types.ts';
import { reportProduced } from '../../testing/hook.ts';
import { frameworkCatalog } from '../builtin.ts';
import { type ClassifyOptions, classify } from './classify.ts';
import { defaultFaults, type Fault, type FaultKind, type FaultMap } from './faults.ts';
import { type FaultlineLogger, logSafely } from './log.ts';
import type { FaultlineOptions } from './options.ts';

/**
 * An error ready for the wire: status, headers (lower-case names, `content-type` included, so an
 * adapter sets them in one call; possibly shared between requests, never mutate them) and the body.
 * @example const { status, headers, contentType, body }: Rendered = engine.render(err, id, '/x');
 */
export interface Rendered {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly contentType: string;
  readonly body: string;
}

/**
 * Fields every log line of a request carries, or a function that builds them when a line is written.
 * @example const fields: LogFields = () => ({ correlation_id: id });
 */
export type LogFields = Record<string, unknown> | (() => Record<string, unknown>);

/**
 * A request path, or a function that computes it only when a format asks (building a URL costs).
 * @example engine.render(error, id, () => new URL(request.url).pathname)
 */
export type PathSource = string | undefined | (() => string | undefined);

/** Most distinct entries whose compiled encoders are kept (catalogs are finite; a leak is not). */
const MAX_ENCODERS = 10_000;

/**
 * What every adapter shares: thrown value → ApiError (with logging), ApiError → bytes.
 * @example const engine: Engine<Request> = createEngine(options);
 */
export interface Engine<Req> {
  /**
   * The ApiError to answer with for anything thrown. Logs what the operator must see: 5xx and
   * unknown errors at error level with their cause, framework faults at debug.
   */
  resolve(error: unknown, request: Req, log: FaultlineLogger, logFields?: LogFields): ApiError;
  /** Looks a fault up in the table; a factory that throws or returns garbage yields the internal entry. */
  fault(kind: FaultKind, fault: Fault<Req>, log: FaultlineLogger): ApiError;
  /** Encodes in the configured format and records coverage. Never throws. */
  render(error: ApiError, correlationId: string, path: PathSource): Rendered;
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
  const encoders = compileEncoders(options, docsBase);

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

  function resolve(error: unknown, request: Req, log: FaultlineLogger, lazyFields?: LogFields): ApiError {
    // Read only when a line is written: an expected 4xx logs nothing and pays nothing (not even
    // a closure to read them with).
    if (isApiError(error)) {
      if (error.status >= 500)
        logSafely(
          log,
          'error',
          { ...fieldsOf(lazyFields), error_id: error.id, err: error.cause ?? error },
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
        { ...fieldsOf(lazyFields), error_id: answer.id, err: error },
        'request rejected by the framework',
      );
      return answer;
    }
    const answer = fault('internal', { request, error }, log);
    // The cause goes to the log under the request's correlation id; the body never sees it.
    logSafely(log, 'error', { ...fieldsOf(lazyFields), error_id: answer.id, err: error }, 'unhandled error');
    return answer;
  }

  function render(error: ApiError, correlationId: string, path: PathSource): Rendered {
    let out: Rendered;
    try {
      out = encoders(error, correlationId) ?? encode(error, correlationId, path);
    } catch {
      // A broken custom format or an unserialisable field must not turn into the framework's own
      // 500 page; answer with the built-in internal entry in the canonical shape instead.
      error = new ApiError(FALLBACK_INTERNAL);
      const fallback = structured.encode(error, { correlationId, docsBase, now });
      const headers = { ...fallback.headers, 'content-type': structured.contentType };
      out = {
        status: fallback.status,
        headers,
        contentType: structured.contentType,
        body: JSON.stringify(fallback.body),
      };
    }
    if (coverage !== false) reportProduced(error, coverage);
    return out;
  }

  /** The generic path: any format's `encode`, then JSON.stringify of the body it built. */
  function encode(error: ApiError, correlationId: string, path: PathSource): Rendered {
    const context: EncodeContext = {
      correlationId,
      docsBase,
      path: typeof path === 'function' ? path() : path,
      now,
    };
    const encoded = format.encode(error, context);
    const body = JSON.stringify(encoded.body);
    // A composite format (byStatus) states its per-response content type as a header.
    const contentType = encoded.headers['content-type'] ?? format.contentType;
    const headers = { ...encoded.headers, 'content-type': contentType };
    return { status: encoded.status, headers, contentType, body };
  }

  return { resolve, fault, render };
}

/**
 * The fast path: one compiled encoder per entry, built at set-up for the app's catalog and the
 * built-in entries, lazily for any other catalog. Answers undefined where the format has no
 * compiled form (custom formats) or the error needs the generic path.
 */
function compileEncoders(
  { format, catalog, now }: Pick<FaultlineOptions, 'format' | 'catalog' | 'now'>,
  docsBase: string | undefined,
): (error: ApiError, correlationId: string) => Rendered | undefined {
  if (format.compile === undefined) return () => undefined;
  const context = { docsBase, now };
  const { contentType } = format;
  const byEntry = new Map<Entry, EntryEncoder | null>();
  const build = (entry: Entry) => {
    const encoder = format.compile?.(entry, context) ?? null;
    if (byEntry.size < MAX_ENCODERS) byEntry.set(entry, encoder);
    return encoder;
  };
  for (const entry of catalog.entries) build(entry);
  for (const entry of frameworkCatalog.entries) build(entry);
  return (error, correlationId) => {
    const entry = error.entry;
    const encoder = byEntry.get(entry) ?? (byEntry.has(entry) ? null : build(entry));
    const fast = encoder?.(error, correlationId);
    return fast && { status: fast.status, headers: fast.headers, contentType, body: fast.body };
  };
}

/** The fields of a log line, built now if they were given as a function. */
function fieldsOf(fields: LogFields | undefined): Record<string, unknown> | undefined {
  return typeof fields === 'function' ? fields() : fields;
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
