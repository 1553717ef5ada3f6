import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import multipart from '@fastify/multipart';
import type {
  FastifyPluginAsync,
  FastifyReply,
  onRequestAsyncHookHandler,
  onRequestHookHandler,
  preHandlerAsyncHookHandler,
} from 'fastify';
import { createHttpAnalyzer } from '../analysis/http-analyzer.ts';
import { createMediaAnalyzer } from '../analysis/media-analyzer.ts';
import type { Analyzer } from '../analysis/types.ts';
import { signals } from '../catalog.ts';
import type { Config } from '../config.ts';
import type { AccountLimits } from '../limits/index.ts';
import { inspect } from '../media/inspect.ts';
import type { MediaInfo } from '../media/media-info.ts';
import { FORM_OVERHEAD_BYTES, receiveUpload } from '../media/receive.ts';

/** Options of the upload route plugin. */
export interface UploadRouteOptions {
  readonly config: Config;
  /** `authenticate(scope)` from the auth module: throws ih2008–ih2011. */
  readonly authenticate: (scope: string) => preHandlerAsyncHookHandler;
  /** Overrides the analyzer `config.analyzer` selects (tests, embedding). */
  readonly analyzer?: Analyzer;
  /** Account limits: subscription, rate, concurrency, quota (see `createAccountLimits`). */
  readonly limits?: AccountLimits;
}

/**
 * Largest unread request body we drain after an early error rather than closing the connection.
 * @example declared <= DRAIN_LIMIT_BYTES ? request.raw.resume() : reply.header('connection', 'close')
 */
export const DRAIN_LIMIT_BYTES = 1024 * 1024;

/**
 * Seconds a shed request is asked to wait: one short analysis, not the catalog's 30 s maintenance hint.
 * @example signals.error('ih1002', undefined, { retryAfterSeconds: SHED_RETRY_AFTER_SECONDS })
 */
export const SHED_RETRY_AFTER_SECONDS = 5;

/**
 * `POST /v0/upload/analyze` (scope `interhumanai.upload`). Before a byte of body is read:
 * token (ih2008–ih2011), declared size (ih4003 over `maxUploadBytes`), query parameters
 * (ih4005: there are none), maintenance and load shedding (ih1002 with Retry-After when
 * `maxInFlightAnalyses` requests are already running). Then the multipart body is streamed
 * to a temp file (see `receiveUpload`), inspected (`inspect`: ih5001–ih5007, ih4004) and
 * analysed. The temp file is removed on every path, success, error or disconnect.
 * @example await app.register(uploadRoutes, { config, authenticate });
 */
export const uploadRoutes: FastifyPluginAsync<UploadRouteOptions> = async (app, options) => {
  const { config, authenticate, limits } = options;
  const analyzer = options.analyzer ?? defaultAnalyzer(config);
  await mkdir(config.tmpDir, { recursive: true });
  let inFlight = 0;

  // This scope reads only multipart. Anything else reaches the handler unread and is
  // refused there (ih4001) — not parsed as JSON, not answered 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  await app.register(multipart, { throwFileSizeLimit: true });

  // An error answered before the whole body arrived. A small rest is read and discarded,
  // so the client, still sending, sees the answer and the connection lives on; a large or
  // chunked one must not be read (up to 100 MB, or forever): close the connection instead.
  app.addHook('onSend', async (request, reply) => {
    if (reply.statusCode < 400 || request.raw.complete) return;
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared <= DRAIN_LIMIT_BYTES) {
      request.raw.unpipe();
      request.raw.resume();
    } else {
      reply.header('connection', 'close');
    }
  });

  const declaresTooMuch = (request: { headers: Record<string, unknown> }): boolean => {
    const declared = Number(request.headers['content-length']);
    return Number.isFinite(declared) && declared > config.maxUploadBytes + FORM_OVERHEAD_BYTES;
  };

  // Runs first, synchronously: a body declared too large is never going to be read, so stop
  // the socket now — before the token check yields to the event loop and more chunks arrive.
  // The answer (ih2008… or ih4003) still goes out, and onSend closes the connection.
  const stopReadingOversize: onRequestHookHandler = (request, _reply, done) => {
    if (declaresTooMuch(request)) request.raw.socket?.pause();
    done();
  };

  const refuseDeclaredSize: onRequestAsyncHookHandler = async (request) => {
    if (declaresTooMuch(request))
      throw signals.error('ih4003', undefined, {
        cause: `Content-Length ${request.headers['content-length']}`,
      });
  };

  const admit: onRequestAsyncHookHandler = async (request, reply) => {
    for (const name of Object.keys((request.query ?? {}) as object))
      throw signals.error('ih4005', {
        name: name.slice(0, 100),
        reason: 'this endpoint takes no query parameters',
      });
    if (config.maintenance) throw signals.error('ih1002', undefined, { cause: 'maintenance mode' });
    if (inFlight >= config.maxInFlightAnalyses)
      throw signals.error('ih1002', undefined, {
        cause: `load shedding: ${inFlight} analyses in flight`,
        retryAfterSeconds: SHED_RETRY_AFTER_SECONDS,
      });
    inFlight++;
    // 'close' fires exactly once, whether the response finished or the client vanished.
    reply.raw.once('close', () => {
      inFlight--;
    });
  };

  app.post(
    '/v0/upload/analyze',
    {
      onRequest: [
        stopReadingOversize,
        authenticate('interhumanai.upload') as unknown as onRequestAsyncHookHandler,
        refuseDeclaredSize,
        // ih3005 → ih3001 → ih3002 (slot held until the answer) → ih3003/ih3004 pre-check.
        ...(limits ? [limits.gate] : []),
        admit,
      ],
    },
    async (request, reply) => {
      const file = join(config.tmpDir, `upload-${randomUUID()}`);
      try {
        const upload = await receiveUpload(request, { path: file, maxBytes: config.maxUploadBytes });
        request.log.info({ bytes: upload.bytes, container: upload.container }, 'upload received');
        const signal = deadline(reply, config.analyzerTimeoutMs);
        const media = await inspect(file, config.ffprobePath, {
          container: upload.container,
          ffmpegPath: config.ffmpegPath,
          signal,
        });
        const analyse = () =>
          analyzer.analyze(file, media, {
            include: upload.include,
            signal,
            correlationId: request.correlationId,
          });
        // The video's minutes are reserved before the analysis and billed only if it succeeds.
        const result = limits
          ? await limits.billed(request, media.durationSeconds, analyse)
          : await analyse();
        return {
          correlation_id: request.correlationId,
          video: videoOf(media),
          signals: result.signals,
          engagement_state: result.engagement_state,
          ...(result.conversation_quality ? { conversation_quality: result.conversation_quality } : {}),
          analyzer: analyzer.name,
        };
      } finally {
        await rm(file, { force: true });
      }
    },
  );
};

function defaultAnalyzer(config: Config): Analyzer {
  if (config.analyzer === 'http') {
    if (!config.analyzerUrl) throw new Error('SIGNALS_ANALYZER=http needs SIGNALS_ANALYZER_URL');
    return createHttpAnalyzer({ url: config.analyzerUrl });
  }
  return createMediaAnalyzer({ ffmpegPath: config.ffmpegPath });
}

/** Aborts when the analysis deadline passes or the client disconnects before the answer. */
function deadline(reply: FastifyReply, timeoutMs: number): AbortSignal {
  const gone = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) gone.abort(new Error('client disconnected'));
  });
  return AbortSignal.any([gone.signal, AbortSignal.timeout(timeoutMs)]);
}

/** The `video` object of the response. */
function videoOf(media: MediaInfo) {
  return {
    duration_seconds: media.durationSeconds,
    container: media.container,
    video_codec: media.video.codec,
    audio_codec: media.audio?.codec ?? null,
    width: media.video.width,
    height: media.video.height,
    fps: media.video.fps,
  };
}
