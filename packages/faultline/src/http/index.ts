export { CLIENT_REQUEST_HEADER, CORRELATION_HEADER, newCorrelationId } from './correlation.ts';
export {
  type RateLimitPolicy,
  type RateLimitState,
  rateLimitFields,
  rateLimitHeaders,
} from './rate-limit-headers.ts';
export {
  formatRetryAfter,
  parseRateLimitReset,
  parseRetryAfter,
  parseRetryAfterMs,
  parseShouldRetry,
} from './retry-after.ts';
