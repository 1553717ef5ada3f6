import { CLIENT_REQUEST_HEADER, CORRELATION_HEADER } from '../../http/correlation.ts';
import { createEngine } from '../shared/engine.ts';
import type { FaultMap as SharedFaultMap } from '../shared/faults.ts';
import { type FaultlineLogger, jsonLineLogger } from '../shared/log.ts';
import type { FaultlineOptions } from '../shared/options.ts';
import { correlationIdOf, markAnswered } from './correlation.ts';

/**
 * The fault table of the fetch adapter: factories receive the web `Request`.
 * @example const faults: Partial<FaultMap> = { notFound: () => api.error('e4040') };
 */
export type FaultMap = SharedFaultMap<Request>;

/**
 * Options of the fetch adapter: the shared adapter options plus a logger.
 * @example createErrorResponder({ catalog: api, format: structured, logger: pino() })
 */
export interface FaultlineFetchOptions extends Omit<FaultlineOptions<Request>, 'faults'> {
  /** Overrides of the framework-fault table. */
  readonly faults?: Partial<FaultMap>;
  /** Where causes of 5xx answers go (pino-compatible); defaults to JSON lines on stderr. */
  readonly logger?: FaultlineLogger;
}

/**
 * Turns anything thrown while handling `request` into the error `Response`.
 * @example const respond: ErrorResponder = createErrorResponder(options);
 */
export type ErrorResponder = (error: unknown, request: Request) => Response;

/**
 * An error responder for web-standard servers (Hono, Bun, Deno, workers). ApiErrors render
 * as they are; `fault()`s, 4xx `status` errors (Hono's HTTPException) and a bare SyntaxError
 * from `request.json()` go through the fault table; anything else is the `internal` entry,
 * its cause logged under the correlation id and never sent.
 * @example
 * const respond = createErrorResponder({ catalog: api, format: structured });
 * app.onError((err, c) => respond(err, c.req.raw));
 * app.notFound((c) => respond(fault('notFound'), c.req.raw));
 */
export function createErrorResponder(options: FaultlineFetchOptions): ErrorResponder {
  // In web handlers a bare SyntaxError nearly always comes from `await request.json()`.
  const engine = createEngine<Request>(options, { bareSyntaxErrorIsJson: true });
  const logger = options.logger ?? jsonLineLogger;
  return (error, request) => {
    const id = correlationIdOf(request);
    // Headers and URL of a request are costly to build in some servers (@hono/node-server builds
    // them on first access): read only when a log line or a format needs them.
    const logFields = () => {
      const client = request.headers.get(CLIENT_REQUEST_HEADER);
      return client === null
        ? { correlation_id: id }
        : { correlation_id: id, client_request_id: client.slice(0, 128) };
    };
    const out = engine.render(engine.resolve(error, request, logger, logFields), id, () =>
      pathname(request.url),
    );
    // A plain header record, not a Headers object: servers such as @hono/node-server write a
    // Response built from a string and a record without materialising it.
    const headers = { ...out.headers, [CORRELATION_HEADER]: id };
    return markAnswered(new Response(out.body, { status: out.status, headers }), id);
  };
}

function pathname(url: string): string | undefined {
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
}
