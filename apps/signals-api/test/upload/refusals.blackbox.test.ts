import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/index.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { UPLOAD_PATH, unlimitedUploadToken } from './client.ts';

// Every refusal sent before the body was read must reach the client as an answer, never as
// a reset (EPIPE/ECONNRESET): 100 of each kind, with undici's fetch and with curl, with and
// without `Expect: 100-continue`. Shedding comes from the reception limit (1), held by an
// upload that stalls for the whole file.
const COUNT = 100;
// The limit is lowered for this server (SIGNALS_MAX_UPLOAD_BYTES) so a hundred oversized
// bodies cost the client megabytes, not gigabytes; the 100 MB default is tested in upload.blackbox.
const UPLOAD_LIMIT = 4 * 1024 * 1024;
const OVERSIZED_UPLOAD = UPLOAD_LIMIT + 1024 * 1024;
const OVERSIZED_AUTH = 2 * 1024 * 1024;
const SHED_BODY = 3 * 1024 * 1024;

let server: TestServer;
let token: string;
let staller: Socket;
let dir: string;
const files: Record<'upload' | 'auth' | 'shed', string> = { upload: '', auth: '', shed: '' };

beforeAll(async () => {
  server = await startServer({
    SIGNALS_MAX_RECEIVING_UPLOADS: '1',
    SIGNALS_MAX_UPLOAD_BYTES: String(UPLOAD_LIMIT),
    SIGNALS_BODY_IDLE_TIMEOUT_MS: '120000',
    // Small, so 100 oversized bodies stay cheap; the answer has gone out long before.
    SIGNALS_LINGER_BYTES: String(4 * 1024 * 1024),
    SIGNALS_LINGER_MS: '2000',
    SIGNALS_AUTH_RPM_PER_IP: '100000',
  });
  token = await unlimitedUploadToken(server);
  dir = mkdtempSync(join(tmpdir(), 'signals-refusals-'));
  files.upload = join(dir, 'big.mp4');
  files.auth = join(dir, 'auth.json');
  files.shed = join(dir, 'shed.bin');
  writeFileSync(files.upload, Buffer.alloc(OVERSIZED_UPLOAD));
  writeFileSync(files.auth, Buffer.alloc(OVERSIZED_AUTH, 0x20));
  writeFileSync(files.shed, multipartBody(SHED_BODY));
  staller = await holdReceptionSlot(server, token);
}, 60_000);

afterAll(async () => {
  staller?.destroy();
  rmSync(dir, { recursive: true, force: true });
  await server?.stop();
});

const BOUNDARY = 'refusal-boundary';

/** A well-formed multipart head and `size` bytes of an MP4-named file (content irrelevant: it is never read). */
function multipartBody(size: number): Buffer {
  const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.mp4"\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), Buffer.alloc(size), Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]);
}

/** An authenticated upload that sends its head and 16 KB, then nothing: it holds the one reception slot. */
function holdReceptionSlot(target: TestServer, bearer: string): Promise<Socket> {
  const { hostname, port } = new URL(target.url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      socket.write(
        `POST ${UPLOAD_PATH} HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer ${bearer}\r\n` +
          `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${3 * 1024 * 1024}\r\n\r\n`,
      );
      const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.mp4"\r\n\r\n`;
      const video = readFileSync(fixturePath('good.mp4')).subarray(0, 16 * 1024);
      socket.write(Buffer.concat([Buffer.from(head), video]), () => setTimeout(() => resolve(socket), 300));
    });
    socket.once('error', reject);
  });
}

type Outcome = { status: number; id: unknown } | { error: string };

/** Sends the request with undici's fetch and reads the whole answer. */
async function viaFetch(path: string, headers: Record<string, string>, body: BodyInit): Promise<Outcome> {
  try {
    const res = await fetch(`${server.url}${path}`, { method: 'POST', headers, body });
    const json = (await res.json()) as { error_id?: unknown };
    return { status: res.status, id: json.error_id };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { error: cause?.code ?? String(error) };
  }
}

/** One curl process sending `COUNT` requests in sequence; one outcome per request. */
function viaCurl(
  path: string,
  headers: readonly string[],
  file: string,
  expect: boolean,
): Promise<Outcome[]> {
  const config: string[] = [];
  for (let i = 0; i < COUNT; i++) {
    if (i > 0) config.push('next');
    config.push(
      `url = "${server.url}${path}"`,
      'request = "POST"',
      // Streamed from the file (--data-binary would load it into memory for every request).
      `upload-file = "${file}"`,
      ...headers.map((header) => `header = "${header}"`),
      // curl adds Expect itself for bodies over 1 MiB; an empty value turns it off.
      `header = "${expect ? 'Expect: 100-continue' : 'Expect:'}"`,
      'output = "/dev/null"',
      'write-out = "%{http_code} %{exitcode}\\n"',
      'silent',
    );
  }
  const configFile = join(dir, `curl-${Math.random().toString(36).slice(2)}.cfg`);
  writeFileSync(configFile, config.join('\n'));
  return new Promise((resolve, reject) => {
    execFile('curl', ['--config', configFile], { maxBuffer: 1 << 20 }, (error, stdout) => {
      if (error && !stdout) return reject(error);
      resolve(
        stdout
          .trim()
          .split('\n')
          .map((line) => {
            const [status, exit] = line.split(' ');
            return exit === '0' ? { status: Number(status), id: 'curl' } : { error: `curl exit ${exit}` };
          }),
      );
    });
  });
}

function summarise(outcomes: readonly Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) {
    const key = 'error' in outcome ? `reset:${outcome.error}` : `${outcome.status} ${String(outcome.id)}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

const auth = { 'content-type': 'application/json' };
const upload = () => ({
  authorization: `Bearer ${token}`,
  'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
});

describe('early refusals reach the client (lingering close, Expect: 100-continue)', () => {
  it(`undici fetch: ${COUNT} oversized auth bodies, ${COUNT} oversized uploads, ${COUNT} shed uploads`, async () => {
    const big = new Uint8Array(OVERSIZED_UPLOAD);
    const authBody = new Uint8Array(OVERSIZED_AUTH).fill(0x20);
    const shedBody = new Uint8Array(multipartBody(SHED_BODY));
    const run = async (send: () => Promise<Outcome>) => {
      const out: Outcome[] = [];
      // Ten at a time: concurrent enough to overlap, gentle on a shared machine.
      for (let i = 0; i < COUNT; i += 10) out.push(...(await Promise.all(Array.from({ length: 10 }, send))));
      return out;
    };
    expect(summarise(await run(() => viaFetch('/v0/auth', auth, authBody)))).toEqual({
      '413 payload_too_large': COUNT,
    });
    expect(summarise(await run(() => viaFetch(UPLOAD_PATH, upload(), big)))).toEqual({ '413 ih4003': COUNT });
    expect(summarise(await run(() => viaFetch(UPLOAD_PATH, upload(), shedBody)))).toEqual({
      '503 ih1002': COUNT,
    });
  }, 60_000);

  for (const expectContinue of [false, true]) {
    it(`curl ${expectContinue ? 'with' : 'without'} Expect: 100-continue: the same three kinds`, async () => {
      const uploadHeaders = Object.entries(upload()).map(([name, value]) => `${name}: ${value}`);
      const [a, u, s] = await Promise.all([
        viaCurl('/v0/auth', ['content-type: application/json'], files.auth, expectContinue),
        viaCurl(UPLOAD_PATH, uploadHeaders, files.upload, expectContinue),
        viaCurl(UPLOAD_PATH, uploadHeaders, files.shed, expectContinue),
      ]);
      expect(summarise(a)).toEqual({ '413 curl': COUNT });
      expect(summarise(u)).toEqual({ '413 curl': COUNT });
      expect(summarise(s)).toEqual({ '503 curl': COUNT });
    }, 60_000);
  }

  it('answers a refusable Expect: 100-continue with the refusal, never with 100 Continue', async () => {
    const { hostname, port } = new URL(server.url);
    const socket = connect({ host: hostname, port: Number(port) });
    const seen: Buffer[] = [];
    socket.on('data', (chunk) => seen.push(chunk));
    socket.write(
      `POST ${UPLOAD_PATH} HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer not-a-token\r\n` +
        `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: 5000000\r\nExpect: 100-continue\r\n\r\n`,
    );
    await new Promise((done) => socket.once('close', done));
    const text = Buffer.concat(seen).toString('latin1');
    expect(text).not.toContain('100 Continue');
    expect(text).toMatch(/^HTTP\/1\.1 401 /);
    expect(text.toLowerCase()).toContain('connection: close');
  });
});
