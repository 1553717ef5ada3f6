import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listBoxes } from '../../src/media/atoms.ts';
import { fixturePath } from '../fixtures/index.ts';

const require = createRequire(import.meta.url);
/** The ffprobe/ffmpeg the service uses by default (FFPROBE_PATH / FFMPEG_PATH override). */
export const FFPROBE: string =
  process.env['FFPROBE_PATH'] ?? (require('@ffprobe-installer/ffprobe') as { path: string }).path;
export const FFMPEG: string =
  process.env['FFMPEG_PATH'] ?? (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;

/**
 * A scratch directory for files derived from fixtures; `cleanup()` removes it.
 * @example const scratch = scratchDir(); const p = scratch.write('x.mp4', bytes); scratch.cleanup();
 */
export function scratchDir(): {
  dir: string;
  write(name: string, bytes: Uint8Array): string;
  cleanup(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'signals-media-'));
  return {
    dir,
    write(name, bytes) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A fixture's bytes. */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(fixturePath(name));
}

/**
 * good.m2ts with each 192-byte packet's 4-byte timecode removed: the same programme as a
 * plain 188-byte transport stream (what `.ts` files usually hold).
 */
export function plainTransportStream(): Buffer {
  const m2ts = fixtureBytes('good.m2ts');
  const packets: Buffer[] = [];
  for (let at = 0; at + 192 <= m2ts.length; at += 192) packets.push(m2ts.subarray(at + 4, at + 192));
  return Buffer.concat(packets);
}

/**
 * good.mp4 with its `mdat` header rewritten to the 64-bit `largesize` form, in place: ffmpeg
 * leaves an 8-byte `free` box before `mdat` for exactly this, so no sample moves.
 */
export function largesizeMp4(): Buffer {
  const bytes = Buffer.from(fixtureBytes('good.mp4'));
  const boxes = listBoxes(bytes).boxes;
  const at = boxes.findIndex((box) => box.type === 'mdat');
  const free = boxes[at - 1];
  if (free?.type !== 'free' || free.size !== 8)
    throw new Error('good.mp4 has no 8-byte free box before mdat');
  const size = boxes[at]!.size + 8;
  const start = free.offset;
  bytes.writeUInt32BE(1, start);
  bytes.write('mdat', start + 4, 'latin1');
  bytes.writeBigUInt64BE(BigInt(size), start + 8);
  return bytes;
}
