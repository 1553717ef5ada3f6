import { afterAll, describe, expect, it } from 'vitest';
import {
  childBoxes,
  findBoxes,
  listBoxes,
  movieStructureProblem,
  walkFileAtoms,
} from '../../src/media/atoms.ts';
import { fixturePath } from '../fixtures/index.ts';
import { fixtureBytes, largesizeMp4, scratchDir } from './helpers.ts';

const scratch = scratchDir();
afterAll(() => scratch.cleanup());

const types = (bytes: Uint8Array) => listBoxes(bytes).boxes.map((b) => b.type);

describe('ISO-BMFF top-level boxes', () => {
  it('walks good.mp4 (faststart: moov before mdat) to its exact end', () => {
    const bytes = fixtureBytes('good.mp4');
    const walk = listBoxes(bytes);
    expect(walk.problem).toBeUndefined();
    expect(walk.boxes.map((b) => b.type)).toEqual(['ftyp', 'moov', 'free', 'mdat']);
    const last = walk.boxes.at(-1)!;
    expect(last.offset + last.size).toBe(bytes.length);
    expect(movieStructureProblem(walk)).toBeUndefined();
  });

  it('walks good.mov (QuickTime: wide, mdat, then moov)', () => {
    expect(types(fixtureBytes('good.mov'))).toEqual(['ftyp', 'wide', 'mdat', 'moov']);
  });

  it('reads the file walk with small reads exactly as the in-memory walk', async () => {
    for (const name of ['good.mp4', 'good.mov', 'truncated.mp4', 'no-moov.mp4']) {
      expect(await walkFileAtoms(fixturePath(name))).toEqual(listBoxes(fixtureBytes(name)));
    }
  });

  it('finds the truncation in truncated.mp4 (mdat claims bytes the file lacks)', () => {
    const walk = listBoxes(fixtureBytes('truncated.mp4'));
    expect(walk.problem).toBe('truncated');
    expect(walk.boxes.map((b) => b.type)).toEqual(['ftyp', 'moov', 'free']);
    expect(movieStructureProblem(walk)).toBe('truncated');
  });

  it('finds no moov in no-moov.mp4, whose remaining boxes are intact', () => {
    const walk = listBoxes(fixtureBytes('no-moov.mp4'));
    expect(walk.problem).toBeUndefined();
    expect(walk.boxes.map((b) => b.type)).toEqual(['ftyp', 'free', 'mdat']);
    expect(movieStructureProblem(walk)).toBe('no-moov');
  });

  it('reads a 64-bit largesize header (size field 1) and keeps walking after it', async () => {
    const bytes = largesizeMp4();
    const walk = listBoxes(bytes);
    expect(walk.problem).toBeUndefined();
    const mdat = walk.boxes.find((b) => b.type === 'mdat')!;
    expect(mdat.headerSize).toBe(16);
    expect(mdat.offset + mdat.size).toBe(bytes.length);
    expect(await walkFileAtoms(scratch.write('largesize.mp4', bytes))).toEqual(walk);
  });

  it('calls a largesize beyond the file truncated, and one beyond 2^53 invalid', () => {
    const bytes = largesizeMp4();
    const mdat = listBoxes(bytes).boxes.find((b) => b.type === 'mdat')!;
    bytes.writeBigUInt64BE(5_000_000_000n, mdat.offset + 8);
    expect(listBoxes(bytes).problem).toBe('truncated');
    bytes.writeBigUInt64BE(2n ** 60n, mdat.offset + 8);
    expect(listBoxes(bytes).problem).toBe('invalid');
  });

  it('treats size 0 as "to the end of the file"', () => {
    const bytes = Buffer.from(fixtureBytes('good.mp4'));
    const mdat = listBoxes(bytes).boxes.find((b) => b.type === 'mdat')!;
    bytes.writeUInt32BE(0, mdat.offset);
    const walk = listBoxes(bytes);
    expect(walk.problem).toBeUndefined();
    expect(walk.boxes.at(-1)).toEqual({ ...mdat, size: bytes.length - mdat.offset });
  });

  it('calls impossible headers invalid: size below the header, non-printable type', () => {
    const bytes = Buffer.from(fixtureBytes('good.mp4'));
    const moov = listBoxes(bytes).boxes[1]!;
    bytes.writeUInt32BE(3, moov.offset);
    expect(listBoxes(bytes).problem).toBe('invalid');
    expect(movieStructureProblem(listBoxes(bytes))).toBe('invalid');
    expect(listBoxes(Buffer.from([0, 0, 0, 16, 0, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0])).problem).toBe('invalid');
  });

  it('calls a few stray bytes after the last box truncated', () => {
    const bytes = Buffer.concat([fixtureBytes('good.mp4'), Buffer.from([0, 0, 0])]);
    expect(listBoxes(bytes).problem).toBe('truncated');
  });
});

describe('nested boxes', () => {
  it('finds each track sample description and its entry (stsd has an 8-byte preamble)', () => {
    const bytes = fixtureBytes('good.mp4');
    const stsd = findBoxes(bytes, ['moov', 'trak', 'mdia', 'minf', 'stbl', 'stsd']);
    expect(stsd).toHaveLength(2);
    expect(stsd.flatMap((box) => childBoxes(bytes, box).boxes.map((b) => b.type))).toEqual(['avc1', 'mp4a']);
  });

  it('sees the fourcc the fixture script wrote into unknown-codec.mp4', () => {
    const bytes = fixtureBytes('unknown-codec.mp4');
    const entries = findBoxes(bytes, ['moov', 'trak', 'mdia', 'minf', 'stbl', 'stsd']).flatMap(
      (box) => childBoxes(bytes, box).boxes,
    );
    expect(entries.map((b) => b.type)).toEqual(['FLT0', 'mp4a']);
  });

  it('returns nothing for a path that is not there', () => {
    expect(findBoxes(fixtureBytes('good.mp4'), ['moov', 'nope'])).toEqual([]);
  });
});
