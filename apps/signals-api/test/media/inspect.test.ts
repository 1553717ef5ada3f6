import { statSync } from 'node:fs';
import { isApiError } from 'faultline';
import { afterAll, describe, expect, it } from 'vitest';
import { runFfprobe } from '../../src/media/ffprobe.ts';
import { inspect } from '../../src/media/inspect.ts';
import { MAX_SEGMENT_BYTES, type MediaInfo } from '../../src/media/media-info.ts';
import { BAD_FIXTURES, fixturePath, GOOD_FIXTURES, SOURCE } from '../fixtures/index.ts';
import { FFMPEG, FFPROBE, fixtureBytes, largesizeMp4, plainTransportStream, scratchDir } from './helpers.ts';

const scratch = scratchDir();
afterAll(() => scratch.cleanup());

/** The catalog id `inspect` rejects a file with (fails the test if it resolves). */
async function rejection(path: string, ffprobe = FFPROBE): Promise<string> {
  try {
    await inspect(path, ffprobe, { ffmpegPath: FFMPEG });
  } catch (error) {
    if (isApiError(error)) return error.id;
    throw error;
  }
  throw new Error(`${path} was accepted`);
}

function expectSourceFacts(media: MediaInfo) {
  expect(media.durationSeconds).toBeGreaterThan(SOURCE.durationSeconds - 0.05);
  expect(media.durationSeconds).toBeLessThan(SOURCE.durationSeconds + 0.15);
  expect(media.video).toMatchObject({ width: SOURCE.width, height: SOURCE.height, fps: SOURCE.fps });
}

describe('inspect: the good fixtures', () => {
  it.each(GOOD_FIXTURES.map((f) => [f.file, f] as const))('%s', async (file, fixture) => {
    const media = await inspect(fixturePath(file), FFPROBE, { ffmpegPath: FFMPEG });
    expect(media.container).toBe(fixture.container);
    expect(media.sizeBytes).toBe(statSync(fixturePath(file)).size);
    expect(media.video.codec).toBe(fixture.videoCodec);
    expect(media.audio?.codec).toBe(fixture.audioCodec);
    expectSourceFacts(media);
  });

  it('reads a plain .ts although the shipped ffprobe crashes on its SDT', async () => {
    const path = scratch.write('plain.ts', plainTransportStream());
    const direct = await runFfprobe(path, FFPROBE);
    // With the npm ffprobe this is the crash the workaround exists for; another ffprobe may just read it.
    if (!direct.ok) expect(direct.reason).toBe('crashed');
    const media = await inspect(path, FFPROBE, { ffmpegPath: FFMPEG });
    expect(media).toMatchObject({ container: 'mpegts', video: { codec: 'h264' }, audio: { codec: 'aac' } });
    expectSourceFacts(media);
  });

  it('reads an MP4 whose mdat has a 64-bit largesize header', async () => {
    const media = await inspect(scratch.write('largesize.mp4', largesizeMp4()), FFPROBE);
    expect(media.container).toBe('mp4');
    expectSourceFacts(media);
  });
});

describe('inspect: the bad fixtures', () => {
  it.each(BAD_FIXTURES.map((f) => [f.file, f.error] as const))('%s → %s', async (file, id) => {
    expect(await rejection(fixturePath(file))).toBe(id);
  });

  it('ih5005: over 32 MB (good.mp4 padded with a free box), refused before ffprobe runs', async () => {
    const good = fixtureBytes('good.mp4');
    const pad = Buffer.alloc(MAX_SEGMENT_BYTES - good.length + 1);
    pad.writeUInt32BE(pad.length, 0);
    pad.write('free', 4, 'latin1');
    const path = scratch.write('big.mp4', Buffer.concat([good, pad]));
    expect(statSync(path).size).toBe(MAX_SEGMENT_BYTES + 1);
    expect(await rejection(path, '/nonexistent/ffprobe')).toBe('ih5005');
  });

  it('ih5002 from the atom walk: an ISO-BMFF file with an impossible box header', async () => {
    const bytes = Buffer.from(fixtureBytes('good.mp4'));
    bytes.writeUInt32BE(4, 32);
    expect(await rejection(scratch.write('bad-box.mp4', bytes))).toBe('ih5002');
  });

  it('ih1001 when ffprobe is missing: our fault, not the file', async () => {
    expect(await rejection(fixturePath('good.mp4'), '/nonexistent/ffprobe')).toBe('ih1001');
  });

  it('keeps the cause for logs and out of the message', async () => {
    const error = await inspect(fixturePath('corrupted.mkv'), FFPROBE).catch((e: unknown) => e);
    expect(isApiError(error) && error.id).toBe('ih5002');
    expect(String((error as Error).cause)).toMatch(/ffprobe refused/);
    expect((error as Error).message).not.toMatch(/ffprobe|matroska|\//);
  });
});
