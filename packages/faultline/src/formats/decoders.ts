import { envelopeDecoder as envelope } from './envelope.ts';
import { flatDecoder as flat } from './flat.ts';
import { legacyDecoder as legacy } from './legacy.ts';
import { nestedDecoder as nested } from './nested.ts';
import { problemDecoder as problem } from './problem.ts';
import { springDecoder as spring } from './spring.ts';
import { structuredDecoder as structured } from './structured.ts';
import { plainText } from './text.ts';
import { traceDecoder as trace } from './trace.ts';
import type { Decoder } from './types.ts';

/**
 * Every core decoder, most specific first: the order `decodeError` tries the shapes in (see
 * `decode.ts`). `anyDecoders` (`faultline/decoders`) is this list with the opt-in shapes
 * (marked *) in their places: the order `decodeAnyError` tries. Why this order:
 * - `problem` first: its content type is a declaration, not a guess.
 * - `structured` before `legacy`: a transition body carries both, and the new one is canonical.
 * - Shapes with `error` as an object: `envelope` (a status beside the code), `google`*
 *   (numeric code), `openai`* (`param` and `code` always present, no `doc_url`) before `stripe`*
 *   (a `…_error` type), `azure`* (an `x-ms-*` header or `innererror`) before `nested`, which
 *   only needs code + message.
 * - `aws`* (a `__type`, an `X-Amzn-ErrorType` header or an XML `<Error>`) and `github`* (a
 *   `documentation_url`) before the shapes that only need a `message`.
 * - `spring` (needs a timestamp) and `trace` (needs `trace_id`) before `flat`, whose lone
 *   `message`/`error` would match them too; `generic`* conventions before `flat` for the same reason.
 * - Text last: `htmlPage`* before `plainText`, which refuses HTML anyway.
 * @example decodeWith(input, [myDecoder, ...decoders]) // decodeWith: faultline/decoders
 */
export const decoders: readonly Decoder[] = [
  problem,
  structured,
  legacy,
  envelope,
  nested,
  spring,
  trace,
  flat,
  plainText,
];
