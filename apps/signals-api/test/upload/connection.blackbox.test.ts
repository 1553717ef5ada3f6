import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureBytes } from '../media/helpers.ts';
import { LEGACY_UNTIL, startServer, type TestServer } from '../support/server.ts';
import { spooled, UPLOAD_PATH, uploadFixture, uploadToken } from './client.ts';

const BOUNDARY = 'faultline-connection-test';

/** Waits for a condition the server reaches on its own (a file appears, a file goes); bounded. */
async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting until ${what}`);
    await new Promise((done) => setTimeout(done, 10));
  }
}

/** Reads one HTTP/1.1 response with a Content-Length body off a socket that stays open. */
function readResponse(socket: Socket): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    let data = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const end = data.indexOf('\r\n\r\n');
      if (end === -1) return;
      const headers = data.subarray(0, end).toString('latin1');
      const length = Number(/content-length: (\d+)/i.exec(headers)?.[1] ?? 0);
      if (data.length < end + 4 + length) return;
      socket.off('data', onData);
      resolve({
        status: Number(headers.split(' ')[1]),
        headers,
        body: data.subarray(end + 4, end + 4 + length).toString('utf8'),
      });
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

describe('upload connections', () => {
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await startServer({ SIGNALS_LEGACY_UNTIL: LEGACY_UNTIL.structured });
    token = await uploadToken(server);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('removes the partial temp file when the client disconnects mid-upload, and keeps serving', async () => {
    const { port } = new URL(server.url);
    const socket = connect({ host: '127.0.0.1', port: Number(port) });
    socket.on('error', () => {});
    const partHead = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="clip.mp4"\r\n\r\n`;
    socket.write(
      `POST ${UPLOAD_PATH} HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer ${token}\r\n` +
        `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: 5000000\r\n\r\n${partHead}`,
    );
    socket.write(fixtureBytes('good.mp4').subarray(0, 40_000));
    await until(() => spooled(server).length === 1, 'the upload is being spooled');
    socket.destroy();
    await until(() => spooled(server).length === 0, 'the partial upload is removed');
    expect((await uploadFixture(server, token, 'good.mp4')).status).toBe(200);
  });

  it('drains a small unread body after an early error, so the connection can be reused', async () => {
    const { port } = new URL(server.url);
    const socket = connect({ host: '127.0.0.1', port: Number(port) });
    const body = Buffer.concat([
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="clip.mp4"\r\n\r\n`,
      ),
      fixtureBytes('good.mp4'),
      Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
    ]);
    // Refused in onRequest for its query parameter: not one body byte was needed for that.
    socket.write(
      `POST ${UPLOAD_PATH}?verbose=1 HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer ${token}\r\n` +
        `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    socket.write(body);
    const refused = await readResponse(socket);
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body)).toMatchObject({ error_id: 'ih4005' });
    expect(refused.headers).not.toMatch(/connection: close/i);
    socket.write('GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n');
    expect((await readResponse(socket)).status).toBe(200);
    socket.destroy();
  });
});
