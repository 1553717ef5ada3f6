import { errorHeaders, extras, JSON_TYPE } from './common.ts';
import { decodeAs } from './decode.ts';
import type { DecodeInput, Decoder, WireFormat } from './types.ts';

const KEYS = ['message', 'trace_id'] as const;

/** The decoding half of `trace`, shared with `traceDecoder` (no encoder: what the client bundles). */
const decodeTrace = (input: DecodeInput) => decodeAs(input, 'trace');

/**
 * Seed 002's 400/500 shape: `{message, trace_id}`, the trace id being our correlation id.
 * It has no machine code, so a decoded one has `code: undefined`.
 * @example trace.encode(err, { correlationId }).body // { message: '…', trace_id: 'f47ac10b-…' }
 */
export const trace: WireFormat = {
  name: 'trace',
  contentType: JSON_TYPE,
  encode(error, context) {
    return {
      status: error.status,
      headers: errorHeaders(error),
      body: { message: error.message, trace_id: context.correlationId, ...extras(error, KEYS) },
    };
  },
  decode: decodeTrace,
};

/**
 * Decode-only `trace`: what `decodeError` tries, without the encoder, so a client bundle
 * that decodes never carries the code that builds responses.
 * @example traceDecoder.decode({ status: 400, body })?.format // 'trace'
 */
export const traceDecoder: Decoder = { name: 'trace', decode: decodeTrace };
