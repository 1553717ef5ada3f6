import type { ApiError } from '../error/api-error.ts';
import { extras, headersWithCorrelation, JSON_TYPE } from './common.ts';
import { decodeAs } from './decode.ts';
import type { DecodeInput, Decoder, WireFormat } from './types.ts';

/**
 * The three bodies of seed 003: `{error}`, `{message}` and `{message, status: "error"}`.
 * @example const shape: FlatShape = 'message-status';
 */
export type FlatShape = 'error' | 'message' | 'message-status';

/**
 * Options of `flatFormat`.
 * @example flatFormat({ shape: (err) => (err.status === 401 ? 'error' : 'message') })
 */
export interface FlatOptions {
  /** Picks the body of each error; defaults to `defaultFlatShape`. */
  readonly shape?: (error: ApiError) => FlatShape;
}

const KEYS = ['error', 'message', 'status'] as const;

/**
 * Seed 003's choice per status: its auth layer answers 401 with `{error}`, input checks
 * answer 400 with `{message}`, and everything else uses the documented `{message, status}`.
 * @example defaultFlatShape(api.error('invalid_token')) // 'error' (a 401)
 */
export function defaultFlatShape(error: ApiError): FlatShape {
  if (error.status === 401) return 'error';
  if (error.status === 400) return 'message';
  return 'message-status';
}

/** The decoding half of `flat`, shared with `flatDecoder` (no encoder: what the client bundles). */
const decodeFlat = (input: DecodeInput) => decodeAs(input, 'flat');

/**
 * A flat body: the message in a top-level `error` or `message`. It has no code and no id,
 * so the correlation id is sent as `X-Correlation-ID`.
 * Decoding also reads the `{statusCode, code, error, message}` bodies of Fastify and NestJS:
 * with both present, `message` is the message and a string `code` is the code.
 * @example
 * const reels = flatFormat({ shape: (err) => (err.status === 404 ? 'message-status' : 'error') });
 */
export function flatFormat(options: FlatOptions = {}): WireFormat {
  const shapeOf = options.shape ?? defaultFlatShape;
  return {
    name: 'flat',
    contentType: JSON_TYPE,
    encode(error, context) {
      const rest = extras(error, KEYS);
      const shape = shapeOf(error);
      const body =
        shape === 'error'
          ? { error: error.message, ...rest }
          : shape === 'message'
            ? { message: error.message, ...rest }
            : { message: error.message, status: 'error', ...rest };
      return { status: error.status, headers: headersWithCorrelation(error, context), body };
    },
    decode: decodeFlat,
  };
}

/**
 * Seed 003's bodies with `defaultFlatShape`.
 * @example flat.encode(api.error('missing_url'), { correlationId }).body // { message: '…' }
 */
// Pure: a bundle that only decodes (faultline/client) drops it, and the encoder with it.
export const flat: WireFormat = /* @__PURE__ */ flatFormat();

/**
 * Decode-only `flat`: what `decodeError` tries, without the encoder, so a client bundle
 * that decodes never carries the code that builds responses.
 * @example flatDecoder.decode({ status: 400, body })?.format // 'flat'
 */
export const flatDecoder: Decoder = { name: 'flat', decode: decodeFlat };
