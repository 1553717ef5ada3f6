import { guard, readHeader, requestIdFromHeaders, retryAfterOf, statusOf } from './common.ts';
import { htmlMessage, looksLikeHtml } from './readable.ts';
import { reasonPhrase } from './reason.ts';
import type { Decoder } from './types.ts';

/**
 * Decode-only: an HTML error page, typically from a proxy or load balancer in front of the
 * API (nginx's `502 Bad Gateway`, a CDN's timeout page). The message is the page's `<title>`,
 * else its first `<h1>`, else its text, else the status's reason phrase.
 * @example htmlPage.decode({ status: 502, body: '<html><title>502 Bad Gateway</title></html>' })?.message
 */
export const htmlPage: Decoder = {
  name: 'html',
  decode: guard((input) => {
    if (typeof input.body !== 'string') return undefined;
    if (!looksLikeHtml(input.body, readHeader(input.headers, 'content-type'))) return undefined;
    const status = statusOf(input);
    return {
      format: 'html',
      status,
      code: undefined,
      message: htmlMessage(input.body) || reasonPhrase(status),
      requestId: requestIdFromHeaders(input.headers),
      link: undefined,
      retryAfterMs: retryAfterOf(input),
      fields: {},
    };
  }),
};
