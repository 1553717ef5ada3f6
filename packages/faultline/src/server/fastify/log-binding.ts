import type { FastifyInstance } from 'fastify';
import { CLIENT_REQUEST_HEADER } from '../../http/correlation.ts';

/** Longest client request id copied into logs; it is the client's text, not ours. */
const MAX_CLIENT_ID = 128;

/** The log key of the correlation id. */
export const LOG_LABEL = 'correlation_id';

/** Marks a request logger that already carries our bindings. */
const BOUND = Symbol('faultline.bound');
type Bound = { [BOUND]?: true };

/**
 * Whether a request logger came from `bindInFactory`'s factory.
 * @example if (!isBound(request.log)) request.log = request.log.child(bindings(id, client));
 */
export function isBound(log: object): boolean {
  return (log as Bound)[BOUND] === true;
}

/**
 * The client's request id as logged: only a single header value, cut to a sane length.
 * @example clientRequestId(request.headers['x-client-request-id']) // 'abc' or undefined
 */
export function clientRequestId(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' ? header.slice(0, MAX_CLIENT_ID) : undefined;
}

/**
 * The fields a request logger carries.
 * @example request.log.child(bindings(id, request.headers['x-client-request-id']))
 */
export function bindings(id: string, client: string | string[] | undefined): Record<string, string> {
  const clientId = clientRequestId(client);
  return clientId === undefined
    ? { correlation_id: id }
    : { correlation_id: id, client_request_id: clientId };
}

/**
 * The key Fastify binds the request id to in each request's logger: the `requestIdLogLabel` of
 * its `logController` option, or of the older top-level option. Fastify exposes the controller on
 * no public property, so it is found by its symbol's description; were that ever to fail, the
 * answer is the top-level option or `reqId`, and the plugin binds through `bindInFactory`, which
 * is just as correct, only slower.
 * @example requestIdLogLabel(Fastify({ logController: new LogController({ requestIdLogLabel: 'correlation_id' }) }))
 */
export function requestIdLogLabel(fastify: FastifyInstance): string {
  for (let o: object | null = fastify; o !== null; o = Object.getPrototypeOf(o)) {
    for (const key of Object.getOwnPropertySymbols(o)) {
      if (key.description !== 'fastify.logController') continue;
      const label = (o as Record<symbol, { requestIdLogLabel?: unknown } | undefined>)[key]
        ?.requestIdLogLabel;
      if (typeof label === 'string' && label !== '') return label;
    }
  }
  return fastify.initialConfig.requestIdLogLabel ?? 'reqId';
}

/**
 * Adds our bindings in the child-logger factory, so the request's one child logger (and with it
 * Fastify's own "incoming request" line) carries them — no second child per request. Fastify
 * captures the factory when a route is declared, so routes declared before the plugin loaded
 * keep the old one; the plugin's onRequest hook covers them (`isBound`). Fastify validates a
 * factory's result on every request, which is why an app logging its ids as `correlation_id`
 * is served without one.
 * @example if (requestIdLogLabel(fastify) !== LOG_LABEL) bindInFactory(fastify, requestIdLogLabel(fastify));
 */
export function bindInFactory(fastify: FastifyInstance, label: string): void {
  const previous = fastify.childLoggerFactory;
  fastify.setChildLoggerFactory(function (this: FastifyInstance, logger, base, opts, raw) {
    // Written into Fastify's own bindings object (made per request): no second object to merge.
    const bound = base as Record<string, unknown>;
    const id = bound[label];
    bound[LOG_LABEL] = id === undefined ? '' : String(id);
    const client = clientRequestId(raw.headers[CLIENT_REQUEST_HEADER]);
    if (client !== undefined) bound['client_request_id'] = client;
    const child = previous.call(this, logger, base, opts, raw);
    (child as Bound)[BOUND] = true;
    return child;
  });
}
