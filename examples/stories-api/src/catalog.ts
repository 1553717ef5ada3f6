import { defineCatalog } from 'faultline';

/**
 * Every error of the story API (seed 004), in the `nested` format:
 * `{error: {code, message, request_id, …extras}}`. Ids are the documented codes; the extras are
 * declared `fields`, so creating an error without them is a type error.
 * @example throw stories.error('invalid_id', { id: 'abc' });
 */
export const stories = defineCatalog({
  name: 'stories-api',
  entries: {
    missing_api_key: {
      title: 'Missing API Key',
      status: 401,
      category: 'Authentication',
      message: 'No API key was sent: use the header Authorization: Bearer <key>.',
      fix: ['Send `Authorization: Bearer <your key>`; the word Bearer and one space come before the key.'],
    },
    invalid_api_key: {
      title: 'Invalid API Key',
      status: 401,
      category: 'Authentication',
      message: 'This API key is not recognised; it may be mistyped or revoked.',
      fix: ['Copy the key again from your dashboard, or create a new one.'],
    },
    invalid_request: {
      title: 'Invalid Request',
      status: 400,
      category: 'Validation',
      message: 'The brief is not valid: {count} problem(s), listed in details.',
      description: 'Each item of `details` names a `field` and says what is wrong with it.',
      fix: ['Correct every field listed in `details`, then send the brief again.'],
      fields: ['details'],
    },
    invalid_id: {
      title: 'Invalid Story Id',
      status: 400,
      category: 'Validation',
      message: 'A story id looks like brief_ followed by 16 hex digits; "{id}" does not.',
      fix: ['Use the `id` returned when the story was created.'],
    },
    not_found: {
      title: 'Story Not Found',
      status: 404,
      category: 'Validation',
      message: 'There is no story {id} for this API key.',
      fix: ['Check the id; stories are visible only to the key that created them.'],
    },
    corrupt_cache_entry: {
      title: 'Corrupt Cache Entry',
      status: 500,
      category: 'Service failures',
      message: 'The stored story {id} exists but cannot be read back.',
      fix: ['Retry later; if it persists, report the request_id.'],
      retryable: true,
    },
    insufficient_minutes: {
      title: 'Insufficient Minutes',
      status: 402,
      category: 'Billing',
      message: 'This story needs {minutes_required} minute(s); {minutes_remaining} remain this month.',
      fix: ['Shorten the story, wait for the next billing cycle, or upgrade at upgrade_url.'],
      fields: ['minutes_remaining', 'minutes_required', 'upgrade_url'],
    },
    rate_limit_exceeded: {
      title: 'Rate Limit Exceeded',
      status: 429,
      category: 'Rate limiting',
      message: 'Too many {kind} requests; try again in {retry_after} s.',
      description: 'POST requests are limited to 10 a minute and GET requests to 120 a minute, per key.',
      fix: ['Sleep for the seconds in Retry-After (also in retry_after), then retry once.'],
      retryable: true,
      fields: ['retry_after'],
    },
    server_misconfigured: {
      title: 'Server Misconfigured',
      status: 503,
      category: 'Service failures',
      message: 'Billing is not configured for this key, so no story can be generated safely.',
      fix: ['Retry later; if it persists, report the request_id to support.'],
      retryable: true,
    },
  },
});
