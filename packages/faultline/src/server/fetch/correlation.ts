import { newCorrelationId } from '../../http/correlation.ts';

/** Ids by request object: web handlers have no per-request bag, and a WeakMap never leaks one. */
const ids = new WeakMap<Request, string>();

/**
 * The correlation id of a request: the one `withFaultline` assigned, or a new one (remembered,
 * so the error body and the header of the same request always agree).
 * @example app.get('/x', (c) => c.json({ id: correlationIdOf(c.req.raw) }));
 */
export function correlationIdOf(request: Request): string {
  let id = ids.get(request);
  if (id === undefined) {
    id = newCorrelationId();
    ids.set(request, id);
  }
  return id;
}
