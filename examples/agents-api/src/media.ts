/**
 * Kinds of file the API stores, each with its own size limit.
 * @example const kind: MediaKind = 'audio';
 */
export type MediaKind = 'image' | 'video' | 'audio' | 'document';

const MB = 1024 * 1024;

/**
 * Size limits by kind: images 10 MB, video 100 MB, audio 50 MB, documents 10 MB.
 * @example if (bytes.byteLength > LIMITS[type.kind]) refuse();
 */
export const LIMITS: Readonly<Record<MediaKind, number>> = {
  image: 10 * MB,
  video: 100 * MB,
  audio: 50 * MB,
  document: 10 * MB,
};

/**
 * The largest body the upload route reads at all.
 * @example app.post('/v1/files/upload', { bodyLimit: MAX_UPLOAD + 1 }, handler);
 */
export const MAX_UPLOAD = LIMITS.video;

const ascii = (bytes: Uint8Array, from: number, to: number) =>
  String.fromCharCode(...bytes.subarray(from, to));

/**
 * The media type of a file from its first bytes (its name and declared type are not trusted).
 * @example sniff(pngBytes) // { kind: 'image', mime: 'image/png' }
 */
export function sniff(bytes: Uint8Array): { kind: MediaKind; mime: string } | undefined {
  if (bytes.length < 4) return undefined;
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return { kind: 'image', mime: 'image/jpeg' };
  if (ascii(bytes, 0, 8) === '\x89PNG\r\n\x1a\n') return { kind: 'image', mime: 'image/png' };
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP')
    return { kind: 'image', mime: 'image/webp' };
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WAVE')
    return { kind: 'audio', mime: 'audio/wav' };
  if (ascii(bytes, 4, 8) === 'ftyp') return { kind: 'video', mime: 'video/mp4' };
  if (ascii(bytes, 0, 4) === 'OggS') return { kind: 'audio', mime: 'audio/ogg' };
  if (ascii(bytes, 0, 3) === 'ID3' || (bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0))
    return { kind: 'audio', mime: 'audio/mpeg' };
  if (ascii(bytes, 0, 5) === '%PDF-') return { kind: 'document', mime: 'application/pdf' };
  return undefined;
}

/**
 * A short, safe description of unrecognised content for the error message.
 * @example describe(new TextEncoder().encode('<html>')) // 'text or markup'
 */
export function describe(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'empty file';
  const head = bytes.subarray(0, 64);
  const printable = head.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127));
  return printable ? 'text or markup' : 'unrecognised binary data';
}
