/**
 * faultline/fastify: the Fastify 5 plugin.
 * @example
 * import faultline from 'faultline/fastify';
 * await app.register(faultline, { catalog: api, format: structured });
 */
import { faultlineFastify } from './plugin.ts';

export { type FrameworkErrorId, frameworkCatalog } from '../builtin.ts';
export {
  type Fault,
  type FaultDetails,
  type FaultKind,
  FrameworkFault,
  fault,
  isFrameworkFault,
} from '../shared/faults.ts';
export { fieldFromValidation } from '../shared/validation-field.ts';
export { type BodyTimeoutOptions, bodyTimeouts } from './body-timeout.ts';
export { clientErrorHandler } from './connection.ts';
export { type EarlyAnswerOptions, earlyAnswers } from './early-answer.ts';
export { faultlineFastify, frameworkErrors } from './plugin.ts';
export type { FaultlineDecoration, FaultlineFastifyOptions, FaultMap, RawAnswer } from './types.ts';

export default faultlineFastify;
