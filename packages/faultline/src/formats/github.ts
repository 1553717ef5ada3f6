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

/**
 * Decode-only: GitHub's REST errors, `{message, documentation_url, status?, errors?}`. GitHub
 * has no top-level machine code; a validation failure's first `errors[].code`
 * (`missing_field`, `already_exists`…) is the closest. The request id is `X-GitHub-Request-Id`.
 * A primary rate limit (`x-ratelimit-remaining: 0`) waits until `x-ratelimit-reset` (unix
 * seconds), as GitHub's docs ask, when no `Retry-After` was sent.
 * @example github.decode({ status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } })?.link
 */
export const github: Decoder = {
  name: 'github',
  decode: guard((input) => {
    const body = asObject(input.body);
    const message = str(body?.['message']);
    if (!body || message === undefined) return undefined;
    const docs = str(body['documentation_url']);
    const ghId = readHeader(input.headers, 'x-github-request-id')?.trim();
    if (docs === undefined && !ghId) return undefined;
    const errors = Array.isArray(body['errors']) ? body['errors'] : [];
    return {
      format: 'github',
      status: statusOf(input, body['status']),
      code: str(asObject(errors[0])?.['code']),
      message,
      requestId: ghId || requestIdFromHeaders(input.headers),
      link: docs,
      retryAfterMs: retryAfterOf(input) ?? primaryLimitReset(input),
      fields: without(body, ['message', 'documentation_url', 'status']),
    };
  }),
};

function primaryLimitReset(input: Parameters<Decoder['decode']>[0]): number | undefined {
  if (readHeader(input.headers, 'x-ratelimit-remaining')?.trim() !== '0') return undefined;
  const reset = readHeader(input.headers, 'x-ratelimit-reset')?.trim();
  if (!reset || !/^\d{1,12}$/.test(reset)) return undefined;
  const now = typeof input.now === 'number' && Number.isFinite(input.now) ? input.now : Date.now();
  return Math.max(0, Number(reset) * 1000 - now);
}
