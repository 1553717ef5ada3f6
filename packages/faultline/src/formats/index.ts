export { aws } from './aws.ts';
export { azure } from './azure.ts';
export { byStatus } from './by-status.ts';
export {
  asObject,
  errorHeaders,
  guard,
  JSON_TYPE,
  linkFor,
  readHeader,
  requestIdFromHeaders,
  statusOf,
} from './common.ts';
export { decodeError, decoders, retrySignals } from './detect.ts';
export { envelope } from './envelope.ts';
export { defaultFlatShape, type FlatOptions, type FlatShape, flat, flatFormat } from './flat.ts';
export { generic } from './generic.ts';
export { github } from './github.ts';
export { google } from './google.ts';
export { htmlPage } from './html.ts';
export { legacy } from './legacy.ts';
export { fromRequestId, nested, toRequestId } from './nested.ts';
export { openai } from './openai.ts';
export { parseBody } from './parse-body.ts';
export { PROBLEM_TYPE, problem } from './problem.ts';
export { reasonPhrase } from './reason.ts';
export { type SpringOptions, spring, springFormat } from './spring.ts';
export { stripe } from './stripe.ts';
export { structured } from './structured.ts';
export { plainText } from './text.ts';
export { trace } from './trace.ts';
export { type TransitionOptions, transition } from './transition.ts';
export type {
  CompileContext,
  DecodedError,
  DecodeInput,
  Decoder,
  EncodeContext,
  Encoded,
  EntryEncoder,
  FastEncoded,
  HeaderSource,
  WireFormat,
} from './types.ts';
