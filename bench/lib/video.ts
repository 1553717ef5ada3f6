import { execFile } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/** The npm-shipped binaries (FFMPEG_PATH / FFPROBE_PATH override them, as in the app). */
export const ffmpegPath: string = process.env['FFMPEG_PATH'] ?? require('@ffmpeg-installer/ffmpeg').path;
export const ffprobePath: string = process.env['FFPROBE_PATH'] ?? require('@ffprobe-installer/ffprobe').path;

/** ffmpeg's -fs stops writing near the limit, then finalises the file a little past it. */
const FINALISE_ROOM = 512 * 1024;

/**
 * A real H.264/AAC MP4 of at most `maxBytes` and within 1 MiB of it, made once and reused:
 * noise keeps the encoder at its 10 Mbit/s cap so the size comes from real frames, not
 * padding. Resolves to the size and, when made now, the seconds it took.
 * @example const { size } = await ensureVideo('bench/.tmp/video-32mib.mp4', MAX_SEGMENT_BYTES);
 */
export async function ensureVideo(
  path: string,
  maxBytes: number,
): Promise<{ size: number; madeIn?: number }> {
  const fits = (size: number | undefined): size is number =>
    size !== undefined && size <= maxBytes && size > maxBytes - 2 ** 20;
  const existing = sizeOf(path);
  if (fits(existing)) return { size: existing };
  mkdirSync(dirname(path), { recursive: true });
  const started = Date.now();
  const args = [
    ['-hide_banner', '-v', 'error', '-y'],
    ['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30'],
    ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
    ['-vf', 'noise=alls=30:allf=t', '-t', '120'],
    ['-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '10M', '-maxrate', '10M', '-bufsize', '20M'],
    ['-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart'],
    ['-fs', String(maxBytes - FINALISE_ROOM), path],
  ];
  await run(ffmpegPath, args.flat());
  const size = sizeOf(path);
  if (!fits(size)) throw new Error(`ffmpeg made ${size} bytes; wanted at most ${maxBytes}, within 1 MiB`);
  return { size, madeIn: (Date.now() - started) / 1000 };
}

function sizeOf(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}
