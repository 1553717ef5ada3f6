/**
 * faultline/client: decode any API error shape and retry exactly as the server asks.
 * Browser-safe: imports no server code.
 */
export { decodeError, parseBody } from '../formats/detect.ts';
export type { DecodedError } from '../formats/types.ts';
export { parseRetryAfter } from '../http/retry-after.ts';
export { RetryBudget } from './budget.ts';
export {
  type Client,
  type ClientOptions,
  type ClientRequestInit,
  createClient,
  decodeResponse,
} from './fetch-client.ts';
export { ResponseError } from './response-error.ts';
export {
  decideRetry,
  defaultRetryPolicy,
  type RetryDecision,
  type RetryInput,
  type RetryPolicy,
} from './retry-policy.ts';
