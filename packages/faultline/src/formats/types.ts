import type { Entry } from '../catalog/types.ts';
import type { ApiError } from '../error/api-error.ts';

/** What a format needs besides the error to render it. */
export interface EncodeContext {
  /** The request's correlation id (server-generated UUID). */
  readonly correlationId: string;
  /** Base URL of the docs page; `link` is `<docsBase>#<slug>`. */
  readonly docsBase?: string | undefined;
  /** Request path, for formats that echo it. */
  readonly path?: string | undefined;
  /** Injected clock (ms since epoch) for timestamps and transitions. */
  readonly now?: (() => number) | undefined;
}

/** A rendered error: status, headers (lower-case names) and a JSON-serialisable body. */
export interface Encoded {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Record<string, unknown>;
}

/** Header access that works for fetch `Headers`, Node's incoming headers and plain records. */
export type HeaderSource =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | number | undefined>>;

/** What arrived: the HTTP status, the headers and the body (parsed JSON, or text when it wasn't JSON). */
export interface DecodeInput {
  readonly status: number;
  readonly headers?: HeaderSource | undefined;
  readonly body: unknown;
  /** Clock for HTTP-date `Retry-After`. */
  readonly now?: number | undefined;
}

/** An error in any shape, normalised so client code branches on one thing. */
export interface DecodedError {
  /** Which format recognised it (e.g. `structured`, `envelope`, `google`, `text`). */
  readonly format: string;
  /** HTTP status, or the status the body states when it is authoritative. */
  readonly status: number;
  /** Stable machine code (error_id, code, error type…), when the shape has one. */
  readonly code: string | undefined;
  /** Human-readable message. */
  readonly message: string;
  /** The id to quote to support: correlation, trace or request id. */
  readonly requestId: string | undefined;
  /** Link to the docs entry, when given. */
  readonly link: string | undefined;
  /** Delay the server asked for, in ms, from `Retry-After` or a body field. */
  readonly retryAfterMs: number | undefined;
  /** Every other field of the body (extras such as `reset_time`, `details`). */
  readonly fields: Readonly<Record<string, unknown>>;
  /**
   * The server's explicit retry verdict (`x-should-retry`, `Stripe-Should-Retry`), which
   * outranks every delay; absent when it said nothing.
   */
  readonly shouldRetry?: boolean | undefined;
}

/**
 * Something that recognises one error shape; decode-only shapes (Google, Stripe, HTML…) are just this.
 * @example const mine: Decoder = { name: 'mine', decode: guard((input) => undefined) };
 */
export interface Decoder {
  readonly name: string;
  /** Never throws: anything not of this shape gives `undefined`. */
  decode(input: DecodeInput): DecodedError | undefined;
}

/**
 * What is fixed for the life of a server: everything of an `EncodeContext` but the request's own parts.
 * @example structured.compile?.(entry, { docsBase: 'https://api.example/errors', now: Date.now })
 */
export interface CompileContext {
  readonly docsBase?: string | undefined;
  readonly now?: (() => number) | undefined;
}

/**
 * A format's answer for one request on the fast path: `headers` is shared between requests
 * (never mutate it) and holds every header of the format, `content-type` included.
 * @example const { status, headers, body }: FastEncoded = encoder(error, correlationId)!;
 */
export interface FastEncoded {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * One entry's encoder, built once: the constant parts of the body and the header set are
 * precomputed, so a request writes only its correlation id and the error's own values.
 * Returns undefined for an error it cannot serve exactly (the generic `encode` then answers).
 * @example const encoder: EntryEncoder | undefined = structured.compile?.(entry, { docsBase });
 */
export type EntryEncoder = (error: ApiError, correlationId: string) => FastEncoded | undefined;

/** One wire format: encode an ApiError, decode a response of this shape (or return undefined). */
export interface WireFormat extends Decoder {
  /** Content type of bodies in this format. */
  readonly contentType: string;
  encode(error: ApiError, context: EncodeContext): Encoded;
  /**
   * Optional fast path: an encoder for one entry whose output is byte for byte
   * `JSON.stringify(encode(error, context).body)` with the same status and headers. Formats
   * without it (custom ones) are served by `encode`. Undefined when the entry cannot be compiled.
   */
  compile?(entry: Entry, context: CompileContext): EntryEncoder | undefined;
}
