import { headersWithCorrelation, JSON_TYPE } from './common.ts';
import { decodeAs } from './decode.ts';
import type { DecodeInput, Decoder, WireFormat } from './types.ts';

/** The decoding half of `legacy`, shared with `legacyDecoder` (no encoder: what the client bundles). */
const decodeLegacy = (input: DecodeInput) => decodeAs(input, 'legacy');

/**
 * Seed 000's old shape: `{detail, status_code, extra}`. Kept for clients that have not
 * migrated; `transition` emits it beside `structured` until the sunset. The body has no id,
 * so used alone it sends the correlation id as `X-Correlation-ID`.
 * @example legacy.encode(err, ctx).body // { detail: '…', status_code: 400, extra: {} }
 */
export const legacy: WireFormat = {
  name: 'legacy',
  contentType: JSON_TYPE,
  encode(error, context) {
    return {
      status: error.status,
      headers: headersWithCorrelation(error, context),
      body: { detail: error.message, status_code: error.status, extra: error.fields },
    };
  },
  decode: decodeLegacy,
};

/**
 * Decode-only `legacy`: what `decodeError` tries, without the encoder, so a client bundle
 * that decodes never carries the code that builds responses.
 * @example legacyDecoder.decode({ status: 400, body })?.format // 'legacy'
 */
export const legacyDecoder: Decoder = { name: 'legacy', decode: decodeLegacy };
