import { describe, expect, it } from 'vitest';
import { conversationQuality } from '../../src/analysis/conversation.ts';
import { deriveSignals, silenceSpans, soundSpans } from '../../src/analysis/derive.ts';
import { createLogParser } from '../../src/analysis/ffmpeg-log.ts';

/** Lines as ffmpeg prints them (copied from a real run on good.mp4, trimmed). */
const LOG = [
  '[silencedetect @ 0x1dfc4700] silence_start: 0',
  '[silencedetect @ 0x1dfc4700] silence_end: 0.400062 | silence_duration: 0.400062',
  '[Parsed_ebur128_1 @ 0x1dfc5900] t: 0.0999792  TARGET:-23 LUFS    M:-120.7 S:-120.7     I: -70.0 LUFS       LRA:   0.0 LU',
  '[Parsed_ebur128_1 @ 0x1dfc5900] t: 1.5        TARGET:-23 LUFS    M: -16.2 S:-120.7     I: -16.0 LUFS       LRA:   0.0 LU',
  '[silencedetect @ 0x1dfc4700] silence_start: 2.19985',
  '[Parsed_metadata_3 @ 0x1dfc1380] frame:0    pts:36864   pts_time:3',
  '[Parsed_metadata_3 @ 0x1dfc1380] lavfi.scene_score=0.734000',
  '[silencedetect @ 0x1dfc4700] silence_end: 3.39998 | silence_duration: 1.20012',
  '[silencedetect @ 0x1dfc4700] silence_start: 7.39996',
  '[Parsed_ebur128_1 @ 0x1dfc5900] Summary:',
  '',
  '  Integrated loudness:',
  '    I:         -15.8 LUFS',
  '    Threshold: -26.2 LUFS',
  '',
  '  Loudness range:',
  '    LRA:         3.1 LU',
  '    Threshold: -37.7 LUFS',
];

function parse(lines: readonly string[]) {
  const parser = createLogParser();
  for (const line of lines) parser.line(line);
  return parser.measurements;
}

describe('ffmpeg log parser', () => {
  it('reads silences, loudness frames, scene scores and the R128 summary', () => {
    const m = parse(LOG);
    expect(m.silences).toEqual([
      { start: 0, end: 0.400062 },
      { start: 2.19985, end: 3.39998 },
      { start: 7.39996, end: undefined },
    ]);
    expect(m.loudness).toEqual([
      { t: 0.0999792, momentary: -120.7 },
      { t: 1.5, momentary: -16.2 },
    ]);
    expect(m.scenes).toEqual([{ t: 3, score: 0.734 }]);
    expect(m.integrated).toBe(-15.8);
    expect(m.range).toBe(3.1);
  });

  it('does not take the per-frame I:/LRA: values for the summary', () => {
    expect(parse(LOG.slice(0, 4)).integrated).toBeUndefined();
  });

  it('ignores unrelated lines and a score without its frame line', () => {
    const m = parse([
      'Input #0, mov,mp4',
      '[Parsed_metadata_3 @ 0x1] lavfi.scene_score=0.9',
      'frame=   96 fps=0.0',
    ]);
    expect(m).toEqual({ silences: [], loudness: [], scenes: [], integrated: undefined, range: undefined });
  });
});

describe('derived signals', () => {
  const measurements = parse(LOG);

  it('closes an open silence at the end and finds the sound between silences', () => {
    const silences = silenceSpans(measurements, 8);
    expect(silences.at(-1)).toEqual({ start: 7.39996, end: 8 });
    expect(soundSpans(silences, 8).map((s) => [s.start, s.end])).toEqual([
      [0.400062, 2.19985],
      [3.39998, 7.39996],
    ]);
  });

  it('drops sound shorter than 0.2 s between two silences (a click)', () => {
    const spans = soundSpans(
      [
        { start: 0, end: 1 },
        { start: 1.1, end: 2 },
      ],
      2,
    );
    expect(spans).toEqual([]);
  });

  it('reports each measurement with its numbers in the rationale', () => {
    const signals = deriveSignals(measurements, { durationSeconds: 8, hasAudio: true });
    // By start, then end: the 0–0.4 s silence comes before the 0–8 s loudness summary.
    expect(signals.map((s) => s.type)).toEqual([
      'audio.silence',
      'audio.loudness',
      'audio.speech',
      'audio.silence',
      'video.scene_cut',
      'audio.speech',
      'audio.silence',
    ]);
    const cut = signals.find((s) => s.type === 'video.scene_cut')!;
    expect(cut).toMatchObject({ start: 3, end: 3, probability: 0.734 });
    expect(cut.rationale).toMatch(/0\.73/);
    expect(signals[1]!.rationale).toMatch(/-15\.8 LUFS.*3\.1 LU/);
    for (const s of signals) expect(s.probability).toBeGreaterThanOrEqual(0);
  });

  it('reports no audio signal for a video without audio', () => {
    const signals = deriveSignals(measurements, { durationSeconds: 8, hasAudio: false });
    expect(signals.map((s) => s.type)).toEqual(['video.scene_cut']);
  });
});

describe('conversation quality', () => {
  const silence = [
    { start: 0, end: 1 },
    { start: 3, end: 6 },
  ];
  const activity = { durationSeconds: 10, silence, sound: soundSpans(silence, 10) };

  it('is absent unless include[] asks', () => {
    expect(conversationQuality(activity, [], 10)).toBeUndefined();
  });

  it('overall: ratios and turns from the measured spans', () => {
    const quality = conversationQuality(activity, ['conversation_quality_overall'], 10);
    expect(quality?.timeline).toBeUndefined();
    expect(quality?.overall).toMatchObject({
      speech_ratio: 0.6,
      speech_seconds: 6,
      silence_seconds: 4,
      turns: 2,
      mean_turn_seconds: 3,
      longest_pause_seconds: 3,
    });
    expect(quality?.overall?.rationale).toMatch(/speakers are not identified/);
  });

  it('timeline: 5-second windows', () => {
    const quality = conversationQuality(activity, ['conversation_quality_timeline'], 10);
    expect(
      quality?.timeline?.map(({ start, end, speech_ratio, turns }) => [start, end, speech_ratio, turns]),
    ).toEqual([
      [0, 5, 0.4, 1],
      [5, 10, 0.8, 1],
    ]);
  });

  it('says "not measurable" with nulls when there is no audio', () => {
    const quality = conversationQuality(
      null,
      ['conversation_quality_overall', 'conversation_quality_timeline'],
      7,
    );
    expect(quality?.overall?.speech_ratio).toBeNull();
    expect(quality?.overall?.rationale).toMatch(/no audio/);
    expect(quality?.timeline?.map((w) => [w.start, w.end, w.speech_ratio])).toEqual([
      [0, 5, null],
      [5, 7, null],
    ]);
  });
});
