import { ecosystems } from '../decoders/ecosystems.ts';
import { decoderFor } from './decode.ts';
import type { Decoder } from './types.ts';

/**
 * Decode-only: Stripe's `{error: {type, code?, message?, param?, doc_url?}}`. The code is
 * `code` when given, else `type`; the link is `doc_url`; the request id comes from the
 * `Request-Id` header, else from `request_log_url`. An `error` object with a `request_id` is
 * seed 004's shape, not Stripe's.
 * @example stripe.decode({ status: 404, body })?.code // 'resource_missing'
 */
export const stripe: Decoder = /* @__PURE__ */ decoderFor('stripe', ecosystems);
