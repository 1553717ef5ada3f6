import type { Socket } from 'node:net';
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Options of `earlyAnswers`.
 * @example await app.register(earlyAnswers, { drainBytes: 1 << 20, lingerMs: 5000, lingerBytes: 16 << 20 } satisfies EarlyAnswerOptions);
 */
export interface EarlyAnswerOptions {
  /** An unread rest declared at most this long is read and dropped; the connection lives on. Default 1 MiB. */
  readonly drainBytes?: number;
  /** After an early answer on a closing connection, how long to keep reading and dropping. Default 5 s. */
  readonly lingerMs?: number;
  /** …and how many bytes at most. Default 16 MiB. */
  readonly lingerBytes?: number;
}

const kLingering = Symbol.for('faultline.lingering');

/**
 * Makes answers sent before the request body was read reach the client, the way nginx's
 * `lingering_close` does. A server that closes a socket with unread bytes in its receive
 * buffer makes the kernel send a reset, and the reset destroys the answer in the client's
 * buffer before the client read it (an `EPIPE`/`ECONNRESET` instead of a 413). So:
 * - a small declared rest (≤ `drainBytes`) is read and dropped, and the connection is kept;
 * - anything else gets `Connection: close`; after the answer the server half-closes (FIN),
 *   keeps reading and dropping for at most `lingerMs` and `lingerBytes`, then closes;
 * - `Expect: 100-continue` is answered `100 Continue` only once the route's `onRequest`
 *   hooks passed and the declared length fits the route's `bodyLimit`: a request refused
 *   by then (bad token, too large) gets its refusal instead of an invitation to send.
 * @example
 * await app.register(earlyAnswers, { lingerMs: 5000 });
 * app.post('/upload', { onRequest: refuseIfTooLarge }, handler); // the 413 arrives, no reset
 */
export const earlyAnswers: FastifyPluginCallback<EarlyAnswerOptions> = fp(
  (app, options: EarlyAnswerOptions, done) => {
    const drainBytes = options.drainBytes ?? 1024 * 1024;
    const lingerMs = options.lingerMs ?? 5000;
    const lingerBytes = options.lingerBytes ?? 16 * 1024 * 1024;

    // Without a listener Node sends `100 Continue` itself before any hook ran.
    app.server.on('checkContinue', (request, response) => app.server.emit('request', request, response));

    // Callback-style hooks: they run on every request with a body, and a promise per hook costs.
    app.addHook('preParsing', (request, reply, payload, next) => {
      if (expectsContinue(request) && !reply.sent) {
        const declared = declaredLength(request);
        const limit = request.routeOptions.bodyLimit;
        // Fastify's parser is about to refuse it unread: let that refusal be the only answer.
        if (declared === undefined || limit === undefined || declared <= limit) reply.raw.writeContinue();
      }
      next(null, payload);
    });

    app.addHook('onSend', (request, reply, payload, next) => {
      try {
        answerEarly(request, reply);
      } catch (error) {
        return next(error as Error);
      }
      next(null, payload);
    });

    /** After an answer sent with the body unread: drain a small rest, or close and linger. */
    function answerEarly(request: FastifyRequest, reply: FastifyReply): void {
      const raw = request.raw;
      if (raw.complete || !hasBody(request)) return;
      const declared = declaredLength(request);
      // A client waiting for 100 Continue never sends the body: there is nothing to drain.
      const waiting = expectsContinue(request) && !continueSent(reply.raw);
      // Someone already decided this connection ends (e.g. a body timeout): linger, don't drain.
      const closing = String(reply.getHeader('connection') ?? '').toLowerCase() === 'close';
      if (!waiting && !closing && declared !== undefined && declared <= drainBytes) {
        raw.unpipe();
        raw.resume();
        return;
      }
      reply.header('connection', 'close');
      const socket = raw.socket;
      if (socket) lingerOnClose(socket, lingerMs, lingerBytes);
    }
    done();
  },
  { name: 'faultline-early-answers', fastify: '5.x' },
);

/**
 * Replaces Node's close-after-answer (`destroySoon`) on this one socket: FIN after the
 * answer, then read and drop until the client closes, `ms` pass or `bytes` arrive.
 */
function lingerOnClose(socket: Socket, ms: number, bytes: number): void {
  const tagged = socket as Socket & { [kLingering]?: boolean };
  if (tagged[kLingering]) return;
  tagged[kLingering] = true;
  socket.destroySoon = function lingeringClose() {
    const start = socket.bytesRead;
    const close = () => {
      clearTimeout(timer);
      clearInterval(poll);
      socket.destroy();
    };
    const timer = setTimeout(close, ms);
    // The http parser may read the socket in C++ (no 'data' events): poll the counter instead.
    const poll = setInterval(() => {
      if (socket.bytesRead - start > bytes) close();
    }, 50);
    timer.unref();
    poll.unref();
    socket.once('end', close);
    socket.once('close', close);
    socket.end();
    socket.resume();
    return socket;
  };
}

function expectsContinue(request: FastifyRequest): boolean {
  const expect = request.headers.expect;
  return typeof expect === 'string' && expect.trim().toLowerCase() === '100-continue';
}

/** Node marks a sent interim response on the ServerResponse; absent on older versions. */
function continueSent(response: unknown): boolean {
  return (response as { _sent100?: boolean })._sent100 === true;
}

function declaredLength(request: FastifyRequest): number | undefined {
  const header = request.headers['content-length'];
  if (header === undefined) return undefined;
  const value = Number(header);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function hasBody(request: FastifyRequest): boolean {
  const declared = declaredLength(request);
  return (declared !== undefined && declared > 0) || request.headers['transfer-encoding'] !== undefined;
}
