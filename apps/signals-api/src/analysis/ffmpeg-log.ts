/**
 * Reads what ffmpeg's measuring filters print (silencedetect, ebur128 with framelog=info,
 * metadata=print after a scene select). Line-oriented and stateful, so it can consume
 * stderr as it streams instead of buffering a 30-minute analysis log.
 */

/** A measured silence; `end` is undefined while it runs to the end of the audio. */
export interface SilenceSpan {
  readonly start: number;
  readonly end: number | undefined;
}

/** One EBU R128 momentary-loudness reading (400 ms window ending at `t`). */
export interface LoudnessReading {
  readonly t: number;
  readonly momentary: number;
}

/** A frame the scene select kept, and its frame-difference score (0–1). */
export interface SceneChange {
  readonly t: number;
  readonly score: number;
}

/** Everything parsed from one ffmpeg run. */
export interface Measurements {
  readonly silences: SilenceSpan[];
  readonly loudness: LoudnessReading[];
  readonly scenes: SceneChange[];
  /** Integrated loudness (LUFS) and loudness range (LU) from the ebur128 summary. */
  integrated: number | undefined;
  range: number | undefined;
}

const SILENCE_START = /silence_start:\s*(-?[\d.]+(?:e-?\d+)?)/;
const SILENCE_END = /silence_end:\s*(-?[\d.]+(?:e-?\d+)?)/;
const FRAME_LOUDNESS = /\bt:\s*(-?[\d.]+)\s.*\bM:\s*(-?[\d.]+|-inf|nan)/;
const SCENE_FRAME = /\bpts_time:\s*(-?[\d.]+)/;
const SCENE_SCORE = /lavfi\.scene_score=([\d.]+)/;
const SUMMARY_I = /^\s*I:\s*(-?[\d.]+|-inf)\s*LUFS/;
const SUMMARY_LRA = /^\s*LRA:\s*(-?[\d.]+)\s*LU\b/;

/**
 * A parser fed one stderr line at a time.
 * @example
 * const log = createLogParser();
 * log.line('[silencedetect @ 0x1] silence_start: 2.2');
 * log.measurements.silences // [{ start: 2.2, end: undefined }]
 */
export function createLogParser(): { line(text: string): void; readonly measurements: Measurements } {
  const measurements: Measurements = {
    silences: [],
    loudness: [],
    scenes: [],
    integrated: undefined,
    range: undefined,
  };
  let pendingSceneTime: number | undefined;
  let inSummary = false;

  const line = (text: string): void => {
    if (text.includes('silencedetect')) {
      const start = SILENCE_START.exec(text);
      if (start) measurements.silences.push({ start: Math.max(0, Number(start[1])), end: undefined });
      const end = SILENCE_END.exec(text);
      const open = measurements.silences.at(-1);
      if (end && open && open.end === undefined)
        measurements.silences[measurements.silences.length - 1] = { start: open.start, end: Number(end[1]) };
      return;
    }
    if (text.includes('Parsed_ebur128')) {
      if (text.includes('Summary:')) {
        inSummary = true;
        return;
      }
      const frame = FRAME_LOUDNESS.exec(text);
      if (frame) {
        const momentary = Number(frame[2]);
        measurements.loudness.push({
          t: Number(frame[1]),
          momentary: Number.isFinite(momentary) ? momentary : -120,
        });
      }
      return;
    }
    if (text.includes('Parsed_metadata')) {
      const frame = SCENE_FRAME.exec(text);
      if (frame) pendingSceneTime = Number(frame[1]);
      const score = SCENE_SCORE.exec(text);
      if (score && pendingSceneTime !== undefined) {
        measurements.scenes.push({ t: pendingSceneTime, score: Number(score[1]) });
        pendingSceneTime = undefined;
      }
      return;
    }
    if (inSummary) {
      const integrated = SUMMARY_I.exec(text);
      if (integrated) measurements.integrated = integrated[1] === '-inf' ? -Infinity : Number(integrated[1]);
      const range = SUMMARY_LRA.exec(text);
      if (range) {
        measurements.range = Number(range[1]);
        inSummary = false;
      }
    }
  };
  return { line, measurements };
}
