import { newCorrelationId } from '../../http/correlation.ts';

/**
 * Where a request keeps its id: a symbol-keyed property (cheaper than a WeakMap entry, which the
 * garbage collector must treat as an ephemeron), with a WeakMap for frozen request objects.
 */
const ID: unique symbol = Symbol('faultline.correlationId');
const frozen = new WeakMap<object, string>();
type Tagged = { [ID]?: string };

/**
 * The correlation id of a request: the one `withFaultline` assigned, or a new one (remembered,
 * so the error body and the header of the same request always agree).
 * @example app.get('/x', (c) => c.json({ id: correlationIdOf(c.req.raw) }));
 */
export function correlationIdOf(request: Request): string {
  const known = (request as Tagged)[ID] ?? frozen.get(request);
  if (known !== undefined) return known;
  const id = newCorrelationId();
  tag(request, id);
  return id;
}

function tag(target: object, id: string): void {
  try {
    (target as Tagged)[ID] = id;
  } catch {
    frozen.set(target, id);
  }
}

/**
 * Marks a response the error responder built, with the id its header already carries, so
 * `withFaultline` need not touch its headers again (which would make some servers copy them).
 * @example return markAnswered(new Response(body, init), id);
 */
export function markAnswered(response: Response, id: string): Response {
  tag(response, id);
  return response;
}

/**
 * The id a response was marked with by `markAnswered`, if any.
 * @example if (answeredWith(response) !== id) response.headers.set('x-correlation-id', id);
 */
export function answeredWith(response: Response): string | undefined {
  return (response as Tagged)[ID] ?? frozen.get(response);
}
