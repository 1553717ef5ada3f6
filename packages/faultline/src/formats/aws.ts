import { ecosystems } from '../decoders/ecosystems.ts';
import { decoderFor } from './decode.ts';
import type { Decoder } from './types.ts';

/**
 * Decode-only: AWS errors in each protocol's documented form. JSON protocols: the code in the
 * `X-Amzn-ErrorType` header or the body's `__type` (or `code`), sanitised as Smithy says —
 * keep what follows `#`, drop what follows `:` — with `message` / `Message`. Query and REST-XML
 * protocols (and S3): `<Error><Code>…</Code><Message>…</Message></Error>` with a `RequestId`.
 * @example aws.decode({ status: 400, headers: { 'x-amzn-errortype': 'ValidationException:http://x' }, body: { message: 'm' } })?.code
 * // 'ValidationException'
 */
export const aws: Decoder = /* @__PURE__ */ decoderFor('aws', ecosystems);
