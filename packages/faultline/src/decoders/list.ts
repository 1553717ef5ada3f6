import { aws } from '../formats/aws.ts';
import { azure } from '../formats/azure.ts';
import { decoders } from '../formats/decoders.ts';
import { github } from '../formats/github.ts';
import { google } from '../formats/google.ts';
import { openai } from '../formats/openai.ts';
import { stripe } from '../formats/stripe.ts';
import type { Decoder } from '../formats/types.ts';

const [problem, structured, legacy, envelope, nested, ...rest] = decoders;

/**
 * Every built-in decoder, core and ecosystem shapes, in the order `decodeAnyError` tries them
 * (why: see `decoders`). Trying them in turn gives what `decodeAnyError` gives.
 * @example decodeAnyError(input, [myDecoder, ...anyDecoders])
 */
export const anyDecoders: readonly Decoder[] = [
  problem!,
  structured!,
  legacy!,
  envelope!,
  google,
  openai,
  stripe,
  azure,
  nested!,
  aws,
  github,
  ...rest,
];
