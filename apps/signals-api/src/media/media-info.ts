import { signals } from '../catalog.ts';
import type { Container } from './containers.ts';
import type { ProbeOutput, ProbeStream } from './ffprobe.ts';

/**
 * The seed's per-segment size cap (ih5005 above it), in binary units like the 100 MB upload cap.
 * @example if (size > MAX_SEGMENT_BYTES) throw signals.error('ih5005');
 */
export const MAX_SEGMENT_BYTES = 32 * 1024 * 1024;
/**
 * The seed's per-segment minimum (ih5006 below it).
 * @example if (size < MIN_SEGMENT_BYTES) throw signals.error('ih5006');
 */
export const MIN_SEGMENT_BYTES = 10 * 1024;
/**
 * Longest video one request may analyse (ih4004 past it).
 * @example if (duration > MAX_DURATION_SECONDS) throw signals.error('ih4004');
 */
export const MAX_DURATION_SECONDS = 30 * 60;

/** What an analysis needs to know about an uploaded file, measured by ffprobe. */
export interface MediaInfo {
  readonly container: Container;
  readonly sizeBytes: number;
  readonly durationSeconds: number;
  readonly video: {
    /** ffprobe stream index, to pick this exact stream in an ffmpeg filter graph. */
    readonly index: number;
    readonly codec: string;
    readonly width: number | null;
    readonly height: number | null;
    readonly fps: number | null;
  };
  readonly audio: {
    readonly index: number;
    readonly codec: string;
    readonly sampleRate: number | null;
    readonly channels: number | null;
  } | null;
}

/** What `mediaInfoFromProbe` needs besides ffprobe's answer. */
export interface MediaFacts {
  readonly container: Container;
  readonly sizeBytes: number;
  /** Codecs the analyzer's ffmpeg decodes; when absent only ffprobe's own verdict counts. */
  readonly decodable?: ReadonlySet<string> | undefined;
}

/**
 * Turns ffprobe's JSON into `MediaInfo`, or throws the catalog error that explains why the
 * file cannot be analysed. Checks run from the most to the least fundamental: duration
 * (ih5002 negative, ih5001 zero/unknown, ih4004 too long), codecs (ih5003), then the
 * presence of a picture (ih5007).
 * @example
 * const info = mediaInfoFromProbe(result.output, { container: 'mp4', sizeBytes: 66_095 });
 * info.durationSeconds // 8
 */
export function mediaInfoFromProbe(output: ProbeOutput, facts: MediaFacts): MediaInfo {
  const streams = output.streams ?? [];
  const duration = durationOf(output);
  if (duration !== undefined && duration < 0)
    throw signals.error('ih5002', undefined, { cause: `negative duration ${duration}` });
  if (duration === undefined || duration === 0)
    throw signals.error('ih5001', undefined, { cause: `duration ${duration ?? 'unknown'}` });
  if (duration > MAX_DURATION_SECONDS)
    throw signals.error('ih4004', undefined, { cause: `duration ${duration} s` });

  const media = streams.filter((s) => s.codec_type === 'video' || s.codec_type === 'audio');
  for (const stream of media) {
    const codec = stream.codec_name;
    const unknown = !codec || codec === 'none' || codec === 'unknown';
    if (unknown || (facts.decodable && !facts.decodable.has(codec)))
      throw signals.error('ih5003', undefined, {
        cause: `stream ${stream.index} (${stream.codec_type}) codec ${codec ?? 'missing'} tag ${stream.codec_tag_string ?? '?'}`,
      });
  }

  // Cover art is a "video" stream of one picture (attached_pic); it is not a video.
  const video = media.find((s) => s.codec_type === 'video' && s.disposition?.['attached_pic'] !== 1);
  if (!video) throw signals.error('ih5007', { reason: 'it has no video stream to analyse' });
  const audio = media.find((s) => s.codec_type === 'audio');

  return {
    container: facts.container,
    sizeBytes: facts.sizeBytes,
    durationSeconds: round(duration, 3),
    video: {
      index: video.index,
      codec: video.codec_name!,
      width: positive(video.width),
      height: positive(video.height),
      fps: frameRate(video),
    },
    audio: audio
      ? {
          index: audio.index,
          codec: audio.codec_name!,
          sampleRate: positive(Number(audio.sample_rate)),
          channels: positive(audio.channels),
        }
      : null,
  };
}

/** The container's duration, else the longest stream's; undefined when nobody knows. */
function durationOf(output: ProbeOutput): number | undefined {
  const fromFormat = Number.parseFloat(output.format?.duration ?? '');
  if (Number.isFinite(fromFormat)) return fromFormat;
  const fromStreams = (output.streams ?? [])
    .map((s) => Number.parseFloat(s.duration ?? ''))
    .filter((d) => Number.isFinite(d));
  return fromStreams.length ? Math.max(...fromStreams) : undefined;
}

/** Average frame rate (what a viewer sees), falling back to the base rate; "0/0" means unknown. */
function frameRate(stream: ProbeStream): number | null {
  for (const text of [stream.avg_frame_rate, stream.r_frame_rate]) {
    const [num, den] = (text ?? '').split('/').map(Number);
    if (num && den && Number.isFinite(num / den) && num / den > 0) return round(num / den, 3);
  }
  return null;
}

function positive(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : null;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
