import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { MediaInfo } from '../media/media-info.ts';
import { createLogParser, type Measurements } from './ffmpeg-log.ts';

/**
 * Thresholds of the measuring filters; also quoted in every rationale.
 * @example `silencedetect=n=${MEASURE.silenceNoiseDb}dB:d=${MEASURE.silenceMinSeconds}`
 */
export const MEASURE = {
  /** Audio below this (dBFS) counts as silence… */
  silenceNoiseDb: -35,
  /** …when it lasts at least this long (s): shorter gaps are pauses inside speech. */
  silenceMinSeconds: 0.3,
  /** ffmpeg scene score from which a frame counts as a cut (0–1 frame difference). */
  sceneThreshold: 0.3,
  /** Scene detection runs on frames scaled to this width: cheap, and cuts survive scaling. */
  sceneWidth: 320,
} as const;

/**
 * Why a measuring run failed; the analyzer maps it to a catalog error.
 * @example if (error instanceof MeasureError && error.reason === 'aborted') throw signals.error('ih1001');
 */
export class MeasureError extends Error {
  readonly reason: 'aborted' | 'failed' | 'unavailable';
  constructor(reason: MeasureError['reason'], message: string) {
    super(message);
    this.name = 'MeasureError';
    this.reason = reason;
  }
}

/**
 * The ffmpeg arguments of one measuring pass: silencedetect + ebur128 on the audio stream,
 * scene-score select on the video stream, both decoded once and thrown away (`-f null`).
 * @example measureArgs('/tmp/u1', media) // ['-hide_banner', …, '-f', 'null', '-']
 */
export function measureArgs(file: string, media: MediaInfo): string[] {
  const video =
    `[0:${media.video.index}]scale=${MEASURE.sceneWidth}:-2,` +
    `select='gt(scene,${MEASURE.sceneThreshold})',metadata=mode=print[vout]`;
  const audio = media.audio
    ? `;[0:${media.audio.index}]silencedetect=n=${MEASURE.silenceNoiseDb}dB:d=${MEASURE.silenceMinSeconds},` +
      'ebur128=framelog=info[aout]'
    : '';
  const outputs = [
    ['-map', '[vout]', '-f', 'null', '-'],
    media.audio ? ['-map', '[aout]', '-f', 'null', '-'] : [],
  ];
  return [
    ...['-hide_banner', '-nostdin', '-nostats', '-v', 'info'],
    ...['-i', file],
    ...['-filter_complex', video + audio],
    ...outputs.flat(),
  ];
}

/**
 * Runs the measuring pass and parses its log as it streams.
 * @example const m = await measure(config.ffmpegPath, path, media, AbortSignal.timeout(120_000));
 */
export function measure(
  ffmpegPath: string,
  file: string,
  media: MediaInfo,
  signal: AbortSignal,
): Promise<Measurements> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new MeasureError('aborted', 'aborted before start'));
    const child = spawn(ffmpegPath, measureArgs(file, media), {
      stdio: ['ignore', 'ignore', 'pipe'],
      signal,
      killSignal: 'SIGKILL',
      windowsHide: true,
    });
    const parser = createLogParser();
    // Keep the tail of the log for the server-side cause of a failure; never sent to clients.
    const tail: string[] = [];
    createInterface({ input: child.stderr }).on('line', (text) => {
      parser.line(text);
      tail.push(text);
      if (tail.length > 20) tail.shift();
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.name === 'AbortError') reject(new MeasureError('aborted', 'analysis aborted'));
      else reject(new MeasureError('unavailable', `cannot run ffmpeg: ${error.message}`));
    });
    child.once('close', (code, killedBy) => {
      if (signal.aborted) return reject(new MeasureError('aborted', 'analysis aborted'));
      if (code !== 0)
        return reject(new MeasureError('failed', `ffmpeg exited ${code ?? killedBy}: ${tail.join('\n')}`));
      resolve(parser.measurements);
    });
  });
}
