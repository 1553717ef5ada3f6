import type { Measurements } from './ffmpeg-log.ts';
import { MEASURE } from './measure.ts';
import type { Signal } from './types.ts';

/**
 * Momentary loudness (LUFS) from which a 400 ms window counts as "at speech level".
 * @example reading.momentary >= SPEECH_LEVEL_LUFS
 */
export const SPEECH_LEVEL_LUFS = -40;
/** Sound shorter than this between two silences is a click, not a stretch of speech. */
const MIN_SPEECH_SECONDS = 0.2;
/** EBU R128 momentary loudness integrates the last 400 ms. */
const MOMENTARY_WINDOW_SECONDS = 0.4;

/** A closed interval in seconds. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * Silences clipped to [0, duration], with an open silence (running at the end of the audio)
 * closed at the end.
 * @example silenceSpans(m, 8) // [{ start: 0, end: 0.4 }, { start: 2.2, end: 3.4 }, …]
 */
export function silenceSpans(measurements: Measurements, duration: number): Span[] {
  return measurements.silences
    .map((s) => ({ start: clamp(s.start, 0, duration), end: clamp(s.end ?? duration, 0, duration) }))
    .filter((s) => s.end > s.start);
}

/**
 * The complement of the silences: where there is sound. Energy-based voice-activity
 * detection: it finds sound, it cannot tell a voice from music.
 * @example soundSpans([{ start: 0, end: 0.4 }], 2) // [{ start: 0.4, end: 2 }]
 */
export function soundSpans(silences: readonly Span[], duration: number): Span[] {
  const spans: Span[] = [];
  let at = 0;
  for (const silence of silences) {
    if (silence.start - at >= MIN_SPEECH_SECONDS) spans.push({ start: at, end: silence.start });
    at = Math.max(at, silence.end);
  }
  if (duration - at >= MIN_SPEECH_SECONDS) spans.push({ start: at, end: duration });
  return spans;
}

/**
 * Share of the loudness readings centred inside `span` that are at speech level (or below,
 * with `below`). A second, independent measure (K-weighted loudness) of what silencedetect
 * (sample level) found; undefined when no reading falls inside.
 */
function loudShare(measurements: Measurements, span: Span, below = false): number | undefined {
  // A momentary reading at t covers [t - 0.4, t]: only readings wholly inside the span
  // speak for it (a window straddling an edge mixes sound and silence). Tolerance: 1 ms.
  const inside = measurements.loudness.filter(
    (r) => r.t - MOMENTARY_WINDOW_SECONDS >= span.start - 0.001 && r.t <= span.end + 0.001,
  );
  if (inside.length === 0) return undefined;
  const loud = inside.filter((r) => r.momentary >= SPEECH_LEVEL_LUFS).length;
  return (below ? inside.length - loud : loud) / inside.length;
}

/**
 * The signals the media analyzer reports, sorted by start: `audio.speech` and
 * `audio.silence` intervals, `video.scene_cut` instants and one `audio.loudness` summary.
 * Every number comes from ffmpeg's measurements; nothing social is inferred.
 * @example deriveSignals(measurements, { durationSeconds: 8, hasAudio: true })
 */
export function deriveSignals(
  measurements: Measurements,
  media: { readonly durationSeconds: number; readonly hasAudio: boolean },
): Signal[] {
  const duration = media.durationSeconds;
  const signals: Signal[] = [];

  if (media.hasAudio) {
    const silences = silenceSpans(measurements, duration);
    for (const span of soundSpans(silences, duration)) {
      const share = loudShare(measurements, span);
      signals.push({
        type: 'audio.speech',
        start: round(span.start),
        end: round(span.end),
        probability: round(share ?? 0.5),
        rationale:
          `Sound above ${MEASURE.silenceNoiseDb} dBFS for ${seconds(span.end - span.start)} between silences` +
          (share === undefined
            ? '; too short for a full loudness reading, so the probability is 0.5 (undecided).'
            : `; ${percent(share)} of the 100 ms loudness readings here reach speech level (≥ ${SPEECH_LEVEL_LUFS} LUFS), which is the probability.`) +
          ' Energy-based voice-activity detection: it finds sound, it cannot tell a voice from music.',
      });
    }
    for (const span of silences) {
      const share = loudShare(measurements, span, true);
      signals.push({
        type: 'audio.silence',
        start: round(span.start),
        end: round(span.end),
        probability: round(share ?? 1),
        rationale:
          `Audio stayed below ${MEASURE.silenceNoiseDb} dBFS for ${seconds(span.end - span.start)} ` +
          `(silencedetect, minimum ${MEASURE.silenceMinSeconds} s)` +
          (share === undefined
            ? '; too short for a full loudness reading, so the detector alone decides (probability 1).'
            : `; ${percent(share)} of the 100 ms loudness readings here are below speech level, which is the probability.`),
      });
    }
    if (measurements.integrated !== undefined) {
      const integrated = measurements.integrated;
      const range = measurements.range;
      signals.push({
        type: 'audio.loudness',
        start: 0,
        end: round(duration),
        probability: 1,
        rationale:
          (Number.isFinite(integrated) && integrated > -70
            ? `Integrated loudness ${integrated.toFixed(1)} LUFS`
            : 'Integrated loudness below the -70 LUFS gate (the audio is essentially silent)') +
          (range === undefined ? '' : `, loudness range ${range.toFixed(1)} LU`) +
          ' (EBU R128, ffmpeg ebur128). A measurement, not a detection: probability 1.',
      });
    }
  }

  for (const scene of measurements.scenes) {
    if (scene.t <= 0 || scene.t > duration) continue;
    signals.push({
      type: 'video.scene_cut',
      start: round(scene.t),
      end: round(scene.t),
      probability: round(clamp(scene.score, 0, 1)),
      rationale:
        `The picture changes abruptly: frame-difference score ${scene.score.toFixed(2)} ` +
        `(ffmpeg scene score; ${MEASURE.sceneThreshold} or more marks a cut). The score is the probability.`,
    });
  }

  return signals.sort((a, b) => a.start - b.start || a.end - b.end || a.type.localeCompare(b.type));
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/**
 * Three decimals: milliseconds for times, per-mille for probabilities.
 * @example round(2.19985) // 2.2
 */
export function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function seconds(value: number): string {
  return `${value.toFixed(2)} s`;
}

function percent(share: number): string {
  return `${Math.round(share * 100)} %`;
}
