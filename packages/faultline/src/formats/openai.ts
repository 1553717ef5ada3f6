import { asObject, guard, requestIdFromHeaders, retryAfterOf, statusOf, str, without } from './common.ts';
import type { Decoder } from './types.ts';

/**
 * Decode-only: OpenAI's `{error: {message, type, param, code}}` (also used by the many APIs
 * that copy it). All four members are always present, `param` and `code` often null, which
 * is what tells it from Stripe (whose errors carry `doc_url` and omit absent members). The
 * code is `code` when given, else `type` (`insufficient_quota`, `invalid_request_error`…).
 * Delays come from `retry-after-ms` / `Retry-After` and `x-should-retry` (read by `decodeError`).
 * @example openai.decode({ status: 429, body: { error: { message: 'm', type: 'requests', param: null, code: 'rate_limit_exceeded' } } })?.code
 * // 'rate_limit_exceeded'
 */
export const openai: Decoder = {
  name: 'openai',
  decode: guard((input) => {
    const body = asObject(input.body);
    const inner = asObject(body?.['error']);
    if (!body || !inner || !('param' in inner) || !('code' in inner)) return undefined;
    if ('doc_url' in inner || 'request_log_url' in inner || 'request_id' in inner) return undefined;
    const message = str(inner['message']);
    const type = str(inner['type']);
    const code = inner['code'];
    if (message === undefined || (type === undefined && typeof code !== 'string')) return undefined;
    return {
      format: 'openai',
      status: statusOf(input),
      // Some OpenAI-compatible servers send a numeric code; it is still the code to branch on.
      code: typeof code === 'string' && code !== '' ? code : typeof code === 'number' ? String(code) : type,
      message: message || type || 'error',
      requestId: requestIdFromHeaders(input.headers),
      link: undefined,
      retryAfterMs: retryAfterOf(input),
      fields: without(body, ['error'], without(inner, ['message', 'code'])),
    };
  }),
};
