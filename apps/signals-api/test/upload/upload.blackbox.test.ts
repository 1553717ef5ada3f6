import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_UPLOAD_BYTES } from '../../src/config.ts';
import { MAX_SEGMENT_BYTES } from '../../src/media/media-info.ts';
import { BAD_FIXTURES, fixturePath, GOOD_FIXTURES, SOURCE } from '../fixtures/index.ts';
import { fixtureBytes } from '../media/helpers.ts';
import {
  expectCatalogError,
  LEGACY_UNTIL,
  startServer,
  type TestServer,
  type TransitionMode,
} from '../support/server.ts';
import { rawRequest, spooled, UPLOAD_PATH, upload, uploadFixture, uploadToken } from './client.ts';

const BOUNDARY = 'faultline-test-boundary';

describe.each(['legacy', 'structured'] as const)(
  'POST /v0/upload/analyze, media analyzer (%s errors)',
  (mode: TransitionMode) => {
    let server: TestServer;
    let token: string;
    const expectError = (res: Response, id: string) => expectCatalogError(res, id, { transitionMode: mode });

    beforeAll(async () => {
      server = await startServer({ SIGNALS_LEGACY_UNTIL: LEGACY_UNTIL[mode] });
      token = await uploadToken(server);
    });
    afterAll(async () => {
      await server?.stop();
    });
    // Every test, success or error: nothing may stay behind in the spool directory.
    afterEach(() => {
      expect(spooled(server)).toEqual([]);
    });

    describe('a valid upload of each good fixture answers real measurements', () => {
      it.each(GOOD_FIXTURES.map((f) => [f.file, f] as const))('%s', async (file, fixture) => {
        const res = await uploadFixture(server, token, file, [['include[]', 'conversation_quality_overall']]);
        expect(res.status).toBe(200);
        const body = (await res.json()) as Record<string, unknown> & {
          video: Record<string, unknown>;
          signals: { type: string; start: number; end: number; probability: number; rationale: string }[];
        };
        expect(Object.keys(body).sort()).toEqual(
          [
            'analyzer',
            'conversation_quality',
            'correlation_id',
            'engagement_state',
            'signals',
            'video',
          ].sort(),
        );
        expect(body['correlation_id']).toBe(res.headers.get('x-correlation-id'));
        expect(body['analyzer']).toBe('media');
        expect(body.video).toMatchObject({
          container: fixture.container,
          video_codec: fixture.videoCodec,
          audio_codec: fixture.audioCodec,
          width: SOURCE.width,
          height: SOURCE.height,
          fps: SOURCE.fps,
        });
        expect(Math.abs((body.video['duration_seconds'] as number) - SOURCE.durationSeconds)).toBeLessThan(
          0.15,
        );
        const cuts = body.signals.filter((s) => s.type === 'video.scene_cut').map((s) => s.start);
        expect(cuts).toHaveLength(2);
        for (const [i, at] of SOURCE.sceneCuts.entries()) expect(Math.abs(cuts[i]! - at)).toBeLessThan(0.12);
        expect(body.signals.filter((s) => s.type === 'audio.speech')).toHaveLength(3);
        expect(body['engagement_state']).toEqual([]);
        for (const s of body.signals) {
          expect(s.probability).toBeGreaterThanOrEqual(0);
          expect(s.probability).toBeLessThanOrEqual(1);
          expect(s.rationale.length).toBeGreaterThan(20);
        }
      });

      it('a .ts name for the same transport stream, and conversation_quality only when asked', async () => {
        const res = await uploadFixture(server, token, 'good.m2ts', [], 'clip.ts');
        expect(res.status).toBe(200);
        expect(await res.json()).not.toHaveProperty('conversation_quality');
      });
    });

    describe('ih4001: no video file', () => {
      it('the body is not multipart (JSON, text, none at all)', async () => {
        const post = (init: RequestInit) =>
          fetch(`${server.url}${UPLOAD_PATH}`, {
            method: 'POST',
            ...init,
            headers: { authorization: `Bearer ${token}`, ...init.headers },
          });
        await expectError(
          await post({ body: '{"file":"x"}', headers: { 'content-type': 'application/json' } }),
          'ih4001',
        );
        await expectError(
          await post({ body: 'just text', headers: { 'content-type': 'text/plain' } }),
          'ih4001',
        );
        await expectError(await post({}), 'ih4001');
      });

      it('the form has no file part, or "file" is a text field', async () => {
        await expectError(
          await upload(server, token, [['include[]', 'conversation_quality_overall']]),
          'ih4001',
        );
        await expectError(await upload(server, token, [['file', 'good.mp4']]), 'ih4001');
      });

      it('the file is sent under another field name', async () => {
        await expectError(
          await upload(server, token, [['video', fixtureBytes('good.mp4'), 'good.mp4']]),
          'ih4001',
        );
      });

      it('the multipart body is cut off or malformed', async () => {
        const head = [
          `--${BOUNDARY}`,
          'Content-Disposition: form-data; name="file"; filename="a.mp4"',
          '',
          '',
        ].join('\r\n');
        const truncated = Buffer.concat([Buffer.from(head), fixtureBytes('good.mp4').subarray(0, 20_000)]);
        const res = await fetch(`${server.url}${UPLOAD_PATH}`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
          },
          body: truncated,
        });
        await expectError(res, 'ih4001');
        const noBoundary = await fetch(`${server.url}${UPLOAD_PATH}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/form-data' },
          body: 'whatever',
        });
        await expectError(noBoundary, 'ih4001');
      });
    });

    describe('ih4002: not a supported video, by name or by content', () => {
      it('a text file named .mp4 (content check)', async () => {
        await expectError(await uploadFixture(server, token, 'not-a-video.mp4'), 'ih4002');
      });

      it('a real video with an unsupported or missing extension (name check)', async () => {
        await expectError(await uploadFixture(server, token, 'good.mp4', [], 'clip.txt'), 'ih4002');
        await expectError(await uploadFixture(server, token, 'good.mp4', [], 'clip'), 'ih4002');
      });

      it('an AVI named .mp4: name and content disagree', async () => {
        await expectError(await uploadFixture(server, token, 'good.avi', [], 'clip.mp4'), 'ih4002');
      });
    });

    describe('ih4003: over 100 MB', () => {
      it('is refused from Content-Length alone, after the client sent only 16 KB of body', async () => {
        const declared = MAX_UPLOAD_BYTES * 2;
        const head =
          `POST ${UPLOAD_PATH} HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer ${token}\r\n` +
          `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${declared}\r\n\r\n`;
        const { response, bodyBytesSent, bodyFinished } = await rawRequest(server.url, head, [
          Buffer.alloc(16 * 1024, 1),
        ]);
        expect(bodyBytesSent).toBeLessThanOrEqual(64 * 1024);
        expect(bodyFinished).toBe(true); // all 16 KB handed over, and the server answered without more
        expect(response.headers.get('connection')).toBe('close');
        await expectError(response, 'ih4003');
      });

      it('is cut off mid-stream when a chunked body passes the limit', async () => {
        const head =
          `POST ${UPLOAD_PATH} HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer ${token}\r\n` +
          `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nTransfer-Encoding: chunked\r\n\r\n`;
        const limitPlus = MAX_UPLOAD_BYTES + 24 * 1024 * 1024;
        const good = fixtureBytes('good.mp4');
        const { response, bodyFinished } = await rawRequest(
          server.url,
          head,
          chunkedUpload(good, limitPlus),
          { timeoutMs: 30_000 },
        );
        // The body was never finished (no final chunk was even due): the server answered mid-stream.
        expect(bodyFinished).toBe(false);
        await expectError(response, 'ih4003');
      });
    });

    it('ih4004: longer than 30 minutes', async () => {
      await expectError(await uploadFixture(server, token, 'long.mp4'), 'ih4004');
    });

    describe('ih4005: invalid parameters, named in the message', () => {
      it('an unknown include[] value', async () => {
        const body = await expectError(
          await uploadFixture(server, token, 'good.mp4', [['include[]', 'mood']]),
          'ih4005',
        );
        expect(body['message']).toMatch(/"include\[\]".*"mood"/);
      });

      it('an unknown form field, before or after the file', async () => {
        const before = await upload(server, token, [
          ['debug', '1'],
          ['file', fixtureBytes('good.mp4'), 'good.mp4'],
        ]);
        expect((await expectError(before, 'ih4005'))['message']).toMatch(/"debug"/);
        const after = await uploadFixture(server, token, 'good.mp4', [
          ['include', 'conversation_quality_overall'],
        ]);
        expect((await expectError(after, 'ih4005'))['message']).toMatch(/"include"/);
      });

      it('a query parameter (the endpoint takes none)', async () => {
        const res = await upload(server, token, [['file', fixtureBytes('good.mp4'), 'good.mp4']], '?fast=1');
        expect((await expectError(res, 'ih4005'))['message']).toMatch(/"fast"/);
      });

      it('a second file', async () => {
        const res = await upload(server, token, [
          ['file', fixtureBytes('good.mp4'), 'good.mp4'],
          ['file', fixtureBytes('good.mp4'), 'again.mp4'],
        ]);
        await expectError(res, 'ih4005');
      });
    });

    describe('ih5001–ih5007: media the service cannot analyse', () => {
      it.each(BAD_FIXTURES.filter((f) => f.error.startsWith('ih5')).map((f) => [f.error, f.file] as const))(
        '%s: %s',
        async (id, file) => {
          await expectError(await uploadFixture(server, token, file), id);
        },
      );

      it('ih5005: a 32 MB + 1 byte MP4 (good.mp4 padded with a free box)', async () => {
        const good = readFileSync(fixturePath('good.mp4'));
        const pad = Buffer.alloc(MAX_SEGMENT_BYTES - good.length + 1);
        pad.writeUInt32BE(pad.length, 0);
        pad.write('free', 4, 'latin1');
        await expectError(
          await upload(server, token, [['file', Buffer.concat([good, pad]), 'big.mp4']]),
          'ih5005',
        );
      });
    });

    it('checks the token before reading anything (ih2008 for a 200 MB upload without one)', async () => {
      const head =
        `POST ${UPLOAD_PATH} HTTP/1.1\r\nHost: test\r\n` +
        `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${MAX_UPLOAD_BYTES * 2}\r\n\r\n`;
      const { response } = await rawRequest(server.url, head, [Buffer.alloc(1024)]);
      await expectError(response, 'ih2008');
    });
  },
);

/**
 * A chunked multipart body: part header, then good.mp4 repeated until `total` bytes,
 * generated lazily in 1 MB chunks; the closing boundary and final chunk are never reached
 * when `total` exceeds what the server accepts.
 */
function* chunkedUpload(seed: Buffer, total: number): Generator<Buffer> {
  const frame = (data: Buffer) =>
    Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]);
  yield frame(
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.mp4"\r\n\r\n`),
  );
  const block = Buffer.concat(
    Array.from({ length: Math.ceil((1024 * 1024) / seed.length) }, () => seed),
  ).subarray(0, 1024 * 1024);
  for (let sent = 0; sent < total; sent += block.length) yield frame(block);
  yield frame(Buffer.from(`\r\n--${BOUNDARY}--\r\n`));
  yield Buffer.from('0\r\n\r\n');
}
