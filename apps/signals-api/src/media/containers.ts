/**
 * The containers the upload endpoint accepts, and how a file name maps onto them.
 * A container name is what we report in `video.container`; it comes from the content
 * (magic bytes), never from the name alone.
 */

/** A supported container. MP4 and MOV share ISO-BMFF; MKV and WebM share Matroska. */
export type Container = 'mp4' | 'mov' | 'mkv' | 'webm' | 'avi' | 'mpegts';

/** Byte-level families: two containers of one family can hide behind each other's extension. */
export type ContainerFamily = 'isobmff' | 'matroska' | 'riff' | 'mpegts';

const FAMILY: Readonly<Record<Container, ContainerFamily>> = {
  mp4: 'isobmff',
  mov: 'isobmff',
  mkv: 'matroska',
  webm: 'matroska',
  avi: 'riff',
  mpegts: 'mpegts',
};

const BY_EXTENSION: Readonly<Record<string, Container>> = {
  mp4: 'mp4',
  m4v: 'mp4',
  mov: 'mov',
  qt: 'mov',
  mkv: 'mkv',
  webm: 'webm',
  avi: 'avi',
  ts: 'mpegts',
  mts: 'mpegts',
  m2ts: 'mpegts',
};

/**
 * Extensions we accept, for messages and docs.
 * @example SUPPORTED_EXTENSIONS.includes('webm') // true
 */
export const SUPPORTED_EXTENSIONS: readonly string[] = Object.keys(BY_EXTENSION);

/**
 * The family a container belongs to.
 * @example familyOf('webm') // 'matroska'
 */
export function familyOf(container: Container): ContainerFamily {
  return FAMILY[container];
}

/**
 * The container a file name claims, from its last extension (case-insensitive); undefined
 * when it has none or an unsupported one.
 * @example containerForName('Talk.MOV') // 'mov'
 * @example containerForName('notes.txt') // undefined
 */
export function containerForName(filename: string | undefined): Container | undefined {
  if (!filename) return undefined;
  const base = filename.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  if (dot === -1) return undefined;
  const extension = base.slice(dot + 1).toLowerCase();
  return Object.hasOwn(BY_EXTENSION, extension) ? BY_EXTENSION[extension] : undefined;
}

/**
 * Whether a name's claim and the sniffed content agree. Within a family we trust the
 * content (an iPhone `.mov` with an `mp42` brand is still fine); across families the
 * name is lying about what the bytes are.
 * @example claimMatches('mov', 'mp4') // true
 * @example claimMatches('mp4', 'avi') // false
 */
export function claimMatches(claimed: Container, sniffed: Container): boolean {
  return FAMILY[claimed] === FAMILY[sniffed];
}
