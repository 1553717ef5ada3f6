/**
 * The part of a `ws` WebSocket that faultline/ws uses, written out so that the published types
 * need neither `ws` nor `@types/ws`: a project that never imports faultline/ws compiles without
 * them, and one that does passes its real `ws` sockets (they satisfy this interface; a test
 * checks it against the installed `ws`). faultline/ws never imports `ws` at run time either.
 */

/**
 * A message as `ws` delivers it: a Buffer, an ArrayBuffer or fragments (its `RawData`).
 * @example const onMessage = (session: WsSession, data: WsData) => JSON.parse(String(data));
 */
export type WsData = Buffer | ArrayBuffer | Buffer[];

/**
 * What a session needs of its socket: a `ws` WebSocket is one.
 * @example
 * import { WebSocketServer } from 'ws';
 * new WebSocketServer({ port: 0 }).on('connection', (socket) => {
 *   const session = createWsSession(socket, randomUUID(), options); // socket: WebSocketLike
 * });
 */
export interface WebSocketLike {
  /** 1 (`WebSocket.OPEN`) while open. */
  readonly readyState: number;
  close(code?: number, reason?: string | Buffer): void;
  terminate(): void;
  send(data: string): void;
  pause(): void;
  resume(): void;
  // `never[]`: each listener gets the arguments `ws` emits for its event ('message', 'close', 'error').
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
}
