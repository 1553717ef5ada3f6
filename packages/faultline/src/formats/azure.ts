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
import type { Decoder } from './types.ts';
import { looksLikeXmlError, xmlText } from './xml.ts';

/** Azure's request-id headers: the service's own, then ARM's correlation id, then API Management's. */
const REQUEST_ID_HEADERS = ['x-ms-request-id', 'x-ms-correlation-request-id', 'apim-request-id'] as const;

/**
 * Decode-only: Azure's REST guidelines error, `{error: {code, message, target?, details?,
 * innererror?}}`, with the code also in the `x-ms-error-code` header (which wins: Azure says
 * clients should branch on it, and it is there even for HEAD responses and XML bodies of
 * Azure Storage). Recognised by an `x-ms-*` request id or error-code header, or by the
 * `innererror` / `target` members; a bare `{error:{code,message}}` is left to `nested`.
 * Delays come from `retry-after-ms` / `x-ms-retry-after-ms` / `Retry-After` (read by `decodeError`).
 * @example azure.decode({ status: 404, headers: { 'x-ms-error-code': 'ResourceNotFound' }, body: '' })?.code
 * // 'ResourceNotFound'
 */
export const azure: Decoder = {
  name: 'azure',
  decode: guard((input) => {
    const body = asObject(input.body);
    const inner = asObject(body?.['error']);
    if (body && inner) {
      // Body checks first: they are cheaper than header lookups and reject most bodies.
      const code = str(inner['code']);
      const message = str(inner['message']);
      if (code === undefined || message === undefined) return undefined;
      const headerCode = readHeader(input.headers, 'x-ms-error-code')?.trim() || undefined;
      const msId = requestIdFromHeaders(input.headers, REQUEST_ID_HEADERS);
      if (!headerCode && !msId && !('innererror' in inner) && !('target' in inner)) return undefined;
      return {
        format: 'azure',
        status: statusOf(input),
        code: headerCode ?? code,
        message,
        requestId: msId ?? requestIdFromHeaders(input.headers),
        link: undefined,
        retryAfterMs: retryAfterOf(input),
        fields: without(body, ['error'], without(inner, ['code', 'message'])),
      };
    }
    const headerCode = readHeader(input.headers, 'x-ms-error-code')?.trim() || undefined;
    if (!headerCode) return undefined;
    // Azure Storage answers in XML; a HEAD or a bodiless error has only the header.
    const text = typeof input.body === 'string' ? input.body : '';
    const xml = looksLikeXmlError(text);
    return {
      format: 'azure',
      status: statusOf(input),
      code: headerCode,
      message: (xml ? xmlText(text, 'Message')?.split('\n')[0] : undefined) || headerCode,
      requestId:
        requestIdFromHeaders(input.headers, REQUEST_ID_HEADERS) ?? requestIdFromHeaders(input.headers),
      link: undefined,
      retryAfterMs: retryAfterOf(input),
      fields: {},
    };
  }),
};
