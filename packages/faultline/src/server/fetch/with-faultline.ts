import { CORRELATION_HEADER } from '../../http/correlation.ts';
import { answeredWith, correlationIdOf } from './correlation.ts';
import { createErrorResponder, type ErrorResponder, type FaultlineFetchOptions } from './responder.ts';

/**
 * Wraps a fetch handler (`app.fetch` of Hono, a Bun/Deno `fetch`): gives each request a
 * correlation id, sets `X-Correlation-ID` on every response, and answers anything the handler
 * throws through the error responder. Extra arguments (env, execution context) pass through.
 * Synchronous when the handler is (as Hono's `app.fetch` is for synchronous routes): servers such
 * as @hono/node-server write a plain Response at once, a Promise only a tick later.
 * @example
 * const respond = createErrorResponder(options);
 * app.onError((err, c) => respond(err, c.req.raw));
 * serve({ fetch: withFaultline(app.fetch, respond) });
 */
export function withFaultline<Args extends unknown[]>(
  handler: (request: Request, ...args: Args) => Response | Promise<Response>,
  options: FaultlineFetchOptions | ErrorResponder,
): (request: Request, ...args: Args) => Response | Promise<Response> {
  const respond = typeof options === 'function' ? options : createErrorResponder(options);
  function finish(request: Request, id: string, response: unknown): Response {
    if (!(response instanceof Response))
      return respond(new TypeError('fetch handler did not return a Response'), request);
    // The responder's answers carry the header already.
    return answeredWith(response) === id ? response : withHeader(response, id);
  }
  return (request, ...args) => {
    const id = correlationIdOf(request);
    let result: Response | Promise<Response>;
    try {
      result = handler(request, ...args);
    } catch (error) {
      return respond(error, request);
    }
    if (result instanceof Response) return finish(request, id, result);
    return Promise.resolve(result).then(
      (response) => finish(request, id, response),
      (error: unknown) => respond(error, request),
    );
  };
}

/** Sets the header, copying the response when its headers are immutable (fetch results, redirects). */
function withHeader(response: Response, id: string): Response {
  try {
    response.headers.set(CORRELATION_HEADER, id);
    return response;
  } catch {
    try {
      const copy = new Response(response.body, response);
      copy.headers.set(CORRELATION_HEADER, id);
      return copy;
    } catch {
      // 101 Switching Protocols and other statuses a Response cannot be built with: leave as is.
      return response;
    }
  }
}
