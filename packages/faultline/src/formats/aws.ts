import {
  asObject,
  guard,
  readHeader,
  requestIdFromHeaders,
  retryAfterOf,
  statusOf,
  str,
  without,
} from './common.ts';
import type { DecodedError, DecodeInput, Decoder } from './types.ts';
import { looksLikeXmlError, xmlText } from './xml.ts';

/** AWS request-id headers, most specific first (S3 uses `x-amz-request-id`). */
const REQUEST_ID_HEADERS = ['x-amzn-requestid', 'x-amz-request-id', 'x-amzn-request-id'] as const;

/**
 * Decode-only: AWS errors in each protocol's documented form. JSON protocols: the code in the
 * `X-Amzn-ErrorType` header or the body's `__type` (or `code`), sanitised as Smithy says —
 * keep what follows `#`, drop what follows `:` — with `message` / `Message`. Query and REST-XML
 * protocols (and S3): `<Error><Code>…</Code><Message>…</Message></Error>` with a `RequestId`.
 * @example aws.decode({ status: 400, headers: { 'x-amzn-errortype': 'ValidationException:http://x' }, body: { message: 'm' } })?.code
 * // 'ValidationException'
 */
export const aws: Decoder = {
  name: 'aws',
  decode: guard((input) =>
    typeof input.body === 'string' && looksLikeXmlError(input.body) ? fromXml(input) : fromJson(input),
  ),
};

function fromJson(input: DecodeInput): DecodedError | undefined {
  const header = readHeader(input.headers, 'x-amzn-errortype');
  // A bodiless error (HEAD, or an empty body) still has its code in the header.
  const blank = input.body === undefined || (typeof input.body === 'string' && input.body.trim() === '');
  const body = asObject(input.body) ?? (header && blank ? {} : undefined);
  if (!body) return undefined;
  const type = str(body['__type']) ?? (header ? str(body['code']) : undefined);
  const raw = header?.trim() || type;
  if (!raw) return undefined;
  const code = sanitise(raw);
  const message = str(body['message']) ?? str(body['Message']) ?? str(body['errorMessage']);
  return {
    format: 'aws',
    status: statusOf(input),
    code,
    message: message || code,
    requestId: requestIdFromHeaders(input.headers, REQUEST_ID_HEADERS) ?? str(body['RequestId']),
    link: undefined,
    retryAfterMs: retryAfterOf(input),
    fields: without(body, ['__type', 'code', 'message', 'Message', 'errorMessage']),
  };
}

function fromXml(input: DecodeInput): DecodedError | undefined {
  const text = input.body as string;
  const code = xmlText(text, 'Code');
  if (code === undefined) return undefined;
  const type = xmlText(text, 'Type');
  const hostId = xmlText(text, 'HostId');
  return {
    format: 'aws',
    status: statusOf(input),
    code,
    message: xmlText(text, 'Message') || code,
    requestId:
      requestIdFromHeaders(input.headers, REQUEST_ID_HEADERS) ??
      xmlText(text, 'RequestId') ??
      xmlText(text, 'RequestID'),
    link: undefined,
    retryAfterMs: retryAfterOf(input),
    fields: { ...(type ? { type } : {}), ...(hostId ? { hostId } : {}) },
  };
}

/** Smithy's rule: `aws.protocols#ValidationException:http://…` → `ValidationException`. */
function sanitise(raw: string): string {
  const noUri = raw.split(':')[0]!;
  const hash = noUri.lastIndexOf('#');
  return (hash >= 0 ? noUri.slice(hash + 1) : noUri).trim();
}
