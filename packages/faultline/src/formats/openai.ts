import { ecosystems } from '../decoders/ecosystems.ts';
import { decoderFor } from './decode.ts';
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
export const openai: Decoder = /* @__PURE__ */ decoderFor('openai', ecosystems);
