/**
 * faultline/fetch: web-standard Request/Response (Hono, Bun, Deno, workers).
 * @example
 * const respond = createErrorResponder({ catalog: api, format: structured });
 * app.onError((err, c) => respond(err, c.req.raw));
 * export default { fetch: withFaultline(app.fetch, respond) };
 */
export { type FrameworkErrorId, frameworkCatalog } from '../builtin.ts';
export {
  type Fault,
  type FaultDetails,
  type FaultKind,
  FrameworkFault,
  fault,
  isFrameworkFault,
} from '../shared/faults.ts';
export { type FaultlineLogger, jsonLineLogger } from '../shared/log.ts';
export { correlationIdOf } from './correlation.ts';
export { type ReadJsonOptions, readJson } from './read-json.ts';
export {
  createErrorResponder,
  type ErrorResponder,
  type FaultlineFetchOptions,
  type FaultMap,
} from './responder.ts';
export { withFaultline } from './with-faultline.ts';
