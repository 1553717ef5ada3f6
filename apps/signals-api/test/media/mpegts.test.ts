import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, describe, expect, it } from 'vitest';
import { copyWithoutServiceTable, dropPid, SDT_PID } from '../../src/media/mpegts.ts';
import { fixturePath } from '../fixtures/index.ts';
import { plainTransportStream, scratchDir } from './helpers.ts';

const scratch = scratchDir();
afterAll(() => scratch.cleanup());

function packet(pid: number, fill: number, prefix = 0): Buffer {
  const p = Buffer.alloc(prefix + 188, fill);
  p[prefix] = 0x47;
  p[prefix + 1] = (pid >> 8) & 0x1f;
  p[prefix + 2] = pid & 0xff;
  return p;
}

const pids = (bytes: Buffer, size: number, prefix: number) => {
  const out: number[] = [];
  for (let at = 0; at + size <= bytes.length; at += size)
    out.push(((bytes[at + prefix + 1]! & 0x1f) << 8) | bytes[at + prefix + 2]!);
  return out;
};

describe('dropPid', () => {
  it('drops exactly the packets of one PID, whatever the chunking', async () => {
    const input = Buffer.concat([
      packet(0, 1),
      packet(SDT_PID, 2),
      packet(0x100, 3),
      packet(SDT_PID, 4),
      packet(0x101, 5),
    ]);
    // Chunks of 100 bytes: packets straddle chunk boundaries.
    const chunks = Array.from({ length: Math.ceil(input.length / 100) }, (_, i) =>
      input.subarray(i * 100, i * 100 + 100),
    );
    const output = await buffer(Readable.from(chunks).pipe(dropPid(SDT_PID, 188)));
    expect(output).toEqual(Buffer.concat([packet(0, 1), packet(0x100, 3), packet(0x101, 5)]));
  });

  it('handles M2TS (4-byte timecode before each packet)', async () => {
    const input = Buffer.concat([packet(0, 1, 4), packet(SDT_PID, 2, 4), packet(0x100, 3, 4)]);
    const output = await buffer(Readable.from([input]).pipe(dropPid(SDT_PID, 192)));
    expect(pids(output, 192, 4)).toEqual([0, 0x100]);
  });
});

describe('copyWithoutServiceTable', () => {
  it('removes the SDT of the real fixtures and nothing else', async () => {
    for (const [name, bytes, size, prefix] of [
      ['good.m2ts', readFileSync(fixturePath('good.m2ts')), 192, 4],
      ['plain.ts', plainTransportStream(), 188, 0],
    ] as const) {
      const source = scratch.write(name, bytes);
      const target = `${source}.nosdt`;
      expect(await copyWithoutServiceTable(source, target)).toBe(size);
      const before = pids(bytes, size, prefix);
      const after = pids(readFileSync(target), size, prefix);
      expect(before).toContain(SDT_PID);
      expect(after).toEqual(before.filter((pid) => pid !== SDT_PID));
    }
  });
});
