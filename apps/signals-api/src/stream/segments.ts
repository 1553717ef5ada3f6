import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnalysisResult, Analyzer, IncludeOption } from '../analysis/types.ts';
import { signals } from '../catalog.ts';
import type { Container } from '../media/containers.ts';
import { inspect } from '../media/inspect.ts';
import { MAX_SEGMENT_BYTES, type MediaInfo, MIN_SEGMENT_BYTES } from '../media/media-info.ts';
import { SNIFF_BYTES, sniff } from '../media/sniff.ts';

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
 * ih1002). The checks `inspect` starts with — size window, then the container sniffed from the
 * first bytes — run on the message in memory first, so what is no video is refused without
 * touching the disk (as the upload gate refuses it from its first bytes). The temp file is
 * removed on every path: success, catalog error, abort.
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
  if (bytes.length > MAX_SEGMENT_BYTES)
    throw signals.error('ih5005', undefined, { cause: `${bytes.length} bytes` });
  if (bytes.length < MIN_SEGMENT_BYTES)
    throw signals.error('ih5006', undefined, { cause: `${bytes.length} bytes` });
  const container = sniff(bytes.subarray(0, SNIFF_BYTES));
  if (!container)
    throw signals.error('ih4002', undefined, { cause: 'content matches no supported container' });
  const file = join(context.tmpDir, `segment-${randomUUID()}`);
  const signal = AbortSignal.any([options.signal, AbortSignal.timeout(context.timeoutMs)]);
  try {
    await writeFile(file, bytes, { flag: 'wx', signal });
    const media = await inspect(file, context.ffprobePath, {
      container,
      ffmpegPath: context.ffmpegPath,
      signal,
    });
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
 * The checks `inspect` starts with, on the bytes in memory: the size window (ih5005, ih5006),
 * then the container sniffed from the first bytes (ih4002). Cheap and synchronous, so a session
 * answers what is no video at once, without queueing it behind real segments.
 * @example const container = precheck(bytes); // 'mp4', or throws the catalog error
 */
export function precheck(bytes: Uint8Array): Container {
  if (bytes.length > MAX_SEGMENT_BYTES)
    throw signals.error('ih5005', undefined, { cause: `${bytes.length} bytes` });
  if (bytes.length < MIN_SEGMENT_BYTES)
    throw signals.error('ih5006', undefined, { cause: `${bytes.length} bytes` });
  const container = sniff(bytes.subarray(0, SNIFF_BYTES));
  if (!container)
    throw signals.error('ih4002', undefined, { cause: 'content matches no supported container' });
  return container;
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
