import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { isApiError } from 'faultline';
import { afterAll, describe, expect, it } from 'vitest';
import { keyframesOnly, measureArgs } from '../../src/analysis/measure.ts';
import { cpuBudgetMs, createMediaAnalyzer } from '../../src/analysis/media-analyzer.ts';
import type { IncludeOption, Signal } from '../../src/analysis/types.ts';
import { inspect } from '../../src/media/inspect.ts';
import type { MediaInfo } from '../../src/media/media-info.ts';
import { fixturePath, GOOD_FIXTURES, SOURCE } from '../fixtures/index.ts';
import { FFMPEG, FFPROBE, scratchDir } from '../media/helpers.ts';

const scratch = scratchDir();
afterAll(() => scratch.cleanup());

const analyzer = createMediaAnalyzer({ ffmpegPath: FFMPEG });
/** Encoders shift timestamps a little (AAC/MP3 priming, Matroska/TS start offsets). */
const TOLERANCE = 0.12;

async function analyze(path: string, include: readonly IncludeOption[] = []) {
  const media = await inspect(path, FFPROBE, { ffmpegPath: FFMPEG });
  const result = await analyzer.analyze(path, media, { include, signal: AbortSignal.timeout(60_000) });
  return { media, result };
}

const ofType = (signals: readonly Signal[], type: string) => signals.filter((s) => s.type === type);

describe.each(GOOD_FIXTURES.map((f) => [f.file] as const))('media analyzer on %s', (file) => {
  it('finds the two scene cuts the fixture was made with, and no other', async () => {
    const { result } = await analyze(fixturePath(file));
    const cuts = ofType(result.signals, 'video.scene_cut');
    expect(cuts).toHaveLength(SOURCE.sceneCuts.length);
    for (const [i, at] of SOURCE.sceneCuts.entries()) {
      expect(Math.abs(cuts[i]!.start - at)).toBeLessThan(TOLERANCE);
      expect(cuts[i]!.probability).toBeGreaterThan(0.3);
    }
  });

  it('finds the three stretches of sound and the silences around them', async () => {
    const { result, media } = await analyze(fixturePath(file));
    const speech = ofType(result.signals, 'audio.speech');
    expect(speech.map((s) => [s.start, s.end])).toHaveLength(SOURCE.speech.length);
    for (const [i, [start, end]] of SOURCE.speech.entries()) {
      expect(Math.abs(speech[i]!.start - start)).toBeLessThan(TOLERANCE);
      expect(Math.abs(speech[i]!.end - end)).toBeLessThan(TOLERANCE);
      expect(speech[i]!.probability).toBeGreaterThan(0.8);
    }
    const silences = ofType(result.signals, 'audio.silence');
    expect(silences).toHaveLength(4);
    expect(silences.at(-1)!.end).toBeCloseTo(media.durationSeconds, 2);
    const [loudness] = ofType(result.signals, 'audio.loudness');
    const lufs = Number(/(-?\d+\.\d) LUFS/.exec(loudness!.rationale)?.[1]);
    // The tone is loud (about -16 LUFS): a real measurement, not a placeholder.
    expect(lufs).toBeGreaterThan(-25);
    expect(lufs).toBeLessThan(-10);
  });

  it('reports no engagement it cannot measure, and conversation quality only on request', async () => {
    const plain = await analyze(fixturePath(file));
    expect(plain.result.engagement_state).toEqual([]);
    expect(plain.result.conversation_quality).toBeUndefined();
    const asked = await analyze(fixturePath(file), [
      'conversation_quality_overall',
      'conversation_quality_timeline',
    ]);
    const overall = asked.result.conversation_quality?.overall;
    // 4.8 s of sound in 8 s.
    expect(overall?.speech_ratio).toBeGreaterThan(0.55);
    expect(overall?.speech_ratio).toBeLessThan(0.65);
    expect(overall?.turns).toBe(3);
    expect(asked.result.conversation_quality?.timeline).toHaveLength(2);
  });
});

describe('media analyzer, other cases', () => {
  it('measures a video without audio: scene cuts only, conversation "not measurable"', async () => {
    const path = join(scratch.dir, 'silent-film.mp4');
    execFileSync(FFMPEG, ['-v', 'error', '-y', '-i', fixturePath('good.mp4'), '-an', '-c', 'copy', path]);
    const { media, result } = await analyze(path, ['conversation_quality_overall']);
    expect(media.audio).toBeNull();
    expect(result.signals.map((s) => s.type)).toEqual(['video.scene_cut', 'video.scene_cut']);
    expect(result.conversation_quality?.overall?.speech_ratio).toBeNull();
  });

  it('stops ffmpeg and answers ih1001 when the deadline passes', async () => {
    const media = await inspect(fixturePath('good.avi'), FFPROBE);
    const error = await analyzer
      .analyze(fixturePath('good.avi'), media, {
        include: [],
        signal: AbortSignal.abort(new Error('deadline')),
      })
      .catch((e: unknown) => e);
    expect(isApiError(error) && error.id).toBe('ih1001');
  });

  it('answers ih1001 when ffmpeg cannot be run', async () => {
    const media = await inspect(fixturePath('good.mp4'), FFPROBE);
    const broken = createMediaAnalyzer({ ffmpegPath: '/nonexistent/ffmpeg' });
    const error = await broken
      .analyze(fixturePath('good.mp4'), media, { include: [], signal: AbortSignal.timeout(10_000) })
      .catch((e: unknown) => e);
    expect(isApiError(error) && error.id).toBe('ih1001');
  });

  it('answers ih5002 when ffmpeg cannot decode what ffprobe described', async () => {
    // Keep the container readable, but point the analysis at a file that is not it any more.
    const media = await inspect(fixturePath('good.mp4'), FFPROBE);
    const error = await analyzer
      .analyze(fixturePath('corrupted.mkv'), media, { include: [], signal: AbortSignal.timeout(10_000) })
      .catch((e: unknown) => e);
    expect(isApiError(error) && error.id).toBe('ih5002');
  });
});

describe('analysis cost bounds', () => {
  const media = (width: number | null, height: number | null, fps: number | null): MediaInfo => ({
    container: 'mp4',
    sizeBytes: 1,
    durationSeconds: 60,
    video: { index: 0, codec: 'h264', width, height, fps },
    audio: null,
  });

  it('decodes every frame up to 640×360 at 60 fps, keyframes only past it or when the size is unknown', () => {
    expect(keyframesOnly(media(640, 360, 30))).toBe(false);
    expect(keyframesOnly(media(640, 360, 60))).toBe(false);
    expect(keyframesOnly(media(1280, 720, 30))).toBe(true);
    expect(keyframesOnly(media(3840, 2160, 30))).toBe(true);
    expect(keyframesOnly(media(null, null, 30))).toBe(true);
    const big = measureArgs('/tmp/x', media(3840, 2160, 30));
    expect(big.slice(big.indexOf('-skip_frame:v'), big.indexOf('-i'))).toEqual(['-skip_frame:v', 'nokey']);
    expect(measureArgs('/tmp/x', media(640, 360, 30))).not.toContain('-skip_frame:v');
    expect(measureArgs('/tmp/x', media(640, 360, 30)).join(' ')).toContain('-threads 1');
  });

  it('grants CPU in proportion to the duration, never under one minute’s worth', () => {
    expect(cpuBudgetMs(1800, 3000)).toBe(90_000);
    expect(cpuBudgetMs(90, 3000)).toBe(4500);
    expect(cpuBudgetMs(5, 3000)).toBe(3000);
  });
});
