import { isApiError } from 'faultline';
import { describe, expect, it } from 'vitest';
import { decodableCodecs, parseDecoderList } from '../../src/media/decoders.ts';
import type { ProbeOutput, ProbeStream } from '../../src/media/ffprobe.ts';
import { mediaInfoFromProbe } from '../../src/media/media-info.ts';
import { FFMPEG } from './helpers.ts';

const facts = { container: 'mp4', sizeBytes: 50_000 } as const;
const video: ProbeStream = {
  index: 0,
  codec_type: 'video',
  codec_name: 'h264',
  width: 640,
  height: 360,
  avg_frame_rate: '30000/1001',
};
const audio: ProbeStream = {
  index: 1,
  codec_type: 'audio',
  codec_name: 'aac',
  sample_rate: '48000',
  channels: 2,
};
const probe = (duration: string | undefined, streams: ProbeStream[] = [video, audio]): ProbeOutput => ({
  format: duration === undefined ? {} : { duration },
  streams,
});

function idOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isApiError(error)) return error.id;
    throw error;
  }
  return 'accepted';
}

const { codec_name: _dropped, ...withoutCodec } = video;

describe('mediaInfoFromProbe', () => {
  it('maps ffprobe JSON to MediaInfo', () => {
    expect(mediaInfoFromProbe(probe('12.5'), facts)).toEqual({
      container: 'mp4',
      sizeBytes: 50_000,
      durationSeconds: 12.5,
      video: { index: 0, codec: 'h264', width: 640, height: 360, fps: 29.97 },
      audio: { index: 1, codec: 'aac', sampleRate: 48_000, channels: 2 },
    });
  });

  it('falls back to the longest stream duration and to r_frame_rate', () => {
    const info = mediaInfoFromProbe(
      probe(undefined, [
        { ...video, duration: '9.5', avg_frame_rate: '0/0', r_frame_rate: '25/1' },
        { ...audio, duration: '10.25' },
      ]),
      facts,
    );
    expect(info.durationSeconds).toBe(10.25);
    expect(info.video.fps).toBe(25);
  });

  it('ih5002 for a negative duration', () => {
    expect(idOf(() => mediaInfoFromProbe(probe('-3.2'), facts))).toBe('ih5002');
  });

  it('ih5001 for a zero or unknown duration', () => {
    expect(idOf(() => mediaInfoFromProbe(probe('0.000000'), facts))).toBe('ih5001');
    expect(idOf(() => mediaInfoFromProbe(probe('N/A'), facts))).toBe('ih5001');
    expect(idOf(() => mediaInfoFromProbe(probe(undefined, []), facts))).toBe('ih5001');
  });

  it('ih4004 past 30 minutes, not at exactly 30', () => {
    expect(idOf(() => mediaInfoFromProbe(probe('1800.001'), facts))).toBe('ih4004');
    expect(mediaInfoFromProbe(probe('1800'), facts).durationSeconds).toBe(1800);
  });

  it('ih5003 when a stream has no codec, "none", or one the analyzer cannot decode', () => {
    expect(idOf(() => mediaInfoFromProbe(probe('5', [withoutCodec]), facts))).toBe('ih5003');
    expect(idOf(() => mediaInfoFromProbe(probe('5', [video, { ...audio, codec_name: 'none' }]), facts))).toBe(
      'ih5003',
    );
    const decodable = new Set(['h264']);
    expect(idOf(() => mediaInfoFromProbe(probe('5'), { ...facts, decodable }))).toBe('ih5003');
    expect(mediaInfoFromProbe(probe('5', [video]), { ...facts, decodable }).audio).toBeNull();
  });

  it('ignores data and subtitle streams without a decoder', () => {
    const data: ProbeStream = { index: 2, codec_type: 'data', codec_tag_string: 'tmcd' };
    expect(mediaInfoFromProbe(probe('5', [video, audio, data]), facts).video.codec).toBe('h264');
  });

  it('ih5007 when the only picture is cover art (attached_pic)', () => {
    const cover: ProbeStream = { ...video, codec_name: 'mjpeg', disposition: { attached_pic: 1 } };
    expect(idOf(() => mediaInfoFromProbe(probe('5', [audio, cover]), facts))).toBe('ih5007');
  });
});

describe('decoders', () => {
  it('parses decoder names and the codecs wrapper decoders name', () => {
    const table = [
      'Decoders:',
      ' V..... = Video',
      ' ------',
      ' VFS..D h264                 H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10',
      ' V....D libvpx-vp9           libvpx VP9 (codec vp9)',
      ' A....D mp3float             MP3 (MPEG audio layer 3) (codec mp3)',
    ].join('\n');
    expect([...parseDecoderList(table)].sort()).toEqual(['h264', 'libvpx-vp9', 'mp3', 'mp3float', 'vp9']);
  });

  it('lists what the shipped ffmpeg decodes, including every fixture codec', async () => {
    const codecs = await decodableCodecs(FFMPEG);
    for (const codec of ['h264', 'vp9', 'mpeg4', 'aac', 'opus', 'vorbis', 'mp3'])
      expect(codecs?.has(codec)).toBe(true);
    expect(codecs?.has('FLT0')).toBe(false);
  });

  it('is undefined (no opinion) when ffmpeg cannot run', async () => {
    expect(await decodableCodecs('/nonexistent/ffmpeg')).toBeUndefined();
  });
});
