import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ProducedHook } from '../../testing/hook.ts';
import type { FaultKind, FaultMap as SharedFaultMap } from '../shared/faults.ts';
import type { FaultlineOptions } from '../shared/options.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Server-generated id of this request: sent as `X-Correlation-ID`, in every error body and log line. */
    correlationId: string;
  }
  interface FastifyInstance {
    /** Set by the faultline plugin: render any error as the plugin's error handler would. */
    faultline: FaultlineDecoration;
  }
}

/**
 * What the plugin decorates the instance with, for code outside the error handler (hooks that
 * answer early, `frameworkErrors`).
 * @example if (!authorised) return app.faultline.send(request, reply, api.error('e4010'));
 */
export interface FaultlineDecoration {
  /** Answers with `error` — an ApiError, a framework error or anything else — in the configured format. */
  send(request: FastifyRequest, reply: FastifyReply, error: unknown): void;
  /**
   * A complete answer to a fault met outside any request Fastify built (a connection the HTTP
   * parser refused, an unmet `Expect`), for code that writes to the socket itself: a fresh
   * correlation id, the fault table's entry, the configured format. The fault factory gets a
   * stand-in request with only `url` (the path, when known).
   */
  answer(kind: FaultKind, path?: string): RawAnswer;
}

/**
 * What `FaultlineDecoration.answer` returns: status, every header to send (lower-case names,
 * with `content-type` and `x-correlation-id`) and the serialised body.
 * @example const { status, headers, body }: RawAnswer = app.faultline.answer('badRequest');
 */
export interface RawAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * The fault table of the Fastify adapter: factories receive the `FastifyRequest`.
 * @example const faults: Partial<FaultMap> = { validation: ({ field }) => api.error('ih4005', { name: field ?? 'body' }) };
 */
export type FaultMap = SharedFaultMap<FastifyRequest>;

/**
 * Options of the Fastify plugin.
 * @example app.register(faultlineFastify, { catalog: api, format: structured, docsBase: 'https://api.example/errors' });
 */
export interface FaultlineFastifyOptions {
  /** The app's catalog: default docs base, and entries that replace the built-in framework ones by id. */
  readonly catalog: FaultlineOptions['catalog'];
  /** Wire format of every error body. */
  readonly format: FaultlineOptions['format'];
  /** Base URL of the docs page for `link`; defaults to the catalog's. */
  readonly docsBase?: string;
  /** Clock in ms, for formats that depend on time (transition sunsets). */
  readonly now?: () => number;
  /** Overrides of the framework-fault table. */
  readonly faults?: Partial<FaultMap>;
  /** Where sent error ids are reported; defaults to the hook `faultline/testing` installs; `false` turns it off. */
  readonly coverage?: ProducedHook | false;
}
