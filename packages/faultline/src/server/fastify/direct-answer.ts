import { tracingChannel } from 'node:diagnostics_channel';
import { createRequire } from 'node:module';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { isApiError } from '../../error/api-error.ts';

/** What the plugin's error handler does with an error: answer it. */
export type Answer = (error: unknown, request: FastifyRequest, reply: FastifyReply) => void;

type Handler = (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) => unknown;

/** The parts of Fastify's route context read here (lib/context.js). */
interface RouteContext {
  readonly onError: unknown;
  readonly onSend: unknown;
  readonly errorHandler: object;
}

interface Internals {
  readonly context: symbol;
  readonly errorHandler: symbol;
  readonly headers: symbol;
  readonly nextErrorHandler: symbol;
}

/** Fastify's own symbols, from the copy that made this instance; undefined if they cannot be trusted. */
function internalsOf(fastify: FastifyInstance): Internals | undefined {
  try {
    const symbols = createRequire(import.meta.url)('fastify/lib/symbols.js') as Record<string, unknown>;
    const [context, errorHandler, headers, nextErrorHandler] = [
      symbols['kRouteContext'],
      symbols['kErrorHandler'],
      symbols['kReplyHeaders'],
      symbols['kReplyNextErrorHandler'],
    ];
    if (
      typeof context !== 'symbol' ||
      typeof errorHandler !== 'symbol' ||
      typeof headers !== 'symbol' ||
      typeof nextErrorHandler !== 'symbol' ||
      // Another copy of Fastify has other symbols: this instance must carry these.
      !(errorHandler in fastify)
    )
      return undefined;
    return { context, errorHandler, headers, nextErrorHandler };
  } catch {
    return undefined;
  }
}

// Fastify publishes a handler's thrown error on this channel when anyone listens.
const handlerChannel = tracingChannel('fastify.request.handler');

/**
 * Answers a catalog error thrown by a sync route handler in the handler's own frame, where Fastify
 * would catch it, send it as an error, run the route's onError hooks and call the error handler
 * in force (ours): the same answer, without that detour. Only when nothing could tell the
 * difference: no onError hooks, our error handler in force for the route (an encapsulated
 * `setErrorHandler` keeps its errors), no tracing subscribers, reply not sent. Anything else is
 * rethrown as it came. Async handlers are not wrapped (no extra promise on their success path).
 * Call right after `setErrorHandler(answer)`, on the same instance.
 */
export function answerThrownDirectly(fastify: FastifyInstance, answer: Answer): void {
  const internals = internalsOf(fastify);
  if (internals === undefined) return;
  const { context: kContext, headers: kHeaders, nextErrorHandler: kNext } = internals;
  const ours = (fastify as unknown as Record<symbol, object>)[internals.errorHandler];

  fastify.addHook('onRoute', (route: RouteOptions) => {
    const handler = route.handler as Handler;
    // A handler that is no function is Fastify's to reject; a route with its own onError hooks
    // or error handler would never take the direct path.
    if (typeof handler !== 'function' || handler.constructor.name === 'AsyncFunction') return;
    if (route.errorHandler || route.onError) return;
    route.handler = function direct(this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
      try {
        return handler.call(this, request, reply);
      } catch (error) {
        if (!isApiError(error) || reply.sent || handlerChannel.hasSubscribers) throw error;
        const context = (request as unknown as Record<symbol, RouteContext>)[kContext];
        if (context?.onError !== null || context.errorHandler !== ours) throw error;
        answerNow(error, request, reply, context);
        return undefined;
      }
    };
  });

  /** What Fastify's handleError does before and around calling our handler. */
  function answerNow(error: unknown, request: FastifyRequest, reply: FastifyReply, context: RouteContext) {
    // Fastify drops these so the error handler's answer sets its own.
    const headers = (reply as unknown as Record<symbol, Record<string, unknown>>)[kHeaders]!;
    if (headers['content-type'] !== undefined) delete headers['content-type'];
    if (headers['content-length'] !== undefined) delete headers['content-length'];
    // A later error on this reply (an onSend hook's, or our own) goes to the next handler up,
    // as after Fastify's call; set only when one can happen, since it reshapes the reply object.
    if (context.onSend !== null) passOn(reply, context);
    try {
      answer(error, request, reply);
    } catch (failure) {
      passOn(reply, context);
      throw failure;
    }
  }

  function passOn(reply: FastifyReply, context: RouteContext): void {
    (reply as unknown as Record<symbol, unknown>)[kNext] = Object.getPrototypeOf(context.errorHandler);
  }
}
