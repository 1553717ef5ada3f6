import { decodeAs } from '../formats/decode.ts';
import type { DecodedError, DecodeInput, Decoder } from '../formats/types.ts';
import { decodeWith } from './decode-with.ts';
import { ecosystems } from './ecosystems.ts';
import { withTextBody } from './members.ts';

/**
 * `decodeError` with the opt-in shapes too: Google (AIP-193), OpenAI, Stripe, Azure, AWS
 * (JSON and XML), GitHub, the `generic` conventions (OAuth 2, FastAPI, GraphQL, JSON:API) and
 * HTML pages, each in its place of the decoding order (`anyDecoders`). Never throws. With
 * `using`, exactly `decodeWith(input, using)`. Reads what the core `decodeError` leaves out
 * besides: bytes (as UTF-8) and class instances (an `Error`, getters) as bodies.
 * @example createClient({ baseUrl, decode: decodeAnyError })
 * @example decodeAnyError({ status: 429, headers: res.headers, body: await res.text() })?.code // 'RATE_LIMIT_EXCEEDED'
 */
export function decodeAnyError(input: DecodeInput, using?: readonly Decoder[]): DecodedError | undefined {
  return using === undefined
    ? decodeAs(withTextBody(input), undefined, ecosystems)
    : decodeWith(input, using);
}
