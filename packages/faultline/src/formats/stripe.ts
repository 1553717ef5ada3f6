import { asObject, guard, requestIdFromHeaders, retryAfterOf, statusOf, str, without } from './common.ts';
import type { Decoder } from './types.ts';

/**
 * Stripe's error types all end in `_error`: `card_error`, `invalid_request_error`, `api_error`…
 * Read as `/^[a-z]+(?:_[a-z]+)*_error$/` would: lower-case words joined by single underscores,
 * the last word `error`, at least one before it. A loop, not that regex: it runs on every
 * `{error: {type}}` body.
 */
function isStripeType(type: string): boolean {
  const end = type.length - '_error'.length;
  if (end < 1 || !type.endsWith('_error')) return false;
  let previous = 0x5f; // as if after an underscore: the type may not start with one
  for (let i = 0; i < end; i++) {
    const c = type.charCodeAt(i);
    if (c === 0x5f) {
      if (previous === 0x5f) return false;
    } else if (c < 0x61 || c > 0x7a) return false;
    previous = c;
  }
  return previous !== 0x5f;
}

/**
 * Decode-only: Stripe's `{error: {type, code?, message?, param?, doc_url?}}`. The code is
 * `code` when given, else `type`; the link is `doc_url`; the request id comes from the
 * `Request-Id` header, else from `request_log_url`. An `error` object with a `request_id` is
 * seed 004's shape, not Stripe's.
 * @example stripe.decode({ status: 404, body })?.code // 'resource_missing'
 */
export const stripe: Decoder = {
  name: 'stripe',
  decode: guard((input) => {
    const body = asObject(input.body);
    const inner = asObject(body?.['error']);
    const type = str(inner?.['type']);
    if (!body || !inner || type === undefined || !isStripeType(type)) return undefined;
    if ('request_id' in inner) return undefined;
    const message = inner['message'];
    if (message !== undefined && typeof message !== 'string') return undefined;
    const code = str(inner['code']) || type;
    const logUrl = str(inner['request_log_url']);
    return {
      format: 'stripe',
      status: statusOf(input),
      code,
      // Stripe may omit the message (some API errors); the code is the next best thing to show.
      message: message || code,
      requestId:
        requestIdFromHeaders(input.headers) ?? (logUrl ? /\/(req_\w+)/.exec(logUrl)?.[1] : undefined),
      link: str(inner['doc_url']),
      retryAfterMs: retryAfterOf(input),
      fields: without(body, ['error'], without(inner, ['code', 'message', 'doc_url'])),
    };
  }),
};
