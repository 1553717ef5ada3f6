export { asObject, errorHeaders, JSON_TYPE, linkFor, readHeader } from './common.ts';
export { legacy } from './legacy.ts';
export { structured } from './structured.ts';
export { type TransitionOptions, transition } from './transition.ts';
export type { DecodedError, DecodeInput, EncodeContext, Encoded, HeaderSource, WireFormat } from './types.ts';
