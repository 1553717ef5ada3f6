import type { Duplex } from 'node:stream';
import type { ApiError } from '../error/api-error.ts';
import { statusLine } from '../formats/reason.ts';
import type { EncodeContext, WireFormat } from '../formats/types.ts';
import { CORRELATION_HEADER } from '../http/correlation.ts';
import { type ProducedHook, reportProduced } from '../testing/hook.ts';

/**
 * Answers a WebSocket upgrade request with a plain HTTP error, before any upgrade: for servers
 * that handle `'upgrade'` themselves (`new WebSocketServer({ noServer: true })`). The client
 * gets the status, the error's headers (`Retry-After`…), `X-Correlation-ID` and the body in
 * your wire format — the same answer an HTTP route would give — then the connection closes.
 * @example
 * server.on('upgrade', (request, socket, head) => {
 *   if (!request.headers.authorization)
 *     return rejectUpgrade(socket, api.error('missing_token'), { format: structured, correlationId: randomUUID() });
 *   wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
 * });
 */
export function rejectUpgrade(
  socket: Duplex,
  error: ApiError,
  context: EncodeContext & {
    readonly format: WireFormat;
    /** Receives produced error ids (coverage); defaults to the process-wide hook `faultline/testing` installs; `false` turns it off. */
    readonly coverage?: ProducedHook | false | undefined;
  },
): void {
  if (context.coverage !== false) reportProduced(error, context.coverage);
  const encoded = context.format.encode(error, context);
  const body = JSON.stringify(encoded.body);
  const headers: Record<string, string> = {
    'content-type': context.format.contentType,
    'content-length': String(Buffer.byteLength(body)),
    [CORRELATION_HEADER]: context.correlationId,
    ...encoded.headers,
    connection: 'close',
  };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  if (socket.writable) socket.end(`HTTP/1.1 ${statusLine(encoded.status)}\r\n${head.join('')}\r\n${body}`);
  else socket.destroy();
}
