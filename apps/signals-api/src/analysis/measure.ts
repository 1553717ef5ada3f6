import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
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
  /**
   * Decoded pixels per second above which the picture is sampled at keyframes only
   * (`-skip_frame nokey`): 640×360 at 60 fps. Decoding is what costs, and it grows with
   * width × height × fps; past this, a 4K file would cost 36× a 360p one per minute.
   */
  fullDecodePixelsPerSecond: 640 * 360 * 60,
} as const;

/**
 * Whether the picture of this media is sampled at keyframes only (see `MEASURE.fullDecodePixelsPerSecond`).
 * Unknown size or rate counts as large: the cheap path is the safe guess.
 * @example keyframesOnly({ ...media, video: { ...media.video, width: 3840, height: 2160, fps: 30 } }) // true
 */
export function keyframesOnly(media: MediaInfo): boolean {
  const { width, height, fps } = media.video;
  if (!width || !height || !fps) return true;
  return width * height * fps > MEASURE.fullDecodePixelsPerSecond;
}

/**
 * Why a measuring run failed; the analyzer maps it to a catalog error.
 * @example if (error instanceof MeasureError && error.reason === 'aborted') throw signals.error('ih1001');
 */
export class MeasureError extends Error {
  /** `too-costly`: ffmpeg spent its CPU budget (the file's fault: it asks too much work per minute). */
  readonly reason: 'aborted' | 'failed' | 'unavailable' | 'too-costly';
  constructor(reason: MeasureError['reason'], message: string) {
    super(message);
    this.name = 'MeasureError';
    this.reason = reason;
  }
}

/**
 * The ffmpeg arguments of one measuring pass: silencedetect + ebur128 on the audio stream,
 * scene-score select on the video stream, both decoded once and thrown away (`-f null`).
 * One thread, so one analysis costs about one core and the analysis slots mean cores; the
 * picture of a large or fast video is decoded at keyframes only (see `keyframesOnly`).
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
    ...['-threads', '1', '-filter_complex_threads', '1'],
    ...(keyframesOnly(media) ? ['-skip_frame:v', 'nokey'] : []),
    ...['-i', file],
    ...['-filter_complex', video + audio],
    ...outputs.flat(),
  ];
}

/**
 * Runs the measuring pass and parses its log as it streams. With `cpuBudgetMs`, ffmpeg is
 * killed once it has used that much CPU time (read from /proc; wall time where there is
 * none) and the promise rejects with reason `too-costly`.
 * @example const m = await measure(config.ffmpegPath, path, media, AbortSignal.timeout(120_000), 90_000);
 */
export function measure(
  ffmpegPath: string,
  file: string,
  media: MediaInfo,
  signal: AbortSignal,
  cpuBudgetMs?: number,
): Promise<Measurements> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new MeasureError('aborted', 'aborted before start'));
    let overBudget = false;
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
    const watch =
      cpuBudgetMs === undefined
        ? undefined
        : watchCpu(child.pid, cpuBudgetMs, () => {
            overBudget = true;
            child.kill('SIGKILL');
          });
    child.once('close', (code, killedBy) => {
      if (watch) clearInterval(watch);
      if (overBudget)
        return reject(new MeasureError('too-costly', `ffmpeg used its ${cpuBudgetMs} ms CPU budget`));
      if (signal.aborted) return reject(new MeasureError('aborted', 'analysis aborted'));
      if (code !== 0)
        return reject(new MeasureError('failed', `ffmpeg exited ${code ?? killedBy}: ${tail.join('\n')}`));
      resolve(parser.measurements);
    });
  });
}

/** Clock ticks per second of /proc/<pid>/stat times: 100 on every Linux build that matters. */
const CLOCK_TICKS = 100;
const WATCH_INTERVAL_MS = 100;

/**
 * Calls `over` once the process has used `budgetMs` of CPU (user + system). Without /proc
 * (not Linux) wall time stands in, which is never less than one thread's CPU time.
 */
function watchCpu(pid: number | undefined, budgetMs: number, over: () => void): NodeJS.Timeout | undefined {
  if (pid === undefined) return undefined;
  const started = Date.now();
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    cpuMs(pid)
      .then((used) => {
        if ((used ?? Date.now() - started) >= budgetMs) {
          clearInterval(timer);
          over();
        }
      })
      .finally(() => {
        busy = false;
      });
  }, WATCH_INTERVAL_MS);
  timer.unref();
  return timer;
}

/** CPU time a process used so far, or undefined when /proc cannot tell. */
async function cpuMs(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'latin1');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS : undefined;
  } catch {
    return undefined;
  }
}
