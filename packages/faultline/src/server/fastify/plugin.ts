import { randomUUID } from 'node:crypto';
import type {
  FastifyBaseLogger,
  FastifyError,
  FastifyPluginCallback,
  FastifyReply,
  FastifyRequest,
} from 'fastify';
import fp from 'fastify-plugin';
import type { ApiError } from '../../error/api-error.ts';
import { CLIENT_REQUEST_HEADER, CORRELATION_HEADER } from '../../http/correlation.ts';
import { createEngine, pathOf } from '../shared/engine.ts';
import { allowedMethods } from './allowed-methods.ts';
import { answerExpectation } from './connection.ts';
import { answerThrownDirectly } from './direct-answer.ts';
import {
  bindInFactory,
  bindings,
  clientRequestId,
  isBound,
  LOG_LABEL,
  requestIdLogLabel,
} from './log-binding.ts';
import type { FaultlineDecoration, FaultlineFastifyOptions } from './types.ts';

/**
 * A correlation id, as `newCorrelationId` makes one; node:crypto's directly, since the web
 * `crypto` global is a getter Node resolves on every access (this adapter only runs on Node).
 */
const newCorrelationId = (): string => randomUUID();

/** The reply serializer of an already-encoded body: Fastify then leaves it, and its type, as they are. */
const passThrough = (payload: unknown): string => payload as string;

const plugin: FastifyPluginCallback<FaultlineFastifyOptions> = (fastify, options, done) => {
  const engine = createEngine<FastifyRequest>(options);

  // With no trusted request-id header, Fastify's own request id *is* the correlation id, so
  // Fastify's "incoming request" / "request completed" lines carry it too. An app that trusts
  // a header (`requestIdHeader`) keeps that id as `reqId`; ours is generated apart from it.
  const ownsRequestId = !fastify.initialConfig.requestIdHeader;
  if (ownsRequestId) fastify.setGenReqId(newCorrelationId);

  // Fastify's disabled logger returns itself from child(): skip building bindings nobody reads.
  const logs = fastify.log.child({}) !== fastify.log;
  // Fastify binds the request id under its `requestIdLogLabel`. When that id is ours and the label
  // is `correlation_id`, Fastify's binding is ours: no factory (whose result Fastify validates on
  // every request), and only a client's X-Client-Request-Id takes a child (`correlate`).
  const label = requestIdLogLabel(fastify);
  const boundByFastify = logs && ownsRequestId && label === LOG_LABEL;
  if (logs && ownsRequestId && !boundByFastify) bindInFactory(fastify, label);

  fastify.decorateRequest('correlationId', '');

  function correlate(request: FastifyRequest, reply: FastifyReply): string {
    const id = ownsRequestId ? request.id : newCorrelationId();
    request.correlationId = id;
    reply.header(CORRELATION_HEADER, id);
    if (boundByFastify) {
      const client = clientRequestId(request.headers[CLIENT_REQUEST_HEADER]);
      if (client !== undefined) rebind(request, reply, { client_request_id: client });
    } else if (logs && !isBound(request.log)) {
      // Routes whose logger came from our factory are bound already; others (declared before the
      // plugin loaded, or with a header-trusted id) get one more child, from here on.
      rebind(request, reply, bindings(id, request.headers[CLIENT_REQUEST_HEADER]));
    }
    return id;
  }

  function rebind(request: FastifyRequest, reply: FastifyReply, fields: Record<string, string>): void {
    const log: FastifyBaseLogger = request.log.child(fields);
    request.log = log;
    reply.log = log;
  }

  function send(request: FastifyRequest, reply: FastifyReply, error: ApiError): void {
    // An onRequest hook that ran before ours may have failed: correlate now, late but never absent.
    const id = request.correlationId || correlate(request, reply);
    // The path only if the format asks (compiled formats never do).
    const out = engine.render(error, id, () => pathOf(request.url));
    reply.code(out.status);
    // Names come lower-case from the engine; the content type goes in through `type`, a plain store.
    const headers = out.headers;
    for (const name in headers) if (name !== 'content-type') reply.header(name, headers[name]);
    // The body is sent as the string it is, through a pass-through serializer: without one,
    // Fastify appends `; charset=utf-8` to a JSON-like type given a string, and registered JSON
    // media types (problem+json included) take none. A Buffer would avoid that too, but costs a
    // copy and makes Node write head and body as two chunks (writev) instead of one string.
    reply.type(out.contentType).serializer(passThrough).send(out.body);
  }

  const decoration: FaultlineDecoration = {
    send(request: FastifyRequest, reply: FastifyReply, error: unknown) {
      send(request, reply, engine.resolve(error, request, request.log));
    },
    answer(kind, path) {
      const id = newCorrelationId();
      const standIn = { url: path ?? '' } as unknown as FastifyRequest;
      const out = engine.render(engine.fault(kind, { request: standIn }, fastify.log), id, path);
      return {
        status: out.status,
        headers: { ...out.headers, 'content-type': out.contentType, [CORRELATION_HEADER]: id },
        body: out.body,
      };
    },
  };
  fastify.decorate('faultline', decoration);

  // Node answers an `Expect` it does not know with a bare 417 of its own; answer it ourselves.
  if (fastify.server.listenerCount('checkExpectation') === 0)
    fastify.server.on('checkExpectation', (request, response) =>
      answerExpectation(decoration, request, response),
    );

  fastify.addHook('onRequest', (request, reply, next) => {
    correlate(request, reply);
    next();
  });

  function answer(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
    send(request, reply, engine.resolve(error, request, request.log));
  }
  fastify.setErrorHandler(answer);
  // A catalog error thrown by a sync handler, answered where it is caught (same bytes, less work).
  answerThrownDirectly(fastify, answer);

  fastify.setNotFoundHandler((request, reply) => {
    const allow = allowedMethods(fastify, request.method, request.url);
    const error =
      allow.length === 0
        ? engine.fault('notFound', { request }, request.log)
        : engine.fault('methodNotAllowed', { request, allow }, request.log);
    send(request, reply, error);
  });

  done();
};

/**
 * faultline for Fastify 5. Gives every request a server-generated `request.correlationId`,
 * sends it as `X-Correlation-ID` on every response, binds it (and the client's
 * `X-Client-Request-Id`) to the request logger, and answers every error — thrown ApiErrors,
 * Fastify's own body/schema/route errors, unknown bugs — in the configured wire format.
 * Sets the app's error and not-found handlers; encapsulated handlers may still rethrow to it.
 * Log the request id as `correlation_id` (Fastify's `LogController` label) and the plugin adds
 * nothing to the logger per request; under any other label it binds through a child-logger factory.
 * @example
 * const app = Fastify({ logger: true, logController: new LogController({ requestIdLogLabel: 'correlation_id' }) });
 * await app.register(faultlineFastify, { catalog: api, format: structured, docsBase: 'https://api.example/errors' });
 * app.get('/things/:id', async (req) => { throw api.error('e4040', { id: req.params.id }); });
 */
export const faultlineFastify: FastifyPluginCallback<FaultlineFastifyOptions> = fp(plugin, {
  fastify: '5.x',
  name: 'faultline',
});

/**
 * Fastify's `frameworkErrors` server option, for the few errors Fastify raises before any
 * hook or handler runs (a path parameter with broken percent-encoding, an over-long one).
 * Without it Fastify answers those itself, in its own shape and with no correlation id.
 * @example const app = Fastify({ frameworkErrors }); await app.register(faultlineFastify, options);
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const faultline = (request.server as { faultline?: FaultlineDecoration }).faultline;
  if (faultline) faultline.send(request, reply, error);
  // Registered as a server option but the plugin is not: answer as Fastify would have.
  else reply.code(error.statusCode ?? 400).send(error);
}
