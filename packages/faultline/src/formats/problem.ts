import {
  asObject,
  errorHeaders,
  extras,
  guard,
  linkFor,
  readHeader,
  requestIdFromHeaders,
  retryAfterOf,
  statusOf,
  statusValue,
  str,
  without,
} from './common.ts';
import { reasonPhrase } from './reason.ts';
import type { Decoder, WireFormat } from './types.ts';

/**
 * RFC 9457's media type, exactly as registered: no parameters (parsers match it verbatim).
 * @example reply.header('content-type', PROBLEM_TYPE)
 */
export const PROBLEM_TYPE = 'application/problem+json';

const MEMBERS = ['type', 'title', 'status', 'detail', 'instance', 'code'] as const;
const URN_UUID = 'urn:uuid:';
/** Extension members other APIs use for the id to quote, when `instance` is not a `urn:uuid:`. */
const ID_MEMBERS = ['correlation_id', 'request_id', 'requestId', 'trace_id', 'traceId'] as const;

/** The decoding half of `problem`, shared with `problemDecoder` (no encoder: what the client bundles). */
const decodeProblem = guard((input) => {
  const body = asObject(input.body);
  if (!body) return undefined;
  const declared = readHeader(input.headers, 'content-type')?.toLowerCase().includes('problem+json');
  // RFC 9457 §3.1: a member of the wrong type is ignored, as if absent.
  const type = str(body['type']);
  const title = str(body['title']);
  const detail = str(body['detail']);
  const stated = statusValue(body['status']);
  if (!declared && !((title ?? detail) !== undefined && (type !== undefined || stated !== undefined)))
    return undefined;
  const status = statusOf(input, stated);
  const instance = str(body['instance']);
  const fromInstance = instance?.toLowerCase().startsWith(URN_UUID)
    ? instance.slice(URN_UUID.length)
    : undefined;
  const fromMembers = ID_MEMBERS.map((key) => str(body[key])).find(Boolean);
  const link = type && type !== 'about:blank' ? type : undefined;
  return {
    format: 'problem',
    status,
    code: str(body['code']) || fragmentOf(link),
    message: detail || title || reasonPhrase(status),
    requestId: fromInstance || fromMembers || requestIdFromHeaders(input.headers),
    link,
    retryAfterMs: retryAfterOf(input),
    // `title` stays: it is the only place a short summary lives. `instance` stays unless it was the id.
    fields: without(body, ['type', 'status', 'detail', 'code', ...(fromInstance ? ['instance'] : [])]),
  };
});

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

/** `https://docs.example/errors#ih2005` → `ih2005`; undefined without a fragment. */
function fragmentOf(link: string | undefined): string | undefined {
  const at = link?.indexOf('#') ?? -1;
  if (link === undefined || at === -1 || at === link.length - 1) return undefined;
  const fragment = link.slice(at + 1);
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

/**
 * Decode-only `problem`: what `decodeError` tries, without the encoder, so a client bundle
 * that decodes never carries the code that builds responses.
 * @example problemDecoder.decode({ status: 400, body })?.format // 'problem'
 */
export const problemDecoder: Decoder = { name: 'problem', decode: decodeProblem };
