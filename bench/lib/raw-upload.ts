import { connect, type Socket } from 'node:net';
import type { MultipartBody } from './multipart.ts';

/** What the raw client saw of an oversize upload. */
export interface RawUploadResult {
  /** Status line of the answer, if one came. */
  readonly statusLine: string | undefined;
  /** The answer as received (head and body). */
  readonly response: string;
  /** Bytes of the request head (request line + headers), to subtract from what the server read. */
  readonly headBytes: number;
  /** Bytes the kernel accepted from this client (an upper bound: socket buffers hold some). */
  readonly clientWrote: number;
  /** The client's port: the server's count-read records name it. */
  readonly localPort: number;
}

/**
 * Sends a POST declaring `declared` body bytes and keeps streaming `filler` (a real file, looped)
 * as fast as the server takes it, until the server closes the connection, the declared size is
 * sent, or `timeoutMs` passes. 127.0.0.1 only.
 * @example await oversizeUpload({ port, path: '/v0/upload/analyze', headers: {}, declared: 200 * 2 ** 20, body, filler });
 */
export function oversizeUpload(options: {
  readonly port: number;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly declared: number;
  readonly body: MultipartBody;
  readonly filler: Buffer;
  readonly timeoutMs?: number;
}): Promise<RawUploadResult> {
  const { port, declared, body, filler } = options;
  const lines = [
    `POST ${options.path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    `Content-Type: ${body.contentType}`,
    `Content-Length: ${declared}`,
    ...Object.entries(options.headers).map(([k, v]) => `${k}: ${v}`),
  ];
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`);
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let response = '';
    let closed = false;
    const timer = setTimeout(() => socket.destroy(), options.timeoutMs ?? 30_000);
    socket.on('data', (d: Buffer) => (response += d.toString('latin1')));
    socket.on('error', () => {}); // EPIPE / ECONNRESET once the server hangs up: expected
    socket.once('close', () => {
      closed = true;
      clearTimeout(timer);
      resolve({
        statusLine: /^HTTP\/1\.1 [^\r\n]+/.exec(response)?.[0],
        response,
        headBytes: head.length,
        clientWrote: socket.bytesWritten,
        localPort,
      });
    });
    let localPort = 0;
    socket.once('connect', async () => {
      localPort = socket.localPort ?? 0;
      socket.write(head);
      socket.write(body.head);
      let sent = body.head.length;
      let offset = 0;
      while (!closed && sent < declared) {
        const n = Math.min(64 * 1024, declared - sent, filler.length - offset);
        const chunk = filler.subarray(offset, offset + n);
        offset = (offset + n) % filler.length;
        sent += n;
        if (!socket.write(chunk)) await drainOrClose(socket);
      }
      if (!closed) socket.end();
    });
  });
}

function drainOrClose(socket: Socket): Promise<void> {
  return new Promise((go) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      go();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}
