import { defineCatalog } from 'faultline';

/**
 * Every error of the agents API (seed 001). Ids are the documented `error.code` values; the
 * envelope format writes the status three times (HTTP line, `status_code`, `error.httpStatus`).
 * The two NOT_FOUND message strings are facts of the seed: clients tell the cases apart by them.
 * @example throw agents.error('NOT_FOUND', { code: 'A1b2c3d4' });
 */
export const agents = defineCatalog({
  name: 'agents-api',
  entries: {
    MISSING_AUTH: {
      title: 'Missing API Secret',
      status: 401,
      category: 'Authentication',
      message: 'This endpoint needs your API secret in the api-secret header.',
      fix: ['Send the secret you were given in an `api-secret` request header.'],
    },
    UNAUTHORIZED: {
      title: 'Invalid API Secret',
      status: 401,
      category: 'Authentication',
      message: 'The api-secret header does not match any account.',
      description:
        'After 30 failed attempts in a minute from one address, every attempt from it is refused with RATE_LIMITED until the minute has passed.',
      fix: ['Copy the secret again from your account settings; it is case-sensitive and has no spaces.'],
    },
    ACCOUNT_SUSPENDED: {
      title: 'Account Suspended',
      status: 403,
      category: 'Authentication',
      message: 'This account is suspended: its balance ({balance} credits) is below the -11 credit floor.',
      description:
        'Sessions are billed while they run, so a balance can go negative; below -11 credits every call is refused.',
      fix: [
        'Top up the account until the balance is back above -11 credits.',
        'Contact support if the refusal continues after a top-up.',
      ],
    },
    INSUFFICIENT_BALANCE: {
      title: 'Insufficient Balance',
      status: 402,
      category: 'Authentication',
      message: 'This needs {required} credits and the account has {balance}.',
      fix: ['Buy credits, then repeat the request.'],
    },
    NOT_FOUND: {
      title: 'Not Found',
      status: 404,
      category: 'Agent operations',
      message: 'Agent not found for code: {code}',
      description:
        'One code for three cases, told apart by the message: no agent has the code ("Agent not found for code: …"), the agent has no live session ("No active rooms found for agent …"), or the path is not an endpoint.',
      fix: [
        'Check the agent code returned by POST /v1/agent/generate.',
        'For speak and add-context, start a session first with POST /v1/agent/{code}/session.',
      ],
    },
    VALIDATION_ERROR: {
      title: 'Validation Error',
      status: 400,
      category: 'Agent operations',
      message: 'The request is not valid: {reason}.',
      fix: ['Correct the field named in the message and send the request again.'],
    },
    MISSING_PARAM: {
      title: 'Missing Parameter',
      status: 400,
      category: 'Agent operations',
      message: 'The required parameter "{name}" was not provided.',
      fix: ['Add the named parameter to the JSON body.'],
    },
    FILE_TOO_LARGE: {
      title: 'File Too Large',
      status: 413,
      category: 'File operations',
      message: 'This {kind} file is {size} bytes; {kind} files may be at most {limit} bytes.',
      description:
        'Limits by media type: images 10 MB, video 100 MB, audio 50 MB, documents 10 MB (MB = 1024 × 1024 bytes).',
      fix: ['Compress or shorten the file until it is under the limit of its type.'],
    },
    UNSUPPORTED_TYPE: {
      title: 'Unsupported File Type',
      status: 415,
      category: 'File operations',
      message: 'The file content is not a supported type ({seen}).',
      description: 'The type is read from the first bytes of the file, not from its name or Content-Type.',
      fix: ['Upload JPEG, PNG, WebP, MP4, WAV, MP3, OGG or a PDF document.'],
    },
    DOWNLOAD_FAILED: {
      title: 'Download Failed',
      status: 400,
      category: 'File operations',
      message: 'The file at file_url could not be downloaded: {reason}.',
      fix: ['Use a URL that anyone can fetch without logging in, and that answers 200 with the file.'],
    },
    RATE_LIMITED: {
      title: 'Rate Limited',
      status: 429,
      category: 'Session and infrastructure',
      message: 'Too many requests; wait {seconds} s before the next one.',
      description:
        'Each account has a token bucket (see the X-RateLimit-* headers); failed logins are limited to 30 a minute per address.',
      fix: ['Wait for the number of seconds in Retry-After, then retry with exponential backoff and jitter.'],
      retryable: true,
    },
    SESSION_LIMIT: {
      title: 'Session Limit Reached',
      status: 429,
      category: 'Session and infrastructure',
      message: 'The account already runs {limit} sessions, its maximum.',
      fix: ['End a session with DELETE /v1/agent/{code}/session, then start the new one.'],
    },
    NO_AVAILABLE_WORKERS: {
      title: 'No Available Workers',
      status: 503,
      category: 'Session and infrastructure',
      message: 'Every generation worker is busy; try again shortly.',
      fix: ['Retry with exponential backoff, at most 5 times.'],
      retryable: true,
    },
    INTERNAL_ERROR: {
      title: 'Internal Error',
      status: 500,
      category: 'Session and infrastructure',
      message: 'The server failed while handling this request; it is logged under the X-Request-Id.',
      fix: ['Retry once.', 'If it fails again, report the X-Request-Id of the response.'],
      retryable: true,
    },
  },
});
