/**
 * faultline/express: middleware for Express 5.
 * @example
 * app.use(correlation());
 * // …routes…
 * app.use(notFound());
 * app.use(errorHandler({ catalog: api, format: structured }));
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
export { correlation } from './correlation.ts';
export { errorHandler } from './error-handler.ts';
export { notFound } from './not-found.ts';
export { requireJson } from './require-json.ts';
export type { FaultlineExpressOptions, FaultMap } from './types.ts';
