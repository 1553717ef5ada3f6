import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnalysisResult, Analyzer, IncludeOption } from '../analysis/types.ts';
import { inspect } from '../media/inspect.ts';
import type { MediaInfo } from '../media/media-info.ts';

/** What analysing a segment needs from the service. */
export interface SegmentContext {
  readonly tmpDir: string;
  readonly ffprobePath: string;
  readonly ffmpegPath: string;
  readonly analyzer: Analyzer;
  readonly timeoutMs: number;
}

/** A segment's measured facts and the analyzer's findings. */
export interface SegmentResult {
  readonly media: MediaInfo;
  readonly result: AnalysisResult;
}

/**
 * Validates and analyses one binary frame exactly as an upload is: the bytes go to a temp
 * file, `inspect` applies the same size window, container sniffing, structure and ffprobe
 * checks (ih4002, ih4004, ih5001–ih5006), then the configured analyzer runs (ih5007, ih1001,
 * ih1002). The temp file is removed on every path: success, catalog error, abort.
 * @example const { media, result } = await analyseSegment(bytes, context, { include: [], signal });
 */
export async function analyseSegment(
  bytes: Uint8Array,
  context: SegmentContext,
  options: {
    readonly include: readonly IncludeOption[];
    readonly signal: AbortSignal;
    readonly correlationId: string;
  },
): Promise<SegmentResult> {
  const file = join(context.tmpDir, `segment-${randomUUID()}`);
  const signal = AbortSignal.any([options.signal, AbortSignal.timeout(context.timeoutMs)]);
  try {
    await writeFile(file, bytes, { flag: 'wx', signal });
    const media = await inspect(file, context.ffprobePath, { ffmpegPath: context.ffmpegPath, signal });
    const result = await context.analyzer.analyze(file, media, {
      include: options.include,
      signal,
      correlationId: options.correlationId,
    });
    return { media, result };
  } finally {
    await rm(file, { force: true });
  }
}

/**
 * The `video` object of a `segment.completed` message: the upload response's shape.
 * @example videoOf(media).container // 'mp4'
 */
export function videoOf(media: MediaInfo) {
  return {
    duration_seconds: media.durationSeconds,
    container: media.container,
    video_codec: media.video.codec,
    audio_codec: media.audio?.codec ?? null,
    width: media.video.width,
    height: media.video.height,
    fps: media.video.fps,
  };
}

/**
 * A counting gate: at most `limit` segments are analysed at once across all sessions; the
 * others wait their turn (they stay "in flight" for their session, so a drain waits for them).
 * @example const release = await gate.enter(signal); try { … } finally { release(); }
 */
export function createGate(limit: number) {
  let running = 0;
  const queue: (() => void)[] = [];
  return {
    async enter(signal: AbortSignal): Promise<() => void> {
      if (running < limit) running++;
      else {
        // Wait for a slot to be handed over by a release: `running` stays as it is.
        await new Promise<void>((resolve, reject) => {
          const go = () => {
            signal.removeEventListener('abort', leave);
            resolve();
          };
          const leave = () => {
            const at = queue.indexOf(go);
            if (at !== -1) queue.splice(at, 1);
            reject(signal.reason);
          };
          if (signal.aborted) return leave();
          signal.addEventListener('abort', leave, { once: true });
          queue.push(go);
        });
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const next = queue.shift();
        if (next) next();
        else running--;
      };
    },
  };
}
