import { createReadStream, createWriteStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * MPEG-TS repair for probing. The static ffprobe build shipped on npm crashes (SIGSEGV in
 * iconv, which a static glibc cannot load) while decoding the service names of the SDT table
 * — i.e. on any TS that ffmpeg muxes with its defaults. The SDT (PID 0x11) only names the
 * channel; PAT and PMT describe the streams. Dropping its packets lets the same ffprobe read
 * the file, and changes nothing we measure.
 */

/**
 * PID of the Service Description Table.
 * @example dropPid(SDT_PID, 188)
 */
export const SDT_PID = 0x11;

/**
 * A Transform that drops every transport packet of `pid` from a 188-byte (TS) or
 * 192-byte (M2TS: 4-byte timecode prefix) packet stream.
 * @example await pipeline(createReadStream(src), dropPid(SDT_PID, 188), createWriteStream(dst));
 */
export function dropPid(pid: number, packetSize: 188 | 192): Transform {
  const syncAt = packetSize - 188;
  let carry = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const whole = data.length - (data.length % packetSize);
      const kept: Buffer[] = [];
      for (let at = 0; at < whole; at += packetSize) {
        const packet = data.subarray(at, at + packetSize);
        const packetPid = ((packet[syncAt + 1]! & 0x1f) << 8) | packet[syncAt + 2]!;
        if (packet[syncAt] !== 0x47 || packetPid !== pid) kept.push(packet);
      }
      carry = Buffer.from(data.subarray(whole));
      done(null, kept.length ? Buffer.concat(kept) : undefined);
    },
    flush(done: TransformCallback) {
      done(null, carry.length ? carry : undefined);
    },
  });
}

/**
 * Copies a TS file without its SDT packets; returns the packet size it detected.
 * @example await copyWithoutServiceTable('/tmp/u1', '/tmp/u1.nosdt.ts');
 */
export async function copyWithoutServiceTable(source: string, target: string): Promise<188 | 192> {
  const head = await readHead(source, 2 * 192 + 8);
  // Plain TS has its sync byte at 0 and 188; M2TS at 4 and 196 (after the timecode).
  const packetSize = head[0] === 0x47 && (head.length <= 188 || head[188] === 0x47) ? 188 : 192;
  await pipeline(createReadStream(source), dropPid(SDT_PID, packetSize), createWriteStream(target));
  return packetSize;
}

async function readHead(file: string, bytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(file, { start: 0, end: bytes - 1 }))
    chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
