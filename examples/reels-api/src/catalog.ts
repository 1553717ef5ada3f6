import { defineCatalog } from 'faultline';

/**
 * Every error of the reels analysis API (seed 003). The API has no machine codes on the wire,
 * so the ids are ours; the `flat` format picks the body per status: `{error}` for 401,
 * `{message}` for 400, `{message, status:"error"}` for the rest.
 * @example throw reels.error('url_not_instagram', { host: 'tiktok.com' });
 */
export const reels = defineCatalog({
  name: 'reels-api',
  entries: {
    url_required: {
      title: 'URL Required',
      status: 400,
      category: 'Input',
      message: 'url is required',
      fix: ['Send a JSON body with a "url" field holding the Reel link.'],
    },
    invalid_url: {
      title: 'Invalid URL',
      status: 400,
      category: 'Input',
      message: 'url must be an absolute http(s) URL',
      fix: ['Send the full link, starting with https://www.instagram.com/.'],
    },
    url_not_instagram: {
      title: 'Not an Instagram URL',
      status: 400,
      category: 'Input',
      message: 'url must point to instagram.com, not "{host}"',
      fix: ['Only Instagram links are analysed: use instagram.com/reel/… or instagram.com/p/….'],
    },
    url_not_reel: {
      title: 'Not a Reel or Post',
      status: 400,
      category: 'Input',
      message: 'url must be an Instagram reel or post link (instagram.com/reel/… or /p/…)',
      fix: ['Open the Reel in Instagram, choose "Copy link" and send that.'],
    },
    invalid_body: {
      title: 'Invalid Body',
      status: 400,
      category: 'Input',
      message: 'the request body must be a JSON object',
      fix: [
        'Send Content-Type: application/json with a body like {"url": "https://www.instagram.com/reel/…"}.',
      ],
    },
    token_missing: {
      title: 'API Token Missing',
      status: 401,
      category: 'Authentication',
      message: 'API token missing: send Authorization: Bearer ist_…',
      fix: ['Add the header `Authorization: Bearer ist_…` with your token.'],
    },
    token_invalid: {
      title: 'API Token Invalid',
      status: 401,
      category: 'Authentication',
      message: 'this API token is not recognised',
      fix: [
        'Check the `Authorization: Bearer ist_…` header; tokens start with ist_ and may have been revoked.',
      ],
    },
    not_found: {
      title: 'Not Found',
      status: 404,
      category: 'Jobs',
      message: 'not found',
      fix: ['Use the integer id returned by POST /api/v1/reels/analyze, with the same token.'],
    },
    rate_limited: {
      title: 'Rate Limit Exceeded',
      status: 429,
      category: 'Limits',
      message: 'rate limit exceeded: {limit} requests per minute',
      fix: ['Retry with exponential backoff: 1 s, then 2 s.'],
      retryable: true,
    },
    too_many_jobs: {
      title: 'Too Many Concurrent Jobs',
      status: 429,
      category: 'Limits',
      message: '{limit} jobs are already running for this token',
      fix: ['Wait for a running job to reach done or error, then submit again.'],
      retryable: true,
    },
    internal_error: {
      title: 'Internal Server Error',
      status: 500,
      category: 'Server',
      message: 'internal error; quote the X-Correlation-ID if you report it',
      fix: ['Retry with backoff; report the X-Correlation-ID if it persists.'],
      retryable: true,
    },
  },
});
