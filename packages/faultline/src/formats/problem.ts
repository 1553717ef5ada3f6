import { errorHeaders, extras, linkFor } from './common.ts';
import { decodeAs } from './decode.ts';
import type { DecodeInput, Decoder, WireFormat } from './types.ts';

/**
 * RFC 9457's media type, exactly as registered: no parameters (parsers match it verbatim).
 * @example reply.header('content-type', PROBLEM_TYPE)
 */
export const PROBLEM_TYPE = 'application/problem+json';

const MEMBERS = ['type', 'title', 'status', 'detail', 'instance', 'code'] as const;
const URN_UUID = 'urn:uuid:';

/** The decoding half of `problem`, shared with `problemDecoder` (no encoder: what the client bundles). */
const decodeProblem = (input: DecodeInput) => decodeAs(input, 'problem');

/**
 * RFC 9457 problem details: `{type, title, status, detail, instance, code, ...fields}` where
 * `type` is the docs link, `title` the entry's title, `detail` the message, `instance`
 * `urn:uuid:<correlation id>` and `code` (an extension member) the catalog id.
 * Decoding accepts any problem: with the `application/problem+json` content type, or without
 * it when the body has `title`/`detail` and `type`/`status`. The code comes from a `code`
 * member, else from the fragment of the `type` URL.
 * @example problem.encode(err, { correlationId, docsBase }).body.instance // 'urn:uuid:f47ac10b-…'
 */
export const problem: WireFormat = {
  name: 'problem',
  contentType: PROBLEM_TYPE,
  encode(error, context) {
    return {
      status: error.status,
      headers: errorHeaders(error),
      body: {
        type: linkFor(error, context),
        title: error.entry.title,
        status: error.status,
        detail: error.message,
        instance: `${URN_UUID}${context.correlationId}`,
        code: error.id,
        ...extras(error, MEMBERS),
      },
    };
  },
  decode: decodeProblem,
};

/**
 * Decode-only `problem`: what `decodeError` tries, without the encoder, so a client bundle
 * that decodes never carries the code that builds responses.
 * @example problemDecoder.decode({ status: 400, body })?.format // 'problem'
 */
export const problemDecoder: Decoder = { name: 'problem', decode: decodeProblem };
