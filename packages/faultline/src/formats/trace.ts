import {
  asObject,
  errorHeaders,
  extras,
  guard,
  JSON_TYPE,
  retryAfterOf,
  statusOf,
  str,
  without,
} from './common.ts';
import type { Decoder, WireFormat } from './types.ts';

const KEYS = ['message', 'trace_id'] as const;

/** The decoding half of `trace`, shared with `traceDecoder` (no encoder: what the client bundles). */
const decodeTrace = guard((input) => {
  const body = asObject(input.body);
  const message = str(body?.['message']);
  const traceId = str(body?.['trace_id']);
  if (!body || message === undefined || traceId === undefined) return undefined;
  return {
    format: 'trace',
    status: statusOf(input),
    code: undefined,
    message,
    requestId: traceId,
    link: undefined,
    retryAfterMs: retryAfterOf(input),
    fields: without(body, KEYS),
  };
});

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
