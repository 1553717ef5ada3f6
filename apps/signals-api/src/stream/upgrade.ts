import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket, WebSocketServer } from 'ws';

// Not `import { ServerResponse } from 'node:http'`: an ES import of node:http reads all of its
// exports, and the lazy `WebSocket`/`CloseEvent`/`MessageEvent` among them load Node's whole
// bundled undici (~2.4 MB of live heap, walked by every full GC) that this service never uses.
const { ServerResponse: HttpResponse } = process.getBuiltinModule('node:http');

/** Where an upgrade request keeps its socket while Fastify runs the route's hooks. */
const UPGRADE = Symbol('signals.upgrade');

interface PendingUpgrade {
  readonly socket: Duplex;
  readonly head: Buffer;
  readonly response: ServerResponse;
}

type UpgradeRequest = IncomingMessage & { [UPGRADE]?: PendingUpgrade | undefined };

/**
 * Sends every WebSocket upgrade request through Fastify's router, as an ordinary request: its
 * hooks (correlation id, maintenance, authentication, limits) run, and any error is answered
 * as a normal HTTP response on the socket, which then closes — before any upgrade happens.
 * A route calls `acceptUpgrade` to complete the handshake.
 *
 * We do this rather than use @fastify/websocket because that plugin keeps the request and
 * reply of every connection alive for the socket's lifetime (its error handler closes over
 * them): kilobytes per idle session, which at 10,000 sessions is most of the memory.
 * @example routeUpgrades(app);
 */
export function routeUpgrades(app: FastifyInstance): void {
  app.server.on('upgrade', (request: UpgradeRequest, socket: Duplex, head: Buffer) => {
    // Node removes its own socket error listener before 'upgrade': a reset must not crash us.
    socket.on('error', destroyOnError);
    const response = new HttpResponse(request);
    response.assignSocket(socket as never);
    // Say so in the answer: the connection ends after it (an upgrade socket is never reused).
    response.shouldKeepAlive = false;
    // An HTTP answer (an error, or a route that does not upgrade) ends the connection.
    response.once('finish', endSocket);
    request[UPGRADE] = { socket, head, response };
    app.routing(request, response);
  });
}

/**
 * Whether this request asks to become a WebSocket (and reached us through `routeUpgrades`).
 * @example if (!isUpgrade(request)) throw signals.error('ih4005', { name: 'Upgrade', reason: '…' });
 */
export function isUpgrade(request: FastifyRequest): boolean {
  return (request.raw as UpgradeRequest)[UPGRADE] !== undefined;
}

/**
 * Completes the handshake of an authorised upgrade request: takes the socket away from
 * Fastify (nothing of the request stays referenced by it) and hands it to `ws`. Resolves
 * with the open WebSocket, or undefined when the client left before the handshake finished.
 * @example const socket = await acceptUpgrade(request, reply, wss);
 */
export function acceptUpgrade(
  request: FastifyRequest,
  reply: FastifyReply,
  wss: WebSocketServer,
): Promise<WebSocket | undefined> {
  const raw = request.raw as UpgradeRequest;
  const pending = raw[UPGRADE];
  if (!pending) return Promise.resolve(undefined);
  reply.hijack();
  // Not `delete`: that would turn the request into a slow dictionary object (a kilobyte of
  // garbage per handshake).
  raw[UPGRADE] = undefined;
  pending.response.detachSocket(pending.socket as never);
  return new Promise((resolve) => {
    if (pending.socket.destroyed) return resolve(undefined);
    const gone = () => resolve(undefined);
    pending.socket.once('close', gone);
    wss.handleUpgrade(raw, pending.socket, pending.head, (socket) => {
      pending.socket.off('error', destroyOnError);
      pending.socket.off('close', gone);
      resolve(socket);
    });
  });
}

function destroyOnError(this: Duplex): void {
  this.destroy();
}

/** Shared 'finish' listener: ends the socket a refusal was written to. */
function endSocket(this: ServerResponse): void {
  this.socket?.end();
}
