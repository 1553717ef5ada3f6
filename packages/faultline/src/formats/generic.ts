import { ecosystems } from '../decoders/ecosystems.ts';
import { decoderFor } from './decode.ts';
import type { Decoder } from './types.ts';

/**
 * Decode-only, tried after every named shape (with the other opt-in shapes: `decodeAnyError`
 * from `faultline/decoders`; the core `decodeError` does not read them): the common conventions that carry a message
 * but fit none of them — OAuth 2 (`{error, error_description}`, RFC 6749 §5.2), FastAPI and
 * Django REST (`{detail}`), GraphQL and JSON:API (`{errors: [{message | detail | title}]}`),
 * express-validator (`{errors: [{msg}]}`).
 * @example generic.decode({ status: 400, body: { error: 'invalid_grant', error_description: 'Code expired' } })?.code
 * // 'invalid_grant'
 */
export const generic: Decoder = /* @__PURE__ */ decoderFor('generic', ecosystems);
