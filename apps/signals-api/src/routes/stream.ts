import type { IncomingMessage } from 'node:http';
import type { FastifyPluginAsync, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { createWsSession, type WsSessionOptions } from 'faultline/ws';
import { WebSocketServer } from 'ws';
import { createHttpAnalyzer } from '../analysis/http-analyzer.ts';
import { createMediaAnalyzer } from '../analysis/media-analyzer.ts';
import type { Analyzer } from '../analysis/types.ts';
import { INCLUDE_OPTIONS } from '../analysis/types.ts';
import type { Authenticate } from '../auth/authenticate.ts';
import type { TokenClaims } from '../auth/tokens.ts';
import { signals } from '../catalog.ts';
import type { Config } from '../config.ts';
import { MAX_DURATION_SECONDS, MIN_SEGMENT_BYTES } from '../media/media-info.ts';
import type { StreamConfig } from '../stream/config.ts';
import type { StreamHub } from '../stream/hub.ts';
import { analyseSegment, createGate, type SegmentContext } from '../stream/segments.ts';
import { onStreamMessage, runStreamSession, type StreamSessionOptions } from '../stream/session.ts';
import { acceptUpgrade, isUpgrade, routeUpgrades } from '../stream/upgrade.ts';

/**
 * Largest WebSocket message: 20 MB (binary megabytes, like the upload limit). `ws` refuses a
 * bigger one from its frame header, before buffering it (ih6002, close 1009).
 * @example new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
 */
export const MAX_MESSAGE_BYTES = 20 * 1024 * 1024;

/** Containers a segment may be in (the upload's, sniffed from the bytes). */
const CONTAINERS = ['mp4', 'mov', 'mkv', 'webm', 'avi', 'mpegts'];

/** Options of the stream route plugin. */
export interface StreamRouteOptions {
  readonly config: Config;
  readonly stream: StreamConfig;
  readonly hub: StreamHub;
  /** `authenticate(scope)` from the auth module: ih2008–ih2011 as HTTP answers, before any upgrade. */
  readonly authenticate: Authenticate;
  /** Base of every error `link` (read at send time: with PORT=0 it is known only once listening). */
  readonly docsBase: () => string;
  /** Overrides the analyzer `config.analyzer` selects (tests, embedding). */
  readonly analyzer?: Analyzer;
  /**
   * HOOK for plan limits (subscription ih3005, rate ih3001, concurrency ih3002): runs after
   * authentication, before the upgrade. Throw a catalog error to refuse the session (it is
   * answered over HTTP); resolve with an idempotent release function, called when the session
   * ends (a session holds its concurrency slot for its whole life). Wired by `buildApp`.
   */
  readonly admitSession?: (principal: TokenClaims) => Promise<() => void>;
}

/**
 * `GET /v0/stream/analyze` (scope `interhumanai.stream`): a WebSocket session that analyses
 * video segments as they arrive. Before the upgrade, as ordinary HTTP answers: token
 * (ih2008–ih2011; `Authorization: Bearer` or the subprotocol pair `access_token, <token>`),
 * no upgrade asked (ih4005), draining (ih1002, Retry-After), plan limits (`admitSession`).
 * The protocol itself is in `stream/session.ts`; timers and drain come from `faultline/ws`.
 * @example await app.register(streamRoutes, { config, stream, hub, authenticate, docsBase });
 */
export const streamRoutes: FastifyPluginAsync<StreamRouteOptions> = async (app, options) => {
  const { config, stream, hub, docsBase } = options;
  const analyzer = options.analyzer ?? defaultAnalyzer(config);
  const segments: SegmentContext = {
    tmpDir: config.tmpDir,
    ffprobePath: config.ffprobePath,
    ffmpegPath: config.ffmpegPath,
    analyzer,
    timeoutMs: config.analyzerTimeoutMs,
  };
  const gate = createGate(config.maxInFlightAnalyses);
  const ready = readyData(stream, analyzer);
  const correlation = new WeakMap<IncomingMessage, string>();
  const releases = new WeakMap<IncomingMessage, () => void>();
  // Shared by every session: an idle server holds thousands of them, each should cost little.
  const sessionOptions: WsSessionOptions = {
    docsBase,
    clock: hub.clock,
    idle: {
      ms: stream.idleSeconds * 1000,
      error: () => signals.error('ih6003', { idle_seconds: stream.idleSeconds }),
    },
    maxDuration: {
      ms: stream.maxSeconds * 1000,
      error: () => signals.error('ih6004', { max_seconds: stream.maxSeconds }),
    },
    tooLarge: () => signals.error('ih6002'),
    onMessage: onStreamMessage,
  };
  const protocol: StreamSessionOptions = {
    segments,
    analyse: async (bytes, include, signal, correlationId) => {
      const leave = await gate.enter(signal);
      try {
        return await analyseSegment(bytes, segments, { include, signal, correlationId });
      } finally {
        leave();
      }
    },
    log: (error, segment, correlationId) =>
      app.log.error({ err: error, segment, correlation_id: correlationId }, 'segment failed'),
  };

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
    clientTracking: false,
    // Choose `access_token` when offered (never echo the token itself): a client that offered
    // protocols expects one back.
    handleProtocols: (protocols) => (protocols.has('access_token') ? 'access_token' : false),
  });
  wss.on('headers', (headers, request) => {
    const id = correlation.get(request);
    if (id) headers.push(`X-Correlation-ID: ${id}`);
  });
  routeUpgrades(app);
  app.addHook('onClose', async () => {
    await hub.abort();
    wss.close();
  });

  const upgradeRequired: onRequestAsyncHookHandler = async (request) => {
    for (const name in (request.query ?? {}) as object)
      throw signals.error('ih4005', {
        name: name.slice(0, 100),
        reason: 'this endpoint takes no query parameters',
      });
    if (!isUpgrade(request))
      throw signals.error('ih4005', {
        name: 'Upgrade',
        reason: 'this endpoint speaks WebSocket only; open it with "Upgrade: websocket"',
      });
  };
  const refuseWhileDraining: onRequestAsyncHookHandler = async () => {
    if (hub.drainer.draining)
      throw signals.error('ih1002', undefined, {
        cause: 'draining for shutdown',
        retryAfterSeconds: Math.max(1, hub.secondsLeft()),
      });
  };
  const admit: onRequestAsyncHookHandler = async (request) => {
    if (!options.admitSession || !request.auth) return;
    releases.set(request.raw, await options.admitSession(request.auth));
  };

  app.get(
    '/v0/stream/analyze',
    {
      onRequest: [
        options.authenticate('interhumanai.stream', {
          upgrade: true,
        }) as unknown as onRequestAsyncHookHandler,
        upgradeRequired,
        refuseWhileDraining,
        admit,
      ],
    },
    async (request, reply) => {
      // Idempotent (a limiter admission's `release`): no wrapper closure kept per session.
      const release = releases.get(request.raw) ?? noop;
      const correlationId = request.correlationId;
      correlation.set(request.raw, correlationId);
      const socket = await acceptUpgrade(request, reply, wss);
      if (!socket) return release();
      const session = createWsSession(socket, correlationId, sessionOptions);
      if (release !== noop) session.onClose(release);
      // The drain may have started while the handshake ran.
      if (!hub.drainer.add(session)) return session.end(signals.error('ih6005'));
      runStreamSession(session, protocol);
      session.send('session.ready', ready(request));
    },
  );
};

/**
 * What `session.ready` states: the limits in force and what the session accepts. All but the
 * scopes are the same for every session: made once (`readyData(stream, analyzer)`), then
 * completed per session with its scopes.
 */
function readyData(stream: StreamConfig, analyzer: Analyzer) {
  const limits = Object.freeze({
    max_message_bytes: MAX_MESSAGE_BYTES,
    min_segment_bytes: MIN_SEGMENT_BYTES,
    max_segment_seconds: MAX_DURATION_SECONDS,
    idle_timeout_seconds: stream.idleSeconds,
    max_session_seconds: stream.maxSeconds,
  });
  const include = Object.freeze([]);
  return (request: FastifyRequest) => ({
    limits,
    containers: CONTAINERS,
    include,
    include_options: INCLUDE_OPTIONS,
    scopes: request.auth?.scopes ?? include,
    analyzer: analyzer.name,
  });
}

function defaultAnalyzer(config: Config): Analyzer {
  if (config.analyzer === 'http') {
    if (!config.analyzerUrl) throw new Error('SIGNALS_ANALYZER=http needs SIGNALS_ANALYZER_URL');
    return createHttpAnalyzer({ url: config.analyzerUrl });
  }
  return createMediaAnalyzer({ ffmpegPath: config.ffmpegPath });
}

function noop(): void {}
