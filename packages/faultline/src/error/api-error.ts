import type { Entry, ErrorOptions, Json } from '../catalog/types.ts';
import { fillTemplate } from './template.ts';

/** Brand shared by every copy of the package, so `isApiError` works across duplicates (as undici does). */
export const API_ERROR_BRAND: unique symbol = Symbol.for('faultline.ApiError') as never;

/**
 * The base of ApiError: an object on Error's prototype chain, made without Error's constructor.
 * That constructor walks the stack to the first frame even at `stackTraceLimit = 0` and stores
 * `message` and `stack` through V8's runtime, costing several times the rest of the error; and
 * reaching it through `Reflect.construct` for 5xx cost 3-4x a plain `super()` (28 vs 7 µs per
 * error, measured on Node 24). A server fault gets its frames from `Error.captureStackTrace`
 * instead. `instanceof Error` holds; `util.types.isNativeError` and `Error.isError` are false.
 */
function ErrorBase(this: unknown): Error {
  return Object.create(new.target.prototype) as Error;
}
ErrorBase.prototype = Error.prototype;
Object.setPrototypeOf(ErrorBase, Error);
const BaseError = ErrorBase as unknown as new () => Error;

/**
 * An error made from a catalog entry. Expected errors (status < 500) skip stack capture:
 * they are answers, not bugs, and a stack costs more than the rest of the error (see ErrorBase).
 * @example
 * throw signals.error('ih4005', { name: 'include[]' });
 */
export class ApiError<Id extends string = string> extends BaseError {
  declare readonly [API_ERROR_BRAND]: true;
  readonly id: Id;
  /** HTTP status; entries without one (WebSocket-only) answer 500 if ever sent over HTTP. */
  readonly status: number;
  /** Delay before a retry, in seconds, when the entry is retryable. */
  readonly retryAfterSeconds: number | undefined;
  // Private, so loggers (pino walks enumerable keys) see only plain data, never the frozen entry.
  readonly #entry: Entry;
  readonly #params: Readonly<Record<string, unknown>> | undefined;
  readonly #headers: Readonly<Record<string, string>> | undefined;
  // Read through the `message` accessor below (no own property: see ErrorBase).
  #message: string;

  constructor(entry: Entry, params?: Readonly<Record<string, unknown>>, options?: ErrorOptions) {
    const status = entry.status ?? 500;
    const message = options?.message ?? fillTemplate(entry.message, params);
    super();
    this.#message = message;
    // A server fault keeps its frames, from its caller on (as Error's constructor would).
    if (status >= 500) Error.captureStackTrace(this, new.target);
    if (options?.cause !== undefined) {
      // Non-enumerable: the cause is for logs, never for the wire.
      Object.defineProperty(this, 'cause', { value: options.cause, enumerable: false, writable: true });
    }
    this.id = entry.id as Id;
    this.status = status;
    this.retryAfterSeconds =
      options?.retryAfterSeconds ?? (entry.retryable ? entry.retryAfterSeconds : undefined);
    this.#entry = entry;
    this.#params = params;
    this.#headers = options?.headers;
  }

  static {
    // No ApiError has an own `message` (see ErrorBase), and a 4xx no own `stack`: both read from
    // here, as a stack captured with `stackTraceLimit = 0` would (the header only, fixed at first
    // read). A 5xx's `stack` is its own, from Error.captureStackTrace, which hides this one.
    Object.defineProperties(ApiError.prototype, {
      message: {
        get(this: ApiError) {
          return this.#message;
        },
        set(this: ApiError, value: string) {
          this.#message = value;
        },
        configurable: true,
      },
      stack: {
        get(this: ApiError) {
          const name = String(this.name);
          const message = String(this.message);
          const stack = name === '' ? message : message === '' ? name : `${name}: ${message}`;
          Object.defineProperty(this, 'stack', { value: stack, writable: true, configurable: true });
          return stack;
        },
        set(this: ApiError, value: unknown) {
          Object.defineProperty(this, 'stack', { value, writable: true, configurable: true });
        },
        configurable: true,
      },
    });
  }

  /** The catalog entry this error was made from. */
  get entry(): Entry {
    return this.#entry;
  }

  /** Template parameters and extra fields given at creation. */
  get params(): Readonly<Record<string, unknown>> {
    return this.#params ?? EMPTY;
  }

  /** Extra headers to set on the response. */
  get headers(): Readonly<Record<string, string>> {
    return this.#headers ?? NO_HEADERS;
  }

  override get name(): string {
    return 'ApiError';
  }

  /** Values of the entry's declared extra fields, in declaration order. */
  get fields(): Record<string, Json> {
    const out: Record<string, Json> = {};
    if (this.#params === undefined) return out;
    for (const name of this.#entry.fields) {
      const value = this.#params[name];
      if (value !== undefined) out[name] = value as Json;
    }
    return out;
  }

  /** Whether a client may repeat the request. */
  get retryable(): boolean {
    return this.#entry.retryable;
  }

  /** A log-friendly view; the wire shape comes from a format, not from here. */
  toJSON(): { id: string; status: number; message: string } {
    return { id: this.id, status: this.status, message: this.message };
  }
}

// The brand lives on the prototype: one property for all instances, nothing to define per error.
Object.defineProperty(ApiError.prototype, API_ERROR_BRAND, { value: true });

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});
/**
 * What `headers` returns for an error created without headers; formats compare against it to
 * reuse a header set precomputed for the entry. Internal: not re-exported by the package.
 * @example if (error.headers === NO_HEADERS) return precomputed;
 */
export const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * True for an ApiError from any copy of faultline.
 * @example if (isApiError(err)) reply.code(err.status);
 */
export function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[API_ERROR_BRAND] === true
  );
}
