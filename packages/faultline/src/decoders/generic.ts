import { apart, type Decoded, objectOf, str } from '../formats/decoded.ts';
import { type HeaderValues, idOf } from '../formats/headers.ts';

/**
 * The common conventions that carry a message but fit no named shape — OAuth 2 (`{error,
 * error_description}`, RFC 6749 §5.2), FastAPI and Django REST (`{detail}`), GraphQL, JSON:API
 * and express-validator (`{errors: [{message | detail | title | msg}]}`) — read by name, for a
 * body no core shape took. Opt-in (`faultline/decoders`): no seed API sends them.
 */
export function genericError(d: Decoded, h: HeaderValues, b: Record<string, unknown>): Decoded | undefined {
  const error = b['error'];
  const description = b['error_description'];
  if (typeof error === 'string' && typeof description === 'string')
    return d.is('generic', d.statusOf(), error, description || error, idOf(h, 7, 10), str(b['error_uri']));
  const detail = b['detail'];
  if (typeof detail === 'string')
    return d.is('generic', d.statusOf(b['status']), str(b['code']), detail, idOf(h, 7, 10));
  const errors = b['errors'];
  const first = Array.isArray(errors) ? objectOf(errors[0]) : undefined;
  const said =
    first && (str(first['message']) ?? str(first['detail']) ?? str(first['title']) ?? str(first['msg']));
  if (!first || said === undefined) return undefined;
  const named = str(first['code']) ?? str(objectOf(first['extensions'])?.['code']);
  return d.is('generic', d.statusOf(first['status']), named, said, idOf(h, 7, 10));
}

/** `fields` of a `generic` body: every member but those its convention read. */
export const genericFields = (b: Record<string, unknown>): Record<string, unknown> =>
  apart(
    b,
    typeof b['error'] === 'string' && typeof b['error_description'] === 'string'
      ? 'error,error_description,error_uri'
      : typeof b['detail'] === 'string'
        ? 'detail,code,status'
        : '',
  );
