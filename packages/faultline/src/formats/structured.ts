import type { ApiError } from '../error/api-error.ts';
import { errorHeaders, extras, JSON_TYPE, linkFor } from './common.ts';
import { compilable, entryDefaults, entryHeaders, members, messageJson } from './compile.ts';
import { decodeAs } from './decode.ts';
import type { DecodeInput, Decoder, EncodeContext, Encoded, WireFormat } from './types.ts';

const KEYS = ['error_id', 'correlation_id', 'link', 'message'] as const;
// The legacy keys are reserved too: during the transition both shapes share one body.
const RESERVED = [...KEYS, 'detail', 'status_code', 'extra'];
const FIXED_HEADERS = { 'content-type': JSON_TYPE } as const;

function encodeStructured(error: ApiError, context: EncodeContext): Encoded {
  return {
    status: error.status,
    headers: errorHeaders(error),
    body: {
      error_id: error.id,
      correlation_id: context.correlationId,
      link: linkFor(error, context),
      message: error.message,
      ...extras(error, RESERVED),
    },
  };
}

/** The decoding half of `structured`, shared with `structuredDecoder` (no encoder: what the client bundles). */
const decodeStructured = (input: DecodeInput) => decodeAs(input, 'structured');

/**
 * Seed 000's canonical shape: `{error_id, correlation_id, link, message}`, then the entry's
 * extra fields (e.g. `reset_time`).
 * @example structured.encode(err, { correlationId, docsBase: 'https://api.example/docs/errors' })
 */
export const structured: WireFormat = {
  name: 'structured',
  contentType: JSON_TYPE,
  encode: encodeStructured,
  compile(entry, context) {
    // A format spread from this one with an `encode` of its own must be served by that encode.
    if (this.encode !== encodeStructured || !compilable(entry)) return undefined;
    // Everything but the correlation id, the message and the extra fields is known now.
    const head = `{"error_id":${JSON.stringify(entry.id)},"correlation_id":`;
    const link = `,"link":${JSON.stringify(`${context.docsBase ?? ''}#${entry.slug}`)},"message":`;
    const headers = Object.freeze({ ...entryHeaders(entry), ...FIXED_HEADERS });
    const hasFields = entry.fields.length > 0;
    const message = JSON.stringify(entry.message);
    return (error, correlationId) => {
      let body = head + JSON.stringify(correlationId) + link + messageJson(error, entry, message);
      if (hasFields) body += members(extras(error, RESERVED));
      return {
        status: error.status,
        headers: entryDefaults(error, entry) ? headers : { ...errorHeaders(error), ...FIXED_HEADERS },
        body: `${body}}`,
      };
    };
  },
  decode: decodeStructured,
};

/**
 * Decode-only `structured`: what `decodeError` tries, without the encoder, so a client bundle
 * that decodes never carries the code that builds responses.
 * @example structuredDecoder.decode({ status: 400, body })?.format // 'structured'
 */
export const structuredDecoder: Decoder = { name: 'structured', decode: decodeStructured };
