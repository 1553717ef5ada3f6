import { guard, readHeader, requestIdFromHeaders, retryAfterOf, statusOf } from './common.ts';
import { looksLikeHtml, oneLine } from './readable.ts';
import type { Decoder } from './types.ts';

/**
 * Decode-only: a plain-text body (a proxy's `upstream request timeout`, a framework's
 * `Too Many Requests`), as one capped line. HTML is left to `htmlPage`, blank bodies to the caller.
 * @example plainText.decode({ status: 502, body: 'Bad Gateway' })?.message // 'Bad Gateway'
 */
export const plainText: Decoder = {
  name: 'text',
  decode: guard((input) => {
    if (typeof input.body !== 'string') return undefined;
    if (looksLikeHtml(input.body, readHeader(input.headers, 'content-type'))) return undefined;
    const message = oneLine(input.body);
    if (message === '') return undefined;
    return {
      format: 'text',
      status: statusOf(input),
      code: undefined,
      message,
      requestId: requestIdFromHeaders(input.headers),
      link: undefined,
      retryAfterMs: retryAfterOf(input),
      fields: {},
    };
  }),
};
