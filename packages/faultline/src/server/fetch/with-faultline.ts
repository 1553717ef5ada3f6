import { CORRELATION_HEADER } from '../../http/correlation.ts';
import { answeredWith, correlationIdOf } from './correlation.ts';
import { createErrorResponder, type ErrorResponder, type FaultlineFetchOptions } from './responder.ts';

/**
 * Wraps a fetch handler (`app.fetch` of Hono, a Bun/Deno `fetch`): gives each request a
 * correlation id, sets `X-Correlation-ID` on every response, and answers anything the handler
 * throws through the error responder. Extra arguments (env, execution context) pass through.
 * @example
 * const respond = createErrorResponder(options);
 * app.onError((err, c) => respond(err, c.req.raw));
 * serve({ fetch: withFaultline(app.fetch, respond) });
 */
export function withFaultline<Args extends unknown[]>(
  handler: (request: Request, ...args: Args) => Response | Promise<Response>,
  options: FaultlineFetchOptions | ErrorResponder,
): (request: Request, ...args: Args) => Promise<Response> {
  const respond = typeof options === 'function' ? options : createErrorResponder(options);
  return async (request, ...args) => {
    const id = correlationIdOf(request);
    let response: Response;
    try {
      response = await handler(request, ...args);
      if (!(response instanceof Response)) throw new TypeError('fetch handler did not return a Response');
    } catch (error) {
      response = respond(error, request);
    }
    // The responder's answers carry the header already.
    return answeredWith(response) === id ? response : withHeader(response, id);
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
