import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { fixturePath } from '../fixtures/index.ts';
import { expectCatalogError, LEGACY_UNTIL, startServer, type TestServer } from '../support/server.ts';
import { spooled, UPLOAD_PATH, unlimitedUploadToken, upload, uploadFixture } from './client.ts';

// signals-api against hostile and unlucky clients, each server started as a user starts it.
const run = promisify(execFile);
const expectError = (res: Response, id: string) =>
  expectCatalogError(res, id, { transitionMode: 'structured' });
const BOUNDARY = 'hostile-boundary';
const STRUCTURED = { SIGNALS_LEGACY_UNTIL: LEGACY_UNTIL.structured, SIGNALS_AUTH_RPM_PER_IP: '1000000' };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'signals-hostile-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `data` on a fresh connection and never sends more; `answer` resolves once the server closes it. */
function stalledRequest(
  server: TestServer,
  ...data: (string | Buffer)[]
): { sent: Promise<void>; answer: Promise<{ head: string; body: string }> } {
  const { hostname, port } = new URL(server.url);
  const socket = connect({ host: hostname, port: Number(port) });
  const received: Buffer[] = [];
  socket.on('data', (chunk) => received.push(chunk));
  socket.on('error', () => {});
  const sent = new Promise<void>((done) => {
    for (const piece of data.slice(0, -1)) socket.write(piece);
    socket.write(data.at(-1)!, () => done());
  });
  const answer = new Promise<{ head: string; body: string }>((resolve) =>
    socket.once('close', () => {
      const text = Buffer.concat(received).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      resolve({ head: text.slice(0, split), body: text.slice(split + 4) });
    }),
  );
  return { sent, answer };
}

/** An authenticated upload that sends its head and 16 KB of a real MP4, then nothing, forever. */
async function stalledUpload(server: TestServer, token: string) {
  const part = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="talk.mp4"\r\n\r\n`;
  const { sent, answer } = stalledRequest(
    server,
    `POST ${UPLOAD_PATH} HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer ${token}\r\n` +
      `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${20 * 1024 * 1024}\r\n\r\n`,
    Buffer.concat([Buffer.from(part), readFileSync(fixturePath('good.mp4')).subarray(0, 16 * 1024)]),
  );
  await sent;
  return { answer };
}

describe('slots, budgets and early answers', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startServer({
      ...STRUCTURED,
      SIGNALS_BODY_IDLE_TIMEOUT_MS: '4000',
      SIGNALS_HEADERS_TIMEOUT_MS: '1500',
      SIGNALS_LINGER_MS: '500',
    });
    token = await unlimitedUploadToken(server);
  }, 30_000);
  afterAll(() => server?.stop());

  it('10 stalled uploads hold no slot: an honest upload gets 200; the body timeout closes them all, no temp file left', async () => {
    const stalled = await Promise.all(Array.from({ length: 10 }, () => stalledUpload(server, token)));
    // A login whose JSON stops halfway is cut off the same way (ih4006: the JSON never completed).
    const { answer: stalledAuth } = stalledRequest(
      server,
      'POST /v0/auth HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"key_id":',
    );
    const honest = await uploadFixture(server, token, 'good.mp4');
    expect(honest.status).toBe(200);
    expect(((await honest.json()) as { video: { container: string } }).video.container).toBe('mp4');

    for (const [answer, id] of [
      ...stalled.map((s) => [s.answer, 'ih4001'] as const),
      [stalledAuth, 'ih4006'] as const,
    ]) {
      // Resolves only once the server closed the connection: the client never does.
      const { head, body } = await answer;
      expect(head).toMatch(/^HTTP\/1\.1 400 /);
      expect(head.toLowerCase()).toContain('connection: close');
      expect(JSON.parse(body)).toMatchObject({ error_id: id });
    }
    expect(spooled(server)).toEqual([]);
  }, 60_000);

  it('cheap mistakes are answered 4xx before any shedding: concurrent empty bodies and wrong fields get ih4001', async () => {
    const empty = () =>
      fetch(`${server.url}${UPLOAD_PATH}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    const wrongField = () =>
      upload(server, token, [['video', readFileSync(fixturePath('good.mp4')), 'a.mp4']]);
    const answers = await Promise.all([empty(), empty(), empty(), empty(), wrongField(), wrongField()]);
    for (const res of answers) await expectError(res, 'ih4001');
  });

  it('1,000 random-credential auths at concurrency 50 leave an upload in parallel unharmed; every one is ih2006', async () => {
    const statuses: Record<string, number> = {};
    let next = 0;
    const worker = async () => {
      while (next < 1000) {
        next++;
        const res = await fetch(`${server.url}/v0/auth`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            key_id: `key_${Math.random().toString(36).slice(2)}`,
            key_secret: `sk_${Math.random().toString(36).slice(2)}`,
            scopes: ['interhumanai.upload'],
          }),
        });
        const id = String(((await res.json()) as { error_id?: string }).error_id);
        statuses[`${res.status} ${id}`] = (statuses[`${res.status} ${id}`] ?? 0) + 1;
      }
    };
    const [uploaded] = await Promise.all([
      uploadFixture(server, token, 'good.mp4'),
      ...Array.from({ length: 50 }, worker),
    ]);
    expect(uploaded.status).toBe(200);
    expect(statuses).toEqual({ '401 ih2006': 1000 });
  }, 60_000);

  it('headers that never finish are cut off by the headers timeout', async () => {
    const { hostname, port } = new URL(server.url);
    const socket = connect({ host: hostname, port: Number(port) });
    const seen: Buffer[] = [];
    socket.on('data', (chunk) => seen.push(chunk));
    socket.on('error', () => {});
    socket.write('POST /v0/auth HTTP/1.1\r\nHost: test\r\nContent-Type: appl');
    await new Promise((done) => socket.once('close', done));
    // The server closed it; whatever answer precedes the close is a 4xx (408 today).
    const text = Buffer.concat(seen).toString('latin1');
    if (text !== '') expect(text).toMatch(/^HTTP\/1\.1 4\d\d /);
  }, 20_000);

  it('an honest upload sent with Expect: 100-continue (curl) is invited and analysed', async () => {
    const { stdout } = await run('curl', [
      ...['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-X', 'POST', `${server.url}${UPLOAD_PATH}`],
      ...['-H', `Authorization: Bearer ${token}`, '-H', 'Expect: 100-continue'],
      ...['-F', `file=@${fixturePath('good.mp4')}`],
    ]);
    expect(stdout).toBe('200');
  }, 20_000);

  it('a token in Sec-WebSocket-Protocol counts only on a WebSocket upgrade, not on a plain POST', async () => {
    const res = await fetch(`${server.url}${UPLOAD_PATH}`, {
      method: 'POST',
      headers: { 'sec-websocket-protocol': `access_token, ${token}` },
    });
    await expectError(res, 'ih2008');
  });

  it('a Matroska file with a damaged EBML header is a corrupted video (ih5002), not an unsupported type', async () => {
    const good = readFileSync(fixturePath('good.mkv'));
    const badSize = Buffer.from(good);
    badSize[4] = 0x00; // the header's size field: no valid length
    const badElement = Buffer.from(good);
    badElement.fill(0x00, 5, 24); // the elements inside the header, DocType among them
    for (const bytes of [badSize, badElement])
      await expectError(await upload(server, token, [['file', bytes, 'talk.mkv']]), 'ih5002');
  });
});

describe('analysis cost is bounded by the video’s duration', () => {
  let video: Buffer;
  beforeAll(async () => {
    // 3840×2160, 30 fps, 29 min 50 s of gray: 5 s encoded once, then looped without re-encoding.
    const { ffmpegPath } = loadConfig({});
    const clip = join(dir, 'gray5s.mp4');
    const long = join(dir, 'gray4k.mp4');
    const lavfi = 'color=gray:s=3840x2160:r=30';
    await run(ffmpegPath, [...['-y', '-v', 'error', '-f', 'lavfi', '-i', lavfi, '-t', '5'], ...x264, clip]);
    await run(ffmpegPath, ['-y', '-v', 'error', '-stream_loop', '357', '-i', clip, '-c', 'copy', long]);
    video = readFileSync(long);
  }, 60_000);
  const x264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '150'];

  it('a 4K 30-minute video is analysed from keyframes within the default budget, and leaves no temp file', async () => {
    const server = await startServer(STRUCTURED);
    try {
      const res = await upload(server, await unlimitedUploadToken(server), [['file', video, 'gray.mp4']]);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { video: Record<string, unknown> };
      expect(body.video).toMatchObject({ width: 3840, height: 2160, fps: 30, duration_seconds: 1790 });
      expect(spooled(server)).toEqual([]);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('past the CPU budget per video-minute the answer is ih5007 (422, not retryable), never a retryable 500', async () => {
    // 5 ms of CPU per video-minute: 150 ms for this file, far below what even keyframes need.
    const server = await startServer({ ...STRUCTURED, SIGNALS_ANALYSIS_CPU_MS_PER_MINUTE: '5' });
    try {
      const res = await upload(server, await unlimitedUploadToken(server), [['file', video, 'gray.mp4']]);
      const body = await expectError(res, 'ih5007');
      expect(String(body['message'])).toContain('CPU-seconds per minute of video');
      expect(res.headers.get('retry-after')).toBeNull();
      expect(spooled(server)).toEqual([]);
    } finally {
      await server.stop();
    }
  }, 60_000);
});

describe('fault attribution: a crashing prober is our fault', () => {
  it('a valid MP4 with an ffprobe that segfaults → 500 ih1001, and /healthz reports the prober broken', async () => {
    const crasher = join(dir, 'ffprobe-crash');
    writeFileSync(crasher, '#!/bin/sh\nkill -SEGV $$\n');
    chmodSync(crasher, 0o755);
    const server = await startServer({ ...STRUCTURED, FFPROBE_PATH: crasher });
    try {
      await expectError(
        await uploadFixture(server, await unlimitedUploadToken(server), 'good.mp4'),
        'ih1001',
      );
      const health = await fetch(`${server.url}/healthz`);
      await expectError(health, 'ih1002');
      expect(health.headers.get('x-health-failing')).toBe('prober');
    } finally {
      await server.stop();
    }
  }, 30_000);
});
