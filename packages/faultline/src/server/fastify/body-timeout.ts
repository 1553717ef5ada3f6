import { PassThrough } from 'node:stream';
import type { FastifyPluginCallback, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Options of `bodyTimeouts`.
 * @example await app.register(bodyTimeouts, { idleMs: 30_000, totalMs: 60_000, error: () => api.error('bad_body') } satisfies BodyTimeoutOptions);
 */
export interface BodyTimeoutOptions {
  /** Longest silence between two pieces of a body Fastify parses. */
  readonly idleMs: number;
  /** Longest the whole body may take; undefined = only the idle limit. */
  readonly totalMs?: number;
  /** The error answered (a catalog error of yours): the request, and which limit passed. */
  readonly error: (request: FastifyRequest, limit: 'idle' | 'total') => Error;
  /** Requests left alone, e.g. a route that streams its body itself and times it itself. */
  readonly skip?: (request: FastifyRequest) => boolean;
}

/**
 * Times the bodies Fastify reads for its parsers (JSON, text, …): a client that stops sending
 * halfway gets `options.error` as its answer instead of holding the connection until Node's
 * request timeout, minutes later. Register `earlyAnswers` too, so that answer reaches a client
 * whose body is still unread. Routes that read `request.raw` themselves (multipart, streams)
 * are not covered: skip them and time them where they read.
 * @example
 * await app.register(bodyTimeouts, {
 *   idleMs: 10_000,
 *   error: () => api.error('invalid_json'),
 *   skip: (request) => request.url.startsWith('/upload'),
 * });
 */
export const bodyTimeouts: FastifyPluginCallback<BodyTimeoutOptions> = fp(
  (app, options: BodyTimeoutOptions, done) => {
    // A callback-style hook: it runs for every request with a body, and a promise per hook costs.
    app.addHook('preParsing', (request, reply, payload, next) => {
      if (!hasBody(request) || options.skip?.(request)) return next(null, payload);
      const guarded = new PassThrough();
      let idle: NodeJS.Timeout | undefined;
      const fail = (limit: 'idle' | 'total') => {
        stop();
        payload.unpipe(guarded);
        // The client stopped mid-body: this connection cannot carry another request.
        reply.header('connection', 'close');
        const error = options.error(request, limit) as Error & { statusCode?: number; status?: number };
        // Fastify marks parser errors 400 unless they carry a status of their own.
        if (typeof error.status === 'number' && error.statusCode === undefined)
          error.statusCode = error.status;
        guarded.destroy(error);
      };
      const arm = () => {
        clearTimeout(idle);
        idle = setTimeout(() => fail('idle'), options.idleMs);
      };
      const total =
        options.totalMs === undefined ? undefined : setTimeout(() => fail('total'), options.totalMs);
      const stop = () => {
        clearTimeout(idle);
        clearTimeout(total);
        payload.off('data', arm);
      };
      arm();
      payload.on('data', arm);
      payload.once('end', stop);
      payload.once('error', stop);
      guarded.once('close', stop);
      // Fastify checks the byte count against Content-Length through this field.
      Object.defineProperty(guarded, 'receivedEncodedLength', {
        get: () => (payload as { receivedEncodedLength?: number }).receivedEncodedLength,
      });
      next(null, payload.pipe(guarded));
    });
    done();
  },
  { name: 'faultline-body-timeouts', fastify: '5.x' },
);

function hasBody(request: FastifyRequest): boolean {
  const length = Number(request.headers['content-length']);
  return (Number.isFinite(length) && length > 0) || request.headers['transfer-encoding'] !== undefined;
}
