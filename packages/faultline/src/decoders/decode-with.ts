import { readHeader } from '../formats/common.ts';
import { withRetrySignals } from '../formats/decode.ts';
import { headersOf } from '../formats/headers.ts';
import { parseBody } from '../formats/parse-body.ts';
import type { DecodedError, DecodeInput, Decoder } from '../formats/types.ts';
import { withTextBody } from './members.ts';

/**
 * Decodes with a list of decoders of your own, tried in turn (the first answer wins), with the
 * retry headers every shape may send applied to that answer, as `decodeError` applies them. A
 * string body is parsed first (see `parseBody`) and bytes are read as UTF-8, so each decoder
 * sees parsed JSON or text; a decoder that throws is skipped. Never throws. The built-in lists
 * keep their order: `decoders` (the core's, as `decodeError` tries them) and `anyDecoders`.
 * @example decodeWith(input, [myDecoder, ...anyDecoders])
 */
export function decodeWith(input: DecodeInput, using: readonly Decoder[]): DecodedError | undefined {
  try {
    if (typeof input !== 'object' || input === null) return undefined;
    const source = input.headers;
    // Decoders may read any header; one that throws is treated as absent.
    const headers = {
      get(name: string): string | null {
        try {
          return readHeader(source, name) ?? null;
        } catch {
          return null;
        }
      },
    };
    let body = withTextBody(input).body;
    if (typeof body === 'string') body = parseBody(body, headers.get('content-type'));
    const prepared: DecodeInput = { status: input.status, headers, body, now: input.now };
    for (const decoder of using) {
      let decoded: DecodedError | undefined;
      try {
        decoded = decoder.decode(prepared);
      } catch {
        // A custom decoder broke its promise; the next one may still recognise the body.
        continue;
      }
      if (decoded) return withRetrySignals(decoded, headersOf(headers));
    }
  } catch {
    // The input itself is hostile (throwing getters, revoked proxies): nothing to decode.
  }
  return undefined;
}
