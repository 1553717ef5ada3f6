/**
 * Types of a catalog entry as the author writes it, and as the toolkit reads it back.
 * Parameters are derived from the message template (`{name}` placeholders) and the
 * declared extra body `fields`, so creating an error without one is a type error.
 */

/** A JSON value, for extra body fields. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** An entry as written in `defineCatalog`. */
export interface EntryDef {
  /** Short title; with the id it forms the docs slug, e.g. `ih2005-missing-key-secret`. */
  readonly title: string;
  /** HTTP status. Entries that only exist on a WebSocket omit it. */
  readonly status?: number;
  /** Group on the docs page, e.g. "Authentication and authorization". */
  readonly category: string;
  /** Human-readable message; `{param}` placeholders become typed parameters. */
  readonly message: string;
  /** Longer explanation for the docs page. */
  readonly description?: string;
  /** Steps that fix it, in the user's terms. Required: `lint` reports entries without. */
  readonly fix: readonly string[];
  /** Whether repeating the same request may succeed. */
  readonly retryable?: boolean;
  /** Default delay before a retry, in seconds; written as `Retry-After`. */
  readonly retryAfterSeconds?: number;
  /** WebSocket close code when this error ends a session (e.g. 1009, 1001). */
  readonly closeCode?: number;
  /** WebSocket message `type` this entry is sent as (default `error`), e.g. `shutdown.warning`. */
  readonly wsType?: string;
  /** Extra body fields the error carries beside the standard ones (e.g. `reset_time`). */
  readonly fields?: readonly string[];
  /** Marks an entry being phased out, optionally naming its successor. */
  readonly deprecated?: { readonly replacedBy?: string; readonly reason?: string };
  /** Explicit docs slug; defaults to `<id>-<kebab title>`. */
  readonly slug?: string;
}

/** Placeholder names of a message template. */
export type TemplateParams<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
  ? P | TemplateParams<Rest>
  : never;

type FieldNames<E extends EntryDef> = E['fields'] extends readonly (infer F extends string)[] ? F : never;

/** The parameters an entry requires: template placeholders and declared extra fields. */
export type ParamsOf<E extends EntryDef> = {
  readonly [K in TemplateParams<E['message']>]: string | number;
} & {
  readonly [K in FieldNames<E>]: Json;
};

/** Options every error accepts beside its parameters. */
export interface ErrorOptions {
  /** Server-side cause: logged, never serialised. */
  readonly cause?: unknown;
  /** Overrides the catalog's retry delay, in seconds. */
  readonly retryAfterSeconds?: number;
  /** Extra response headers (e.g. RateLimit headers). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Overrides the rendered message (rarely needed; the template is the norm). */
  readonly message?: string;
}

/** Argument list of `catalog.error(id, ...)`: parameters are required only when the entry declares some. */
export type ErrorArgs<E extends EntryDef> = [TemplateParams<E['message']> | FieldNames<E>] extends [never]
  ? [params?: Record<string, never>, options?: ErrorOptions]
  : [params: ParamsOf<E>, options?: ErrorOptions];

/** An entry as the toolkit sees it after `defineCatalog`: normalised and complete. */
export interface Entry {
  readonly id: string;
  readonly title: string;
  readonly status: number | undefined;
  readonly category: string;
  readonly message: string;
  readonly description: string | undefined;
  readonly fix: readonly string[];
  readonly retryable: boolean;
  readonly retryAfterSeconds: number | undefined;
  readonly closeCode: number | undefined;
  /** WebSocket message `type` (undefined: `error`). */
  readonly wsType?: string | undefined;
  readonly fields: readonly string[];
  readonly params: readonly string[];
  readonly deprecated: { readonly replacedBy?: string; readonly reason?: string } | undefined;
  readonly slug: string;
}
