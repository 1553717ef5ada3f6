import { connect } from 'node:net';
import { recordResponse } from './contract.ts';

/**
 * What came back on a raw connection: the parsed first response (if any) and whether the
 * server closed the connection.
 * @example const { response, closed }: RawExchange = await rawExchange(server.url, 'GET / HTTP/1.1\r\n\r\n');
 */
export interface RawExchange {
  readonly response: Response | undefined;
  /** Every byte the server sent, as latin1 text (for assertions on framing). */
  readonly raw: string;
  /** The server ended or reset the connection (before a complete answer, or `untilClose`). */
  readonly closed: boolean;
}

/**
 * Writes `bytes` as they are to a new TCP connection (no HTTP client in between: the request
 * may be malformed on purpose), then reads until a first complete response has arrived (or,
 * with `untilClose`, until the server closes), or `timeoutMs` passes.
 * `reset` sends a TCP RST right after the bytes, as a client that vanishes does; `end` sends a
 * FIN (half-close: the client will send nothing more but still reads). The first
 * response is recorded for the contract check of the server at `origin` (see contract.ts).
 * @example await rawExchange(server.url, 'GET /docs/errors%ZZ HTTP/1.1\r\nHost: x\r\n\r\n');
 */
export function rawExchange(
  origin: string,
  bytes: string | Buffer,
  options: {
    readonly timeoutMs?: number;
    readonly reset?: boolean;
    readonly end?: boolean;
    readonly untilClose?: boolean;
  } = {},
): Promise<RawExchange> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (closed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const data = Buffer.concat(chunks);
      const response = parseResponse(data);
      if (response) {
        const text = typeof bytes === 'string' ? bytes : bytes.toString('latin1');
        const [method = 'GET', target = '/'] = text.split(' ', 2);
        const path = target.startsWith('/') ? target.split('?')[0]! : '/';
        recordResponse(origin, method, path, response.clone());
      }
      resolve({ response, raw: data.toString('latin1'), closed });
    };
    const timer = setTimeout(() => finish(false), options.timeoutMs ?? 10_000);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (!options.untilClose && complete(Buffer.concat(chunks))) finish(false);
    });
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
    socket.write(bytes, () => {
      if (options.reset) socket.resetAndDestroy();
      else if (options.end) socket.end();
    });
  });
}

/** Whether `data` holds a whole first response (head and its Content-Length of body). */
function complete(data: Buffer): boolean {
  const end = data.indexOf('\r\n\r\n');
  if (end === -1) return false;
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(data.subarray(0, end).toString('latin1'))?.[1];
  return length !== undefined && data.length >= end + 4 + Number(length);
}

/** The first HTTP/1.1 response in `data` (Content-Length framed), or undefined. */
function parseResponse(data: Buffer): Response | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const [statusLine = '', ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(statusLine.split(' ')[1]);
  if (!Number.isInteger(status) || status < 200 || status > 599) return undefined;
  const headers = new Headers();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  const length = Number(headers.get('content-length') ?? 0);
  return new Response(new Uint8Array(data.subarray(end + 4, end + 4 + length)), { status, headers });
}
