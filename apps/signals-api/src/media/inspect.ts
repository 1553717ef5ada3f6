import { randomUUID } from 'node:crypto';
import { open, rm, stat } from 'node:fs/promises';
import { signals } from '../catalog.ts';
import { movieStructureProblem, walkFileAtoms } from './atoms.ts';
import { type Container, familyOf } from './containers.ts';
import { decodableCodecs } from './decoders.ts';
import { type ProbeResult, runFfprobe } from './ffprobe.ts';
import { MAX_SEGMENT_BYTES, type MediaInfo, MIN_SEGMENT_BYTES, mediaInfoFromProbe } from './media-info.ts';
import { copyWithoutServiceTable } from './mpegts.ts';
import type { ProberCheck } from './prober.ts';
import { SNIFF_BYTES, sniff } from './sniff.ts';

/** Options of `inspect`. */
export interface InspectOptions {
  /** The container already sniffed by the caller; sniffed again from the file when absent. */
  readonly container?: Container;
  /** The analyzer's ffmpeg: streams it cannot decode are refused (ih5003) before analysis starts. */
  readonly ffmpegPath?: string;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /**
   * Asked when ffprobe fails on the file (crash, hang, refusal): if it also fails on a
   * known-good file the tool is broken (ih1001), otherwise the file is (ih5002).
   * Without it every such failure counts as the file's.
   */
  readonly prober?: ProberCheck;
}

/**
 * Everything we need to know about an uploaded file before analysing it, or the catalog
 * error that explains why we won't: size window (ih5005/ih5006), ISO-BMFF structure
 * (ih5004 missing `moov` or cut off, ih5002 garbage), ffprobe's verdict (ih5002 unreadable),
 * then duration, codecs and streams (see `mediaInfoFromProbe`).
 * @example
 * const media = await inspect('/tmp/upload-1', config.ffprobePath, { ffmpegPath: config.ffmpegPath });
 * media.video.codec // 'h264'
 */
export async function inspect(
  file: string,
  ffprobePath: string,
  options: InspectOptions = {},
): Promise<MediaInfo> {
  const { size } = await stat(file);
  if (size > MAX_SEGMENT_BYTES) throw signals.error('ih5005', undefined, { cause: `${size} bytes` });
  if (size < MIN_SEGMENT_BYTES) throw signals.error('ih5006', undefined, { cause: `${size} bytes` });

  const container = options.container ?? sniff(await firstBytes(file, SNIFF_BYTES));
  if (!container)
    throw signals.error('ih4002', undefined, { cause: 'content matches no supported container' });

  if (familyOf(container) === 'isobmff') {
    const problem = movieStructureProblem(await walkFileAtoms(file));
    if (problem === 'invalid')
      throw signals.error('ih5002', undefined, { cause: 'top-level boxes are not valid ISO-BMFF' });
    if (problem) throw signals.error('ih5004', undefined, { cause: `ISO-BMFF: ${problem}` });
  }

  const probeOptions = {
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  let result = await runFfprobe(file, ffprobePath, probeOptions);
  if (!result.ok && result.reason === 'crashed' && container === 'mpegts')
    result = await probeWithoutServiceTable(file, ffprobePath, probeOptions);
  if (!result.ok) throw await probeFailure(result, options.prober);

  const decodable = options.ffmpegPath ? await decodableCodecs(options.ffmpegPath) : undefined;
  return mediaInfoFromProbe(result.output, { container, sizeBytes: size, decodable });
}

/** See mpegts.ts: the shipped ffprobe dies on the SDT of ordinary TS files. */
async function probeWithoutServiceTable(
  file: string,
  ffprobePath: string,
  options: { timeoutMs?: number; signal?: AbortSignal },
): Promise<ProbeResult> {
  const copy = `${file}.${randomUUID()}.ts`;
  try {
    await copyWithoutServiceTable(file, copy);
    return await runFfprobe(copy, ffprobePath, options);
  } finally {
    await rm(copy, { force: true });
  }
}

async function probeFailure(
  result: Extract<ProbeResult, { ok: false }>,
  prober: ProberCheck | undefined,
): Promise<Error> {
  const cause = `ffprobe ${result.reason}: ${result.detail}`;
  // Our tooling is missing or the client went away: nothing the file could fix.
  if (result.reason === 'unavailable' || result.reason === 'aborted')
    return signals.error('ih1001', undefined, { cause });
  // A crash, hang or refusal is the file's fault only if ffprobe still reads a good file.
  const health = await prober?.check();
  if (health && !health.ok)
    return signals.error('ih1001', undefined, { cause: `${cause}; self-check failed: ${health.detail}` });
  return signals.error('ih5002', undefined, { cause });
}

/**
 * The first `count` bytes of a file (fewer if it is shorter).
 * @example sniff(await firstBytes(path, SNIFF_BYTES))
 */
export async function firstBytes(file: string, count: number): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const buffer = new Uint8Array(count);
    const { bytesRead } = await handle.read(buffer, 0, count, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
