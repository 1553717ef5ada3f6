import { type CatalogId, defineCatalog } from 'faultline';

/**
 * The signals-api error catalog: the 37 ids, titles and statuses of seed 000 (see
 * shared/signals-api.md), with messages and fixes in our own words. Everything the service
 * says about an error — response body, headers, WebSocket frames, docs page, OpenAPI — is
 * derived from this one definition.
 * @example throw signals.error('ih4005', { name: 'include[]', reason: 'unknown value "mood"' });
 */
export const signals = defineCatalog({
  name: 'signals-api',
  entries: {
    // General
    ih1001: {
      title: 'Internal Server Error',
      status: 500,
      category: 'General',
      message:
        'Something went wrong on our side while handling this request. It has been logged under this correlation id.',
      description:
        'An unexpected fault inside the service. Your request was understood; nothing about it needs to change.',
      fix: [
        'Retry after a short pause, backing off exponentially between attempts.',
        'If it keeps happening, write to support with the error_id, the correlation_id and the time of the request.',
      ],
      retryable: true,
      retryAfterSeconds: 1,
    },
    ih1002: {
      title: 'Service Temporarily Unavailable',
      status: 503,
      category: 'General',
      message:
        'The service cannot take this request right now (maintenance or high load). Try again after the Retry-After delay.',
      description:
        'Returned during maintenance windows and when the service sheds load because too many analyses are running.',
      fix: [
        'Wait for the number of seconds in the Retry-After header, then send the same request again.',
        'Back off exponentially if the answer repeats; contact support if it lasts more than a few minutes.',
      ],
      retryable: true,
      retryAfterSeconds: 30,
    },

    // Authentication and authorization
    ih2001: {
      title: 'Invalid Scope',
      status: 400,
      category: 'Authentication and authorization',
      message:
        'The scope "{scope}" does not exist. Valid scopes are interhumanai.upload and interhumanai.stream.',
      description: 'Scopes are checked before credentials, so this answer says nothing about your key.',
      fix: [
        'Spell each scope exactly (they are case-sensitive): interhumanai.upload for POST /v0/upload/analyze, interhumanai.stream for GET /v0/stream/analyze.',
      ],
    },
    ih2002: {
      title: 'Empty Scopes List',
      status: 400,
      category: 'Authentication and authorization',
      message: 'The scopes list is empty; a token needs at least one scope.',
      fix: ['Put at least one scope in the scopes array: interhumanai.upload, interhumanai.stream, or both.'],
    },
    ih2003: {
      title: 'Missing Scopes',
      status: 400,
      category: 'Authentication and authorization',
      message: 'The request body has no scopes field.',
      fix: [
        'Add "scopes": ["interhumanai.upload"] (or the scopes you need) to the JSON body of POST /v0/auth.',
      ],
    },
    ih2004: {
      title: 'Missing Key ID',
      status: 400,
      category: 'Authentication and authorization',
      message: 'The request body has no key_id field, so we cannot tell which API key you are using.',
      fix: ['Add the key_id you were given with your API key to the JSON body of POST /v0/auth.'],
    },
    ih2005: {
      title: 'Missing Key Secret',
      status: 400,
      category: 'Authentication and authorization',
      message: 'The request body has no key_secret field, so the API key cannot be verified.',
      fix: [
        'Add the key_secret that was shown when the key was created to the JSON body.',
        'Secrets are shown only once: if it is lost, create a new key and revoke the old one.',
      ],
    },
    ih2006: {
      title: 'Invalid Credentials',
      status: 401,
      category: 'Authentication and authorization',
      message: 'The key_id and key_secret do not match an active API key.',
      description: 'We deliberately do not say which of the two is wrong.',
      fix: [
        'Check both values for typos and stray whitespace.',
        'Make sure the key has not been revoked or replaced by a rotated one.',
        'After a rotation, use the new pair everywhere.',
        'If it still fails, contact support with the correlation_id.',
      ],
    },
    ih2007: {
      title: 'Unauthorized Scope',
      status: 403,
      category: 'Authentication and authorization',
      message: 'This API key is not allowed the scope "{scope}".',
      description: 'The credentials are valid; the key was provisioned without one of the scopes requested.',
      fix: [
        'Request only the scopes your key was created with (see `signals-api keys list`).',
        'Ask for a key with the additional scope if you need it.',
      ],
    },
    ih2008: {
      title: 'Missing Token',
      status: 401,
      category: 'Authentication and authorization',
      message:
        'No access token was sent. Use an Authorization: Bearer header, or the access_token subprotocol on WebSocket.',
      fix: [
        'Get a token from POST /v0/auth.',
        'Send it as `Authorization: Bearer <token>` on HTTP requests.',
        'On WebSocket, offer the subprotocols `access_token` and `<token>` (Sec-WebSocket-Protocol).',
      ],
    },
    ih2009: {
      title: 'Token Expired',
      status: 401,
      category: 'Authentication and authorization',
      message: 'The access token has expired.',
      description: 'Tokens live 900 seconds (expires_in in the POST /v0/auth answer).',
      fix: [
        'Call POST /v0/auth for a new token; refresh a little before expires_in runs out instead of waiting for this error.',
      ],
    },
    ih2010: {
      title: 'Invalid Token',
      status: 401,
      category: 'Authentication and authorization',
      message: 'The access token is not valid: it is malformed, altered, or was not signed by this service.',
      fix: [
        'Use the access_token exactly as POST /v0/auth returned it, without truncation or edits.',
        'Request a fresh token if the problem continues.',
      ],
    },
    ih2011: {
      title: 'Insufficient Scope',
      status: 403,
      category: 'Authentication and authorization',
      message: 'The access token does not include the scope "{scope}" that this endpoint requires.',
      fix: ['Request a new token whose scopes include the one named in the message.'],
    },

    // Rate limits and quotas
    ih3001: {
      title: 'Rate Limit Exceeded',
      status: 429,
      category: 'Rate limits and quotas',
      message: 'Too many requests: your plan allows {limit} per minute.',
      fix: [
        'Wait for the Retry-After delay before the next request.',
        'Spread requests out; the RateLimit headers tell you how many remain in the window.',
        'Contact support if your workload needs a higher limit.',
      ],
      retryable: true,
      retryAfterSeconds: 60,
    },
    ih3002: {
      title: 'Concurrent Request Limit',
      status: 429,
      category: 'Rate limits and quotas',
      message: 'Your plan allows {limit} requests in flight at once, and that many are already running.',
      fix: [
        'Wait for a running request to finish before starting another; a small client-side queue keeps you under the limit.',
      ],
      retryable: true,
      retryAfterSeconds: 5,
    },
    ih3003: {
      title: 'Quota Exceeded',
      status: 429,
      category: 'Rate limits and quotas',
      message: 'The video-minutes of this billing period are used up.',
      description: 'Billing periods are calendar months (UTC).',
      fix: ['Wait for the next billing period, or contact support to upgrade the plan or buy more minutes.'],
    },
    ih3004: {
      title: 'Daily Quota Exceeded',
      status: 429,
      category: 'Rate limits and quotas',
      message: 'The video-minutes allowed per day are used up; the quota resets at {reset_time}.',
      fix: ['Retry after reset_time (next midnight UTC), or contact support to raise the daily limit.'],
      retryable: true,
      fields: ['reset_time'],
    },
    ih3005: {
      title: 'Inactive Subscription',
      status: 402,
      category: 'Rate limits and quotas',
      message: 'The subscription of this account is not active.',
      fix: [
        'Reactivate the subscription or update the billing details, then retry; contact support if it looks wrong.',
      ],
    },

    // Input validation
    ih4001: {
      title: 'Missing Video File',
      status: 400,
      category: 'Input validation',
      message: 'No video was found: send a multipart/form-data body with the video in a field named "file".',
      fix: [
        'Send the request as multipart/form-data with the video in the `file` field, e.g. `curl -F file=@talk.mp4 …`.',
      ],
    },
    ih4002: {
      title: 'Unsupported File Type',
      status: 400,
      category: 'Input validation',
      message:
        'The file is not a supported video: its name or its content is not MP4, MOV, MKV, WebM, AVI or MPEG-TS.',
      description: 'Both the file extension and the first bytes of the content are checked.',
      fix: [
        'Convert the video to a supported container (MP4 with H.264 and AAC is the safest choice) and keep a matching extension.',
      ],
    },
    ih4003: {
      title: 'File Too Large',
      status: 413,
      category: 'Input validation',
      message: 'The upload is larger than the 100 MB limit.',
      fix: ['Compress the video, lower its resolution or bitrate, or trim it before uploading.'],
    },
    ih4004: {
      title: 'Video Too Long',
      status: 400,
      category: 'Input validation',
      message: 'The video lasts longer than the 30 minutes a single request may analyse.',
      fix: ['Cut the video into parts of at most 30 minutes and send them one by one.'],
    },
    ih4005: {
      title: 'Invalid Parameter',
      status: 400,
      category: 'Input validation',
      message: 'The parameter "{name}" is not valid: {reason}.',
      fix: ['Correct the parameter named in the message; the reason says what was expected.'],
    },
    ih4006: {
      title: 'Invalid JSON',
      status: 400,
      category: 'Input validation',
      message: 'The body could not be read as JSON.',
      description: 'Applies to HTTP request bodies and to WebSocket text messages.',
      fix: [
        'Send well-formed JSON with `Content-Type: application/json`.',
        'Check the payload with a JSON validator; a trailing comma or single quotes are the usual culprits.',
      ],
    },

    // Content and media issues
    ih5001: {
      title: 'Empty Video',
      status: 422,
      category: 'Content and media issues',
      message: 'The video has no measurable duration: it is empty or holds no media.',
      fix: ['Check that the file plays in a media player; record or export it again if it does not.'],
    },
    ih5002: {
      title: 'Corrupted Video',
      status: 422,
      category: 'Content and media issues',
      message: 'The video could not be inspected: its container is damaged or unreadable.',
      fix: ['Re-encode the file with a standard tool such as ffmpeg into a supported container and codec.'],
    },
    ih5003: {
      title: 'Unsupported Codec',
      status: 422,
      category: 'Content and media issues',
      message: 'A stream in the video uses a codec we cannot decode.',
      fix: ['Re-encode to a widely supported codec, e.g. `ffmpeg -i in.mov -c:v libx264 -c:a aac out.mp4`.'],
    },
    ih5004: {
      title: 'Malformed Video Segment',
      status: 422,
      category: 'Content and media issues',
      message:
        'The video is missing required container structures (such as the MP4 moov atom) and cannot be processed.',
      fix: [
        'Make sure the upload is complete and was not cut off.',
        'Re-mux it with the index at the front: `ffmpeg -i in.mp4 -c copy -movflags +faststart out.mp4`.',
      ],
    },
    ih5005: {
      title: 'Video Segment Too Large',
      status: 413,
      category: 'Content and media issues',
      message: 'The video is larger than the 32 MB a single segment may be.',
      fix: ['Lower the bitrate or resolution, or split the video into shorter segments.'],
    },
    ih5006: {
      title: 'Video Segment Too Small',
      status: 422,
      category: 'Content and media issues',
      message: 'The video is smaller than 10 KB, too little to analyse.',
      fix: ['Send a video of at least a few seconds with real picture content.'],
    },
    ih5007: {
      title: 'Content Rejected by Model',
      status: 422,
      category: 'Content and media issues',
      message: 'The analyzer refused this content: {reason}.',
      fix: [
        'Check that the video has a picture track and respects the usage policy.',
        'Re-encode it and try again if you believe it is valid.',
      ],
    },

    // Realtime and session issues (WebSocket only: no HTTP status)
    ih6001: {
      title: 'Invalid Message Format',
      category: 'Realtime and session issues',
      message: 'The message does not follow the streaming protocol: {reason}. The session stays open.',
      fix: [
        'Send text frames as JSON objects with a known "type" (session.config or session.close).',
        'Send video as binary frames between 10 KB and 20 MB.',
      ],
    },
    ih6002: {
      title: 'Message Too Large',
      category: 'Realtime and session issues',
      message: 'A binary message was larger than 20 MB; the session is closed.',
      fix: ['Send smaller chunks: shorten each segment or lower its bitrate.'],
      closeCode: 1009,
    },
    ih6003: {
      title: 'Session Idle Timeout',
      category: 'Realtime and session issues',
      message:
        'No data arrived for {idle_seconds} seconds (5 minutes unless configured); the session is closed.',
      fix: [
        'Keep sending video while the session is open, or open a new session when you are ready to resume.',
      ],
      closeCode: 4003,
    },
    ih6004: {
      title: 'Session Duration Exceeded',
      category: 'Realtime and session issues',
      message:
        'The session reached its limit of {max_seconds} seconds (60 minutes unless configured) and is closed.',
      fix: ['Open a new session to continue; contact support if your use case needs longer sessions.'],
      closeCode: 4004,
    },
    ih6005: {
      title: 'Server Going Away',
      category: 'Realtime and session issues',
      message: 'The server is restarting for an update and has closed the session.',
      fix: ['Reconnect; the service is back within moments. Use a short backoff between attempts.'],
      retryable: true,
      retryAfterSeconds: 1,
      closeCode: 1001,
    },
    ih6006: {
      title: 'Shutdown Warning',
      category: 'Realtime and session issues',
      message: 'The server will close this session in {seconds_remaining} seconds for an update.',
      description:
        'Sent 5 minutes and again 30 seconds before the session is closed with ih6005. The session keeps working until then.',
      fix: ['Finish or checkpoint your work and be ready to reconnect when the session closes.'],
      fields: ['seconds_remaining'],
      // Not an error frame: the session goes on, so it travels as its own message type.
      wsType: 'shutdown.warning',
    },
  },
});

/** Any id of the signals catalog. */
export type SignalsErrorId = CatalogId<typeof signals>;
