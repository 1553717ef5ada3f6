import {
  asObject,
  errorHeaders,
  extras,
  guard,
  JSON_TYPE,
  linkFor,
  retryAfterOf,
  statusOf,
  str,
  without,
} from './common.ts';
import type { WireFormat } from './types.ts';

const KEYS = ['error_id', 'correlation_id', 'link', 'message'] as const;

/**
 * Seed 000's canonical shape: `{error_id, correlation_id, link, message}`, then the entry's
 * extra fields (e.g. `reset_time`).
 * @example structured.encode(err, { correlationId, docsBase: 'https://api.example/docs/errors' })
 */
export const structured: WireFormat = {
  name: 'structured',
  contentType: JSON_TYPE,
  encode(error, context) {
    return {
      status: error.status,
      headers: errorHeaders(error),
      body: {
        error_id: error.id,
        correlation_id: context.correlationId,
        link: linkFor(error, context),
        message: error.message,
        // The legacy keys are reserved too: during the transition both shapes share one body.
        ...extras(error, [...KEYS, 'detail', 'status_code', 'extra']),
      },
    };
  },
  decode: guard((input) => {
    const body = asObject(input.body);
    const code = str(body?.['error_id']);
    const message = str(body?.['message']);
    if (!body || code === undefined || message === undefined) return undefined;
    return {
      format: 'structured',
      status: statusOf(input, body['status_code']),
      code,
      message,
      requestId: str(body['correlation_id']),
      link: str(body['link']),
      retryAfterMs: retryAfterOf(input),
      fields: without(body, [...KEYS, 'detail', 'status_code', 'extra']),
    };
  }),
};
