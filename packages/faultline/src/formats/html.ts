import { ecosystems } from '../decoders/ecosystems.ts';
import { decoderFor } from './decode.ts';
import type { Decoder } from './types.ts';

/**
 * Decode-only: an HTML error page, typically from a proxy or load balancer in front of the
 * API (nginx's `502 Bad Gateway`, a CDN's timeout page). The message is the page's `<title>`,
 * else its first `<h1>`, else its text, else the status's reason phrase. Opt-in (`decodeAnyError`
 * from `faultline/decoders`): the core `decodeError` answers undefined for an HTML page.
 * @example htmlPage.decode({ status: 502, body: '<html><title>502 Bad Gateway</title></html>' })?.message
 */
export const htmlPage: Decoder = /* @__PURE__ */ decoderFor('html', ecosystems);
