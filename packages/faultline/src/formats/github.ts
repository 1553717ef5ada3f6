import { ecosystems } from '../decoders/ecosystems.ts';
import { decoderFor } from './decode.ts';
import type { Decoder } from './types.ts';

/**
 * Decode-only: GitHub's REST errors, `{message, documentation_url, status?, errors?}`. GitHub
 * has no top-level machine code; a validation failure's first `errors[].code`
 * (`missing_field`, `already_exists`…) is the closest. The request id is `X-GitHub-Request-Id`.
 * A primary rate limit (`x-ratelimit-remaining: 0`) waits until `x-ratelimit-reset` (unix
 * seconds), as GitHub's docs ask, when no `Retry-After` was sent.
 * @example github.decode({ status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } })?.link
 */
export const github: Decoder = /* @__PURE__ */ decoderFor('github', ecosystems);
