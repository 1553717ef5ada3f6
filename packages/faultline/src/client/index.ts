/**
 * faultline/client: decode an API error (the core shapes: the seed APIs', ours, RFC 9457, text;
 * other ecosystems' shapes, the generic conventions and HTML pages are opt-in with
 * `createClient({ decode: decodeAnyError })` from faultline/decoders) and retry only what is
 * safe to repeat. Browser-safe: imports no server code.
 */
export { decodeError, parseBody, retrySignals } from '../formats/detect.ts';
export type { DecodedError } from '../formats/types.ts';
export { RetryBudget, type RetryBudgetOptions } from './budget.ts';
export {
  type Client,
  type ClientOptions,
  type ClientRequestInit,
  createClient,
  decodeResponse,
} from './fetch-client.ts';
export { type BodySource, isOneShot } from './request-body.ts';
export { ResponseError } from './response-error.ts';
export {
  decideRetry,
  defaultRetryPolicy,
  type Jitter,
  notProcessed,
  type RetryDecision,
  type RetryInput,
  type RetryOverride,
  type RetryPolicy,
  type StopReason,
} from './retry-policy.ts';
export { abortableSleep } from './sleep.ts';
