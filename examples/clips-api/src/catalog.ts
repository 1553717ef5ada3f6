import { byStatus, defineCatalog, spring, trace } from 'faultline';

/**
 * Every error of the clips API (seed 002). The API sends no machine codes, so the ids are ours.
 * The format depends on the status: Spring's `{timestamp, status, error, path}` for 403 and
 * 429, `{message, trace_id}` for everything else.
 * @example throw clips.error('missing_video_url');
 */
export const clips = defineCatalog({
  name: 'clips-api',
  entries: {
    missing_api_key: {
      title: 'Missing API Key',
      status: 403,
      category: 'Authentication',
      message: 'No API key was sent.',
      description: 'The 403 body is Spring’s default and carries no message: `error` is "Forbidden".',
      fix: ['Send `Authorization: Bearer <your key>`.'],
    },
    invalid_api_key: {
      title: 'Invalid API Key',
      status: 403,
      category: 'Authentication',
      message: 'The API key is not recognised.',
      fix: ['Copy the key again from the dashboard; it may have been revoked.'],
    },
    rate_limited: {
      title: 'Request Rate Exceeded',
      status: 429,
      category: 'Limits',
      message: 'More than {limit} requests in a minute.',
      description: 'Each key may make 15 requests a minute.',
      fix: ['Retry after 1, 2, 4 and 8 seconds.'],
      retryable: true,
    },
    too_many_projects: {
      title: 'Too Many Running Projects',
      status: 429,
      category: 'Limits',
      message: '{limit} projects are already running.',
      description: 'Each key may have 5 projects that have not yet SUCCEEDED or FAILED.',
      fix: ['Wait until a project reaches SUCCEEDED or FAILED, then create the next one.'],
      retryable: true,
    },
    invalid_body: {
      title: 'Invalid Body',
      status: 400,
      category: 'Input',
      message: 'The request body must be a JSON object sent as application/json.',
      fix: ['Send `Content-Type: application/json` and a body like {"video_url": "https://…"}.'],
    },
    missing_video_url: {
      title: 'Missing Video URL',
      status: 400,
      category: 'Input',
      message: 'video_url is required.',
      fix: ['Add the link of the video to clip as `video_url`.'],
    },
    invalid_video_url: {
      title: 'Invalid Video URL',
      status: 400,
      category: 'Input',
      message: 'video_url must be an absolute http or https URL.',
      fix: ['Send the full link, including https://.'],
    },
    unsupported_video_format: {
      title: 'Unsupported Video Format',
      status: 400,
      category: 'Input',
      message:
        'Files of type .{extension} cannot be clipped; send MP4, MOV, WebM, MKV or M4V, or a platform link.',
      fix: ['Convert the file to MP4, or link to the video page on its platform.'],
    },
    invalid_name: {
      title: 'Invalid Project Name',
      status: 400,
      category: 'Input',
      message: 'name must be a string of at most 200 characters.',
      fix: ['Shorten the name, or leave it out.'],
    },
    project_not_found: {
      title: 'Project Not Found',
      status: 400,
      category: 'Input',
      message: 'No project {id} exists for this key.',
      fix: ['Use the `id` returned by POST /api/v2/clips, with the same key.'],
    },
    route_not_found: {
      title: 'No Such Endpoint',
      status: 404,
      category: 'Input',
      message: 'No endpoint matches {method} {path}.',
      fix: ['Compare the path with the API reference; paths start with /api/v2/.'],
    },
    internal_error: {
      title: 'Internal Server Error',
      status: 500,
      category: 'Server',
      message: 'The server failed while handling this request; quote the trace_id to support.',
      fix: ['Retry after 1, 2, 4 and 8 seconds; if it persists, send the trace_id to support.'],
      retryable: true,
    },
  },
});

/**
 * Seed 002's two bodies on one API: Spring's for 403 and 429, `{message, trace_id}` otherwise.
 * @example clipsFormat.encode(clips.error('rate_limited', { limit: 15 }), context).body // { timestamp, status: 429, error: 'Too Many Requests', path }
 */
export const clipsFormat = byStatus({ 403: spring, 429: spring }, trace, 'clips');
