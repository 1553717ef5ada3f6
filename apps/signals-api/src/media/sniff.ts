import type { Container } from './containers.ts';

/**
 * Bytes `sniff` wants to see: enough for three MPEG-TS packets and any sane EBML header.
 * @example sniff(await firstBytes(path, SNIFF_BYTES))
 */
export const SNIFF_BYTES = 4096;

const TS_PACKET = 188;
const M2TS_PACKET = 192;
/** Brands of still-image HEIF/AVIF files: ISO-BMFF, but not video. */
const IMAGE_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'mif1', 'msf1', 'avif', 'avis']);
/** Top-level atoms an old QuickTime file (no `ftyp`) may start with. */
const QUICKTIME_FIRST_ATOMS = new Set(['moov', 'mdat', 'wide', 'free', 'skip', 'pnot']);

/**
 * The container of a file from its first bytes (pass up to `SNIFF_BYTES`), or undefined
 * when they match none we accept. Never trusts the file name.
 * @example sniff(await firstBytes('talk.webm')) // 'webm'
 * @example sniff(new TextEncoder().encode('hello')) // undefined
 */
export function sniff(bytes: Uint8Array): Container | undefined {
  const matroska = readMatroskaHeader(bytes);
  return (
    sniffIsoBmff(bytes) ??
    (matroska === 'mkv' || matroska === 'webm' ? matroska : undefined) ??
    sniffAvi(bytes) ??
    sniffMpegTs(bytes)
  );
}

/**
 * The container family whose magic bytes open the file although its header is broken
 * (today: the EBML magic of Matroska/WebM with a header we cannot read a DocType from).
 * Such a file is a damaged video of a supported kind (ih5002), not an unsupported type.
 * @example damagedFamily(Uint8Array.of(0x1a, 0x45, 0xdf, 0xa3, 0xff, 0xff)) // 'matroska'
 */
export function damagedFamily(bytes: Uint8Array): 'matroska' | undefined {
  return readMatroskaHeader(bytes) === 'damaged' ? 'matroska' : undefined;
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  if (bytes.length < start + length) return '';
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

function sniffIsoBmff(bytes: Uint8Array): Container | undefined {
  const type = ascii(bytes, 4, 4);
  if (type === 'ftyp') {
    const brand = ascii(bytes, 8, 4);
    if (IMAGE_BRANDS.has(brand)) return undefined;
    return brand === 'qt  ' ? 'mov' : 'mp4';
  }
  if (QUICKTIME_FIRST_ATOMS.has(type)) {
    // Old QuickTime has no brand to check, so also require a plausible first box size: 0, 1
    // (64-bit) or 8 bytes to 256 MB. Text that happens to hold "free" at offset 4 has
    // printable bytes in the size field, i.e. a size of half a gigabyte or more.
    const size = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
    return size <= 1 || (size >= 8 && size < 0x1000_0000) ? 'mov' : undefined;
  }
  return undefined;
}

/**
 * EBML magic, then the header's DocType element decides between Matroska and WebM; another
 * DocType is another EBML format; a header without a readable DocType is damaged.
 */
function readMatroskaHeader(bytes: Uint8Array): 'mkv' | 'webm' | 'other' | 'damaged' | undefined {
  if (bytes.length < 4 || bytes[0] !== 0x1a || bytes[1] !== 0x45 || bytes[2] !== 0xdf || bytes[3] !== 0xa3)
    return undefined;
  const header = readVint(bytes, 4);
  if (!header) return 'damaged';
  const end = Math.min(bytes.length, 4 + header.length + header.value);
  let at = 4 + header.length;
  while (at < end) {
    const id = readElementId(bytes, at);
    if (!id) return 'damaged';
    const size = readVint(bytes, at + id.length);
    if (!size) return 'damaged';
    const dataStart = at + id.length + size.length;
    if (id.value === 0x4282) {
      const docType = ascii(bytes, dataStart, Math.min(size.value, end - dataStart)).replace(/\0+$/, '');
      if (docType === 'webm') return 'webm';
      if (docType === 'matroska') return 'mkv';
      return /^[\x20-\x7e]+$/.test(docType) ? 'other' : 'damaged';
    }
    at = dataStart + size.value;
  }
  return 'damaged';
}

/** An EBML variable-length integer (size field): the leading 1-bit marks its length. */
function readVint(bytes: Uint8Array, at: number): { value: number; length: number } | undefined {
  const first = bytes[at];
  if (first === undefined || first === 0) return undefined;
  const length = Math.clz32(first) - 23;
  if (at + length > bytes.length) return undefined;
  let value = first & (0xff >> length);
  for (let i = 1; i < length; i++) value = value * 256 + bytes[at + i]!;
  return { value, length };
}

/** An EBML element id keeps its marker bit; ids are at most 4 bytes. */
function readElementId(bytes: Uint8Array, at: number): { value: number; length: number } | undefined {
  const first = bytes[at];
  if (first === undefined || first < 0x10) return undefined;
  const length = Math.clz32(first) - 23;
  if (at + length > bytes.length) return undefined;
  let value = 0;
  for (let i = 0; i < length; i++) value = value * 256 + bytes[at + i]!;
  return { value, length };
}

function sniffAvi(bytes: Uint8Array): Container | undefined {
  return ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'AVI ' ? 'avi' : undefined;
}

/**
 * MPEG-TS has no magic, only a 0x47 sync byte opening every 188-byte packet (192 with the
 * Blu-ray timecode prefix of M2TS). Three syncs in a row make a false positive unlikely.
 */
function sniffMpegTs(bytes: Uint8Array): Container | undefined {
  const syncsAt = (offset: number, stride: number) => {
    let seen = 0;
    for (let at = offset; at < bytes.length && seen < 3; at += stride) {
      if (bytes[at] !== 0x47) return false;
      seen++;
    }
    return seen >= 3;
  };
  return syncsAt(0, TS_PACKET) || syncsAt(4, M2TS_PACKET) ? 'mpegts' : undefined;
}
