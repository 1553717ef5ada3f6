import { open } from 'node:fs/promises';

/**
 * ISO-BMFF (MP4/MOV) box walking. ffprobe would also notice a missing `moov`, but only as a
 * generic "invalid data"; walking the top-level boxes ourselves tells a truncated upload
 * (ih5004) from a file without an index (ih5004) from garbage (ih5002), and costs a few
 * 16-byte reads however large the file is.
 */

/** One box: its four-character type, where it starts, its total size and header length. */
export interface Box {
  readonly type: string;
  readonly offset: number;
  readonly size: number;
  readonly headerSize: number;
}

/** What a walk found; `problem` says why it stopped before the end of the range. */
export interface AtomWalk {
  readonly boxes: readonly Box[];
  /** `truncated`: a box runs past the end; `invalid`: a header no encoder writes; `too-many`: gave up. */
  readonly problem?: 'truncated' | 'invalid' | 'too-many';
}

/** Enough for any real file (a 30-min fragmented MP4 has a few thousand boxes); bounds the work on hostile ones. */
const MAX_BOXES = 100_000;
/** Boxes whose payload is made of boxes; `stsd` and `meta` have a 4- or 8-byte preamble first. */
const PREAMBLE: Readonly<Record<string, number>> = { stsd: 8, meta: 4 };

type Step = { box: Box } | { problem: 'truncated' | 'invalid' };

/**
 * Decodes the box header in `header` (bytes read at `at`) inside a range ending at `end`.
 * Size 0 means "to the end of the range"; size 1 means a 64-bit `largesize` follows the type.
 */
function step(header: Uint8Array, at: number, end: number): Step {
  if (end - at < 8 || header.length < 8) return { problem: 'truncated' };
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const size32 = view.getUint32(0);
  const type = String.fromCharCode(...header.subarray(4, 8));
  if (!/^[\x20-\x7e\xa9]{4}$/.test(type)) return { problem: 'invalid' };
  let size: number;
  let headerSize = 8;
  if (size32 === 1) {
    if (end - at < 16 || header.length < 16) return { problem: 'truncated' };
    const large = view.getBigUint64(8);
    if (large > BigInt(Number.MAX_SAFE_INTEGER)) return { problem: 'invalid' };
    size = Number(large);
    headerSize = 16;
  } else if (size32 === 0) {
    size = end - at;
  } else {
    size = size32;
  }
  if (size < headerSize) return { problem: 'invalid' };
  if (at + size > end) return { problem: 'truncated' };
  return { box: { type, offset: at, size, headerSize } };
}

/**
 * The boxes in `bytes[start, end)`, in order.
 * @example listBoxes(readFileSync('good.mp4')).boxes.map((b) => b.type) // ['ftyp', 'moov', 'mdat']
 */
export function listBoxes(bytes: Uint8Array, start = 0, end = bytes.length): AtomWalk {
  const boxes: Box[] = [];
  for (let at = start; at < end; ) {
    if (boxes.length >= MAX_BOXES) return { boxes, problem: 'too-many' };
    const result = step(bytes.subarray(at, Math.min(end, at + 16)), at, end);
    if ('problem' in result) return { boxes, problem: result.problem };
    boxes.push(result.box);
    at += result.box.size;
  }
  return { boxes };
}

/**
 * The children of a container box (`moov`, `trak`, `stsd`, …) inside `bytes`.
 * @example childBoxes(bytes, moov).boxes.filter((b) => b.type === 'trak')
 */
export function childBoxes(bytes: Uint8Array, parent: Box): AtomWalk {
  const start = parent.offset + parent.headerSize + (PREAMBLE[parent.type] ?? 0);
  return listBoxes(bytes, start, parent.offset + parent.size);
}

/**
 * Every box reached by following `path` from the top level, e.g. all `stsd` of all tracks.
 * @example findBoxes(bytes, ['moov', 'trak', 'mdia', 'minf', 'stbl', 'stsd'])
 */
export function findBoxes(bytes: Uint8Array, path: readonly string[]): Box[] {
  let level: readonly Box[] = listBoxes(bytes).boxes;
  for (const [depth, type] of path.entries()) {
    const matches = level.filter((box) => box.type === type);
    if (depth === path.length - 1) return matches;
    level = matches.flatMap((box) => childBoxes(bytes, box).boxes);
  }
  return [];
}

/**
 * Walks the top-level boxes of a file with one small read per box, never loading it.
 * @example const { boxes, problem } = await walkFileAtoms('/tmp/upload-1');
 */
export async function walkFileAtoms(path: string): Promise<AtomWalk> {
  const file = await open(path, 'r');
  try {
    const { size: end } = await file.stat();
    const boxes: Box[] = [];
    const header = new Uint8Array(16);
    for (let at = 0; at < end; ) {
      if (boxes.length >= MAX_BOXES) return { boxes, problem: 'too-many' };
      const { bytesRead } = await file.read(header, 0, 16, at);
      const result = step(header.subarray(0, bytesRead), at, end);
      if ('problem' in result) return { boxes, problem: result.problem };
      boxes.push(result.box);
      at += result.box.size;
    }
    return { boxes };
  } finally {
    await file.close();
  }
}

/** Why an ISO-BMFF file cannot be analysed, by structure alone. */
export type MovieStructureProblem = 'no-moov' | 'truncated' | 'invalid';

/**
 * Judges a top-level walk: a playable movie has a `moov` (its index) and boxes that end where
 * the file ends. Returns undefined when the structure is sound.
 * @example movieStructureProblem(await walkFileAtoms(path)) // 'no-moov'
 */
export function movieStructureProblem(walk: AtomWalk): MovieStructureProblem | undefined {
  if (walk.problem === 'invalid' || walk.problem === 'too-many') return 'invalid';
  // A cut-off upload usually loses the `moov` at the end too; "truncated" is the better hint then.
  if (walk.problem === 'truncated') return 'truncated';
  if (!walk.boxes.some((box) => box.type === 'moov')) return 'no-moov';
  return undefined;
}
