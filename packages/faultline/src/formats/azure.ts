import { ecosystems } from '../decoders/ecosystems.ts';
import { decoderFor } from './decode.ts';
import type { Decoder } from './types.ts';

/**
 * Decode-only: Azure's REST guidelines error, `{error: {code, message, target?, details?,
 * innererror?}}`, with the code also in the `x-ms-error-code` header (which wins: Azure says
 * clients should branch on it, and it is there even for HEAD responses and XML bodies of
 * Azure Storage). Recognised by an `x-ms-*` request id or error-code header, or by the
 * `innererror` / `target` members; a bare `{error:{code,message}}` is left to `nested`.
 * Delays come from `retry-after-ms` / `x-ms-retry-after-ms` / `Retry-After` (read by `decodeError`).
 * @example azure.decode({ status: 404, headers: { 'x-ms-error-code': 'ResourceNotFound' }, body: '' })?.code
 * // 'ResourceNotFound'
 */
export const azure: Decoder = /* @__PURE__ */ decoderFor('azure', ecosystems);
