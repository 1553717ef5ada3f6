import { aws } from '../formats/aws.ts';
import { azure } from '../formats/azure.ts';
import { envelopeDecoder as envelope } from '../formats/envelope.ts';
import { flatDecoder as flat } from '../formats/flat.ts';
import { generic } from '../formats/generic.ts';
import { github } from '../formats/github.ts';
import { google } from '../formats/google.ts';
import { htmlPage } from '../formats/html.ts';
import { legacyDecoder as legacy } from '../formats/legacy.ts';
import { nestedDecoder as nested } from '../formats/nested.ts';
import { openai } from '../formats/openai.ts';
import { problemDecoder as problem } from '../formats/problem.ts';
import { springDecoder as spring } from '../formats/spring.ts';
import { stripe } from '../formats/stripe.ts';
import { structuredDecoder as structured } from '../formats/structured.ts';
import { plainText } from '../formats/text.ts';
import { traceDecoder as trace } from '../formats/trace.ts';
import type { Decoder } from '../formats/types.ts';

/**
 * Every built-in decoder, core and ecosystem shapes, in the order `decodeAnyError` tries them:
 * the core's `decoders` with the ecosystem shapes in their places (why this order: see
 * `decoders`). Trying them in turn gives what `decodeAnyError` gives.
 * @example decodeAnyError(input, [myDecoder, ...anyDecoders])
 */
export const anyDecoders: readonly Decoder[] = [
  problem,
  structured,
  legacy,
  envelope,
  google,
  openai,
  stripe,
  azure,
  nested,
  aws,
  github,
  spring,
  trace,
  generic,
  flat,
  htmlPage,
  plainText,
];
