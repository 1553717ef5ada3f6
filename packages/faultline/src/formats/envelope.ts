import { errorHeaders, extras, JSON_TYPE } from './common.ts';
import { decodeAs } from './decode.ts';
import type { DecodeInput, Decoder, WireFormat } from './types.ts';

/** Seed 001 sends the request id as a header; the body has no room for it. */
const REQUEST_ID_HEADER = 'x-request-id';
const INNER = ['code', 'message', 'httpStatus'] as const;

/** The decoding half of `envelope`, shared with `envelopeDecoder` (no encoder: what the client bundles). */
const decodeEnvelope = (input: DecodeInput) => decodeAs(input, 'envelope');

/**
 * Seed 001's envelope: `{error:{code, message, httpStatus}, status:"error", status_code}`.
 * The HTTP status, `status_code` and `error.httpStatus` are always the same number; `code` is
 * the catalog id; the correlation id travels as `X-Request-Id`. Extra fields of the error go
 * inside `error`, after `httpStatus`, so the top level keeps its documented three keys.
 * @example
 * envelope.encode(api.error('MISSING_AUTH'), { correlationId }).body
 * // { error: { code: 'MISSING_AUTH', message: '…', httpStatus: 401 }, status: 'error', status_code: 401 }
 */
export const envelope: WireFormat = {
  name: 'envelope',
  contentType: JSON_TYPE,
  encode(error, context) {
    return {
      status: error.status,
      headers: { ...errorHeaders(error), [REQUEST_ID_HEADER]: context.correlationId },
      body: {
        error: { code: error.id, message: error.message, httpStatus: error.status, ...extras(error, INNER) },
        status: 'error',
        status_code: error.status,
      },
    };
  },
  decode: decodeEnvelope,
};

/**
 * Decode-only `envelope`: what `decodeError` tries, without the encoder, so a client bundle
 * that decodes never carries the code that builds responses.
 * @example envelopeDecoder.decode({ status: 400, body })?.format // 'envelope'
 */
export const envelopeDecoder: Decoder = { name: 'envelope', decode: decodeEnvelope };
