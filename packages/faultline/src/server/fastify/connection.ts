import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { reasonPhrase } from '../../formats/reason.ts';
import type { FaultKind } from '../shared/faults.ts';
import type { FaultlineDecoration } from './types.ts';

/**
 * Node's parser errors → the fault that answers them. Anything else the parser rejects (bad
 * request line, bad header, conflicting framing) is a plain `badRequest`.
 */
const BY_CODE: Readonly<Record<string, FaultKind>> = {
  HPE_HEADER_OVERFLOW: 'headersTooLarge',
  ERR_HTTP_REQUEST_TIMEOUT: 'requestTimeout',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 'bodyTooLarge',
};

/** How long a refused connection may take to read our answer before it is cut. */
const LINGER_MS = 2_000;

/**
 * Fastify's `clientErrorHandler` server option: answers what Node's HTTP parser refuses before
 * Fastify sees a request (oversized headers → 431, a malformed request line or header → 400,
 * a request that never finished arriving → 408) with a catalog body and `X-Correlation-ID`,
 * instead of Fastify's own JSON. After a pipelined request whose answer is still pending, the
 * refusal follows that answer, in order. Where no answer can be given — the client reset the
 * connection, or the body of a request a route is already handling broke mid-way — the
 * connection is closed without one.
 * @example const app = Fastify({ frameworkErrors, clientErrorHandler }); await app.register(faultlineFastify, options);
 */
export function clientErrorHandler(
  this: FastifyInstance,
  error: NodeJS.ErrnoException,
  socket: Duplex,
): void {
  const faultline = (this as { faultline?: FaultlineDecoration }).faultline;
  const code = typeof error.code === 'string' ? error.code : '';
  if (code === 'ECONNRESET' || socket.destroyed || !faultline) {
    socket.destroy();
    return;
  }
  const reply = () => {
    // The client is gone, or the socket's write side is: there is no one to answer.
    if (socket.destroyed || !socket.writable) {
      socket.destroy();
      return;
    }
    const answer = faultline.answer(BY_CODE[code] ?? 'badRequest', requestPath(error));
    this.log.debug(
      { err: error, correlation_id: answer.headers['x-correlation-id'] },
      'connection refused by the HTTP parser',
    );
    const head = [`HTTP/1.1 ${answer.status} ${reasonPhrase(answer.status)}`, 'connection: close'];
    for (const [name, value] of Object.entries(answer.headers)) head.push(`${name}: ${value}`);
    const body = Buffer.from(answer.body);
    head.push(`content-length: ${body.length}`);
    // end(), not destroy(): the answer must be flushed before the FIN; a client that keeps
    // sending after it gets cut after a short grace period.
    socket.end(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), body]));
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  };
  const pending = (socket as { _httpMessage?: ServerResponse | null })._httpMessage;
  // The body of the request being answered broke mid-way (bad chunk framing, the client
  // half-closed): its route owns the exchange and is still reading. A second answer cannot
  // be slotted in; closing the connection ends the route's read (and its clean-up runs).
  if (pending && !pending.writableFinished && !pending.req.complete) {
    socket.destroy();
    return;
  }
  // A pipelined request before the bad one still has its answer pending on this socket:
  // HTTP/1.1 answers in order, so ours follows it (a status line now would corrupt it).
  if (pending && !pending.writableFinished) {
    pending.once('finish', reply);
    pending.once('close', () => {
      if (!pending.writableFinished) socket.destroy();
    });
  } else reply();
}

/**
 * Answers an `Expect` other than `100-continue` (Node's `checkExpectation` event) with the
 * `expectationFailed` fault, where Node would send a bare 417 with no body. The plugin
 * installs it on the server when nothing else listens for that event.
 * @example server.on('checkExpectation', (req, res) => answerExpectation(app.faultline, req, res));
 */
export function answerExpectation(
  faultline: FaultlineDecoration,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  const answer = faultline.answer('expectationFailed', pathOnly(request.url));
  const body = Buffer.from(answer.body);
  response.writeHead(answer.status, {
    ...answer.headers,
    connection: 'close',
    'content-length': body.length,
  });
  response.end(body);
  // The unread body (if any) is of no use: do not let it keep the connection busy.
  request.resume();
}

/** The path of the refused request, when the parser got that far (for formats that echo it). */
function requestPath(error: NodeJS.ErrnoException): string | undefined {
  const raw = (error as { rawPacket?: unknown }).rawPacket;
  if (!Buffer.isBuffer(raw)) return undefined;
  const line = raw.subarray(0, Math.min(raw.length, 2048)).toString('latin1').split('\r\n', 1)[0] ?? '';
  return pathOnly(line.split(' ')[1]);
}

function pathOnly(target: string | undefined): string | undefined {
  if (target === undefined || !target.startsWith('/')) return undefined;
  const query = target.indexOf('?');
  return query === -1 ? target : target.slice(0, query);
}
