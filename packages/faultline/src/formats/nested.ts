import { errorHeaders, extras, JSON_TYPE } from './common.ts';
import { decodeAs } from './decode.ts';
import type { DecodeInput, Decoder, WireFormat } from './types.ts';

const KEYS = ['code', 'message', 'request_id'] as const;
const UUID_HEX = /^req_([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})$/i;

/**
 * Seed 004's `request_id` for a correlation id: `req_` plus the id without dashes. One
 * unbroken token (like the seed's `req_01hq…`) selects with a double click in a terminal or a
 * log viewer, and the prefix says what it is; the UUID comes back with `fromRequestId`.
 * @example toRequestId('f47ac10b-58cc-4372-a567-0e02b2c3d479') // 'req_f47ac10b58cc4372a5670e02b2c3d479'
 */
export function toRequestId(correlationId: string): string {
  return `req_${correlationId.replaceAll('-', '')}`;
}

/**
 * The correlation id behind a `req_…` id made by `toRequestId`, to search our logs;
 * undefined for request ids of another making.
 * @example fromRequestId('req_f47ac10b58cc4372a5670e02b2c3d479') // 'f47ac10b-58cc-4372-a567-0e02b2c3d479'
 */
export function fromRequestId(requestId: string): string | undefined {
  const parts = UUID_HEX.exec(requestId);
  return parts ? parts.slice(1).join('-').toLowerCase() : undefined;
}

/** The decoding half of `nested`, shared with `nestedDecoder` (no encoder: what the client bundles). */
const decodeNested = (input: DecodeInput) => decodeAs(input, 'nested');

/**
 * Seed 004's shape: `{error: {code, message, request_id, ...extras}}`, the extras being the
 * error's fields (`details`, `minutes_remaining`, `retry_after`…). A decoded `requestId` is
 * the `req_…` id as sent: that is what the API's support asks for.
 * @example nested.encode(api.error('not_found'), { correlationId }).body.error.request_id // 'req_…'
 */
export const nested: WireFormat = {
  name: 'nested',
  contentType: JSON_TYPE,
  encode(error, context) {
    return {
      status: error.status,
      headers: errorHeaders(error),
      body: {
        error: {
          code: error.id,
          message: error.message,
          request_id: toRequestId(context.correlationId),
          ...extras(error, KEYS),
        },
      },
    };
  },
  decode: decodeNested,
};

/**
 * Decode-only `nested`: what `decodeError` tries, without the encoder, so a client bundle
 * that decodes never carries the code that builds responses.
 * @example nestedDecoder.decode({ status: 400, body })?.format // 'nested'
 */
export const nestedDecoder: Decoder = { name: 'nested', decode: decodeNested };
