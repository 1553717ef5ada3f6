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
import type { ProberCheck } from '../media/prober.ts';
import { FORM_OVERHEAD_BYTES, type ReceivedUpload, receiveUpload } from '../media/receive.ts';

/** Options of the upload route plugin. */
export interface UploadRouteOptions {
  readonly config: Config;
  /** `authenticate(scope)` from the auth module: throws ih2008–ih2011. */
  readonly authenticate: (scope: string) => preHandlerAsyncHookHandler;
  /** Overrides the analyzer `config.analyzer` selects (tests, embedding). */
  readonly analyzer?: Analyzer;
  /** Account limits: subscription, rate, concurrency, quota (see `createAccountLimits`). */
  readonly limits?: AccountLimits;
  /** The media prober's self-check: tells a broken ffprobe (ih1001) from a broken file (ih5002). */
  readonly prober?: ProberCheck;
}

/**
 * Largest unread request body we drain after an early error rather than closing the connection.
 * @example await app.register(earlyAnswers, { drainBytes: DRAIN_LIMIT_BYTES });
 */
export const DRAIN_LIMIT_BYTES = 1024 * 1024;

/**
 * Seconds a shed request is asked to wait: one short analysis, not the catalog's 30 s maintenance hint.
 * @example signals.error('ih1002', undefined, { retryAfterSeconds: SHED_RETRY_AFTER_SECONDS })
 */
export const SHED_RETRY_AFTER_SECONDS = 5;

/**
 * `POST /v0/upload/analyze` (scope `interhumanai.upload`), in phases, each with its own budget:
 *
 * 1. **admit** (`onRequest`, no body read): token (ih2008–ih2011), declared size (ih4003),
 *    query (ih4005), maintenance, the plan limits (subscription ih3005, rate ih3001,
 *    concurrency ih3002 held until the answer, quota pre-check ih3003/ih3004) and the
 *    reception limit (ih1002 past `maxReceivingUploads`).
 * 2. **receive**: the multipart body streamed to a temp file (`receiveUpload`), bounded by
 *    the idle and whole-request timeouts (ih4001 when the body stalls) and the size limits.
 *    Cheap I/O: it never holds an analysis slot, so stalled clients block no one.
 * 3. **inspect**: `inspect` (ih5001–ih5007, ih4004); a failing ffprobe is checked against a
 *    known-good file (ih1001 when the tool is broken).
 * 4. **reservation** of the video's minutes (ih3003/ih3004), committed only on success; then
 *    the **analysis slot**, taken only now, with a complete, validated file; ih1002 with
 *    Retry-After when `maxInFlightAnalyses` are running.
 * 5. **analyse** within the CPU budget of the video's duration, then **respond**.
 *
 * The temp file is removed and every slot released on every path, success, error or disconnect.
 * @example await app.register(uploadRoutes, { config, authenticate });
 */
export const uploadRoutes: FastifyPluginAsync<UploadRouteOptions> = async (app, options) => {
  const { config, authenticate, limits } = options;
  const analyzer = options.analyzer ?? defaultAnalyzer(config);
  await mkdir(config.tmpDir, { recursive: true });
  const receiving = createSlots(config.maxReceivingUploads);
  const analysing = createSlots(config.maxInFlightAnalyses);
  const bodyLimit = config.maxUploadBytes + FORM_OVERHEAD_BYTES;

  // This scope reads only multipart. Anything else reaches the handler unread and is
  // refused there (ih4001) — not parsed as JSON, not answered 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  await app.register(multipart, { throwFileSizeLimit: true });

  const declaresTooMuch = (request: { headers: Record<string, unknown> }): boolean => {
    const declared = Number(request.headers['content-length']);
    return Number.isFinite(declared) && declared > bodyLimit;
  };

  // Runs first, synchronously: a body declared too large is never going to be read, so stop
  // the socket now — before the token check yields to the event loop and more chunks arrive.
  // The answer (ih2008… or ih4003) still goes out; earlyAnswers closes the connection gently.
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

  const refuseQueryAndMaintenance: onRequestAsyncHookHandler = async (request) => {
    for (const name of Object.keys((request.query ?? {}) as object))
      throw signals.error('ih4005', {
        name: name.slice(0, 100),
        reason: 'this endpoint takes no query parameters',
      });
    if (config.maintenance) throw signals.error('ih1002', undefined, { cause: 'maintenance mode' });
  };

  const admitReception: onRequestAsyncHookHandler = async (request, reply) => {
    if (!receiving.take(reply))
      throw signals.error('ih1002', undefined, {
        cause: `reception limit: ${receiving.held()} uploads being received`,
        retryAfterSeconds: SHED_RETRY_AFTER_SECONDS,
      });
    request.log.debug('upload admitted for reception');
  };

  app.post(
    '/v0/upload/analyze',
    {
      // Fastify does not parse this body; the limit tells earlyAnswers what `100 Continue` may invite.
      bodyLimit,
      onRequest: [
        stopReadingOversize,
        authenticate('interhumanai.upload') as unknown as onRequestAsyncHookHandler,
        refuseDeclaredSize,
        refuseQueryAndMaintenance,
        // ih3005 → ih3001 → ih3002 (slot held until the answer) → ih3003/ih3004 pre-check.
        ...(limits ? [limits.gate] : []),
        admitReception,
      ],
    },
    async (request, reply) => {
      const file = join(config.tmpDir, `upload-${randomUUID()}`);
      try {
        // Phase 2: receive. Bounded by the idle and whole-request timeouts, not by a slot.
        let upload: ReceivedUpload;
        try {
          upload = await receiveUpload(request, {
            path: file,
            maxBytes: config.maxUploadBytes,
            idleTimeoutMs: config.bodyIdleTimeoutMs,
            totalTimeoutMs: config.requestTimeoutMs,
          });
        } finally {
          receiving.release(reply);
        }
        request.log.info({ bytes: upload.bytes, container: upload.container }, 'upload received');

        // Phase 3: inspect (ffprobe is cheap; the analysis is what costs).
        const signal = deadline(reply, config.analyzerTimeoutMs);
        const media = await inspect(file, config.ffprobePath, {
          container: upload.container,
          ffmpegPath: config.ffmpegPath,
          signal,
          ...(options.prober ? { prober: options.prober } : {}),
        });

        // Phase 4: the video's minutes are reserved (ih3003/ih3004) and billed only if the
        // analysis succeeds; then the analysis slot, for a complete, validated file only.
        // Phase 5: analyse and respond.
        const analyse = () => {
          if (!analysing.take(reply))
            throw signals.error('ih1002', undefined, {
              cause: `load shedding: ${analysing.held()} analyses in flight`,
              retryAfterSeconds: SHED_RETRY_AFTER_SECONDS,
            });
          return analyzer.analyze(file, media, {
            include: upload.include,
            signal,
            correlationId: request.correlationId,
          });
        };
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

/**
 * A counter of held slots. Each reply holds at most one slot of a kind, released once: by
 * `release`, or when the reply closes (answered, or the client vanished).
 */
function createSlots(max: number) {
  let held = 0;
  const holders = new WeakSet<FastifyReply>();
  const release = (reply: FastifyReply) => {
    if (!holders.delete(reply)) return;
    held--;
  };
  return {
    take(reply: FastifyReply): boolean {
      if (held >= max) return false;
      held++;
      holders.add(reply);
      reply.raw.once('close', () => release(reply));
      return true;
    },
    release,
    held: () => held,
  };
}

function defaultAnalyzer(config: Config): Analyzer {
  if (config.analyzer === 'http') {
    if (!config.analyzerUrl) throw new Error('SIGNALS_ANALYZER=http needs SIGNALS_ANALYZER_URL');
    return createHttpAnalyzer({ url: config.analyzerUrl });
  }
  return createMediaAnalyzer({
    ffmpegPath: config.ffmpegPath,
    cpuMsPerVideoMinute: config.analysisCpuMsPerMinute,
  });
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
