import { extras, headersWithCorrelation, JSON_TYPE } from './common.ts';
import { decodeAs } from './decode.ts';
import { reasonPhrase } from './reason.ts';
import type { DecodeInput, Decoder, EncodeContext, WireFormat } from './types.ts';

const KEYS = ['timestamp', 'status', 'error', 'message', 'path', 'requestId'] as const;

/**
 * Options of `springFormat`.
 * @example springFormat({ includeMessage: true })
 */
export interface SpringOptions {
  /**
   * Also send the error's message as `message`, as Spring Boot does with
   * `server.error.include-message=always`. Off by default: seed 002's body has no message,
   * so a client of the default shape only learns the reason phrase.
   */
  readonly includeMessage?: boolean;
}

/** The decoding half of `spring`, shared with `springDecoder` (no encoder: what the client bundles). */
const decodeSpring = (input: DecodeInput) => decodeAs(input, 'spring');

/**
 * Spring Boot's default error body, seed 002's 403/429 shape:
 * `{timestamp, status, error, path}` with `timestamp` an ISO-8601 instant written with a
 * `+00:00` offset (as Jackson does), `error` the reason phrase and `path` the request path.
 * The body has no id, so the correlation id is sent as `X-Correlation-ID`.
 * @example
 * const verbose = springFormat({ includeMessage: true });
 */
export function springFormat(options: SpringOptions = {}): WireFormat {
  return {
    name: 'spring',
    contentType: JSON_TYPE,
    encode(error, context) {
      const head = {
        timestamp: timestampOf(context),
        status: error.status,
        error: reasonPhrase(error.status),
      };
      const body = options.includeMessage
        ? { ...head, message: error.message, path: pathOf(context) }
        : { ...head, path: pathOf(context) };
      return {
        status: error.status,
        headers: headersWithCorrelation(error, context),
        body: { ...body, ...extras(error, KEYS) },
      };
    },
    decode: decodeSpring,
  };
}

/**
 * Seed 002's 403/429 shape exactly: `{timestamp, status, error, path}`.
 * @example spring.encode(err, { correlationId, path: '/api/v2/clips', now: () => Date.now() })
 */
// Pure: a bundle that only decodes (faultline/client) drops it, and the encoder with it.
export const spring: WireFormat = /* @__PURE__ */ springFormat();

/** `2026-03-13T07:58:46.156+00:00`: milliseconds, and `+00:00` instead of `Z` like Jackson. */
function timestampOf(context: EncodeContext): string {
  const now = context.now?.();
  const at = typeof now === 'number' && Number.isFinite(now) ? new Date(now) : new Date();
  const valid = Number.isNaN(at.getTime()) ? new Date() : at;
  return valid.toISOString().replace(/Z$/, '+00:00');
}

/** The path without its query: Spring reports the servlet path, and a query may hold secrets. */
function pathOf(context: EncodeContext): string {
  const path = context.path ?? '';
  const cut = path.search(/[?#]/);
  return cut === -1 ? path : path.slice(0, cut);
}

/**
 * Decode-only `spring`: what `decodeError` tries, without the encoder, so a client bundle
 * that decodes never carries the code that builds responses.
 * @example springDecoder.decode({ status: 400, body })?.format // 'spring'
 */
export const springDecoder: Decoder = { name: 'spring', decode: decodeSpring };
