import { asObject, guard, requestIdFromHeaders, retryAfterOf, statusOf, str, without } from './common.ts';
import type { Decoder } from './types.ts';

/**
 * Decode-only, tried after every named shape: the common conventions that carry a message
 * but fit none of them — OAuth 2 (`{error, error_description}`, RFC 6749 §5.2), FastAPI and
 * Django REST (`{detail}`), GraphQL and JSON:API (`{errors: [{message | detail | title}]}`),
 * express-validator (`{errors: [{msg}]}`).
 * @example generic.decode({ status: 400, body: { error: 'invalid_grant', error_description: 'Code expired' } })?.code
 * // 'invalid_grant'
 */
export const generic: Decoder = {
  name: 'generic',
  decode: guard((input) => {
    const body = asObject(input.body);
    if (!body) return undefined;
    // Read the headers only once the body is known to be one of these shapes: most are not.
    const base = () => ({
      format: 'generic',
      requestId: requestIdFromHeaders(input.headers),
      link: undefined,
      retryAfterMs: retryAfterOf(input),
    });

    const oauthCode = str(body['error']);
    const description = str(body['error_description']);
    if (oauthCode !== undefined && description !== undefined) {
      const link = str(body['error_uri']);
      return {
        ...base(),
        link,
        status: statusOf(input),
        code: oauthCode,
        message: description || oauthCode,
        fields: without(body, ['error', 'error_description', 'error_uri']),
      };
    }

    const detail = str(body['detail']);
    if (detail !== undefined) {
      return {
        ...base(),
        status: statusOf(input, body['status']),
        code: str(body['code']),
        message: detail,
        fields: without(body, ['detail', 'code', 'status']),
      };
    }

    const list = body['errors'];
    const first = Array.isArray(list) ? asObject(list[0]) : undefined;
    const message =
      first && (str(first['message']) ?? str(first['detail']) ?? str(first['title']) ?? str(first['msg']));
    if (!first || message === undefined) return undefined;
    return {
      ...base(),
      status: statusOf(input, first['status']),
      code: str(first['code']) ?? str(asObject(first['extensions'])?.['code']),
      message,
      fields: without(body, []),
    };
  }),
};
