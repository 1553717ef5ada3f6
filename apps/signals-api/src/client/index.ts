/**
 * The signals-api client: a typed SDK on `faultline/client` (Node and browsers) — tokens,
 * uploads with progress, WebSocket streaming that survives server restarts.
 * @example
 * import { createSignalsClient } from 'signals-api/client';
 * const client = createSignalsClient({ url, keyId, keySecret });
 */
export { type UploadBody, uploadBody } from './multipart.ts';
export { MAX_SEGMENT_BYTES, type Segment, type StreamSource, segmentsOf } from './segments.ts';
export {
  createSignalsClient,
  type SignalsClient,
  type SignalsClientOptions,
  type UploadOptions,
} from './signals-client.ts';
export {
  type StreamOptions,
  type StreamSummary,
  streamSegments,
  type WebSocketConstructor,
} from './stream.ts';
export { TokenCache, type TokenCacheOptions, type TokenGrant } from './tokens.ts';
export {
  type Analysis,
  INCLUDE_OPTIONS,
  type IncludeOption,
  type Signal,
  type SignalsScope,
  type StreamEvent,
  type UploadProgress,
} from './types.ts';
