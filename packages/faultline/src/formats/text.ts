import { decoderFor } from './decode.ts';
import type { Decoder } from './types.ts';

/**
 * Decode-only: a plain-text body (a proxy's `upstream request timeout`, a framework's
 * `Too Many Requests`), as one capped line. HTML is never read as text (`htmlPage` reads it), blank bodies are left to the caller.
 * @example plainText.decode({ status: 502, body: 'Bad Gateway' })?.message // 'Bad Gateway'
 */
export const plainText: Decoder = /* @__PURE__ */ decoderFor('text');
