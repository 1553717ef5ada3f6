import { describe, expect, it } from 'vitest';
import { claimMatches, containerForName, familyOf } from '../../src/media/containers.ts';
import { damagedFamily, SNIFF_BYTES, sniff } from '../../src/media/sniff.ts';
import { GOOD_FIXTURES } from '../fixtures/index.ts';
import { fixtureBytes, plainTransportStream } from './helpers.ts';

const head = (bytes: Uint8Array) => bytes.subarray(0, SNIFF_BYTES);
const ascii = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

/** A box header: 32-bit size, four-character type, then the payload. */
function box(type: string, payload: Uint8Array = new Uint8Array()): Uint8Array {
  const out = Buffer.alloc(8 + payload.length);
  out.writeUInt32BE(out.length, 0);
  out.write(type, 4, 'latin1');
  out.set(payload, 8);
  return out;
}

describe('sniff: containers from magic bytes', () => {
  it.each(GOOD_FIXTURES.map((f) => [f.file, f.container] as const))('%s is %s', (file, container) => {
    expect(sniff(head(fixtureBytes(file)))).toBe(container);
  });

  it('reads a plain 188-byte transport stream as mpegts', () => {
    expect(sniff(head(plainTransportStream()))).toBe('mpegts');
  });

  it('keeps the container of broken files whose header is intact', () => {
    expect(sniff(head(fixtureBytes('no-moov.mp4')))).toBe('mp4');
    expect(sniff(head(fixtureBytes('corrupted.mkv')))).toBe('mkv');
  });

  it('refuses text, empty input and random bytes', () => {
    expect(sniff(head(fixtureBytes('not-a-video.mp4')))).toBeUndefined();
    expect(sniff(new Uint8Array())).toBeUndefined();
    const noise = new Uint8Array(4096).map((_, i) => (i * 73 + 11) % 251);
    expect(sniff(noise)).toBeUndefined();
  });

  it('tells QuickTime from MP4 by the ftyp major brand', () => {
    expect(sniff(box('ftyp', ascii('qt  \0\0\0\0qt  ')))).toBe('mov');
    expect(sniff(box('ftyp', ascii('isom\0\0\x02\0isomiso2')))).toBe('mp4');
    expect(sniff(box('ftyp', ascii('M4V \0\0\0\0')))).toBe('mp4');
  });

  it('refuses still-image ISO-BMFF (HEIF/AVIF)', () => {
    expect(sniff(box('ftyp', ascii('heic\0\0\0\0mif1heic')))).toBeUndefined();
    expect(sniff(box('ftyp', ascii('avif\0\0\0\0avifmif1')))).toBeUndefined();
  });

  it('accepts an old QuickTime file that starts with moov/wide/mdat, not with a text lookalike', () => {
    expect(sniff(box('wide'))).toBe('mov');
    expect(sniff(box('moov', new Uint8Array(16)))).toBe('mov');
    expect(sniff(ascii('abc free text'))).toBeUndefined();
  });

  it('decides Matroska vs WebM from the EBML DocType, not from the magic alone', () => {
    const ebml = (docType: string) => {
      const doc = Buffer.from(docType, 'latin1');
      const child = Buffer.concat([Buffer.from([0x42, 0x82, 0x80 | doc.length]), doc]);
      return Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x80 | child.length]), child]);
    };
    expect(sniff(ebml('webm'))).toBe('webm');
    expect(sniff(ebml('matroska'))).toBe('mkv');
    expect(sniff(ebml('mka-ish'))).toBeUndefined();
    expect(sniff(Buffer.from([0x1a, 0x45, 0xdf, 0xa3]))).toBeUndefined();
  });

  it('needs AVI inside RIFF (a WAV is RIFF too)', () => {
    expect(sniff(ascii('RIFF\x10\0\0\0AVI LIST'))).toBe('avi');
    expect(sniff(ascii('RIFF\x10\0\0\0WAVEfmt '))).toBeUndefined();
  });

  it('needs three sync bytes 188 apart for MPEG-TS', () => {
    const ts = new Uint8Array(188 * 3);
    ts[0] = ts[188] = ts[376] = 0x47;
    expect(sniff(ts)).toBe('mpegts');
    ts[376] = 0;
    expect(sniff(ts)).toBeUndefined();
    expect(sniff(new Uint8Array([0x47]))).toBeUndefined();
  });
});

describe('file names', () => {
  it('maps extensions case-insensitively, by the last one', () => {
    expect(containerForName('Talk.MOV')).toBe('mov');
    expect(containerForName('a.b.webm')).toBe('webm');
    expect(containerForName('clip.ts')).toBe('mpegts');
    expect(containerForName('clip.m2ts')).toBe('mpegts');
    expect(containerForName('dir/sub\\x.mkv')).toBe('mkv');
  });

  it('has no container for unknown, missing or prototype-named extensions', () => {
    expect(containerForName('notes.txt')).toBeUndefined();
    expect(containerForName('video')).toBeUndefined();
    expect(containerForName('x.constructor')).toBeUndefined();
    expect(containerForName('x.__proto__')).toBeUndefined();
    expect(containerForName(undefined)).toBeUndefined();
  });

  it('lets a name and its content disagree only within a family', () => {
    expect(claimMatches('mov', 'mp4')).toBe(true);
    expect(claimMatches('mkv', 'webm')).toBe(true);
    expect(claimMatches('mp4', 'avi')).toBe(false);
    expect(claimMatches('webm', 'mpegts')).toBe(false);
    expect(familyOf('avi')).toBe('riff');
  });
});

describe('damagedFamily: supported magic, broken header', () => {
  it('flags a Matroska file whose EBML header cannot be read, and nothing intact', () => {
    const good = Buffer.from(head(fixtureBytes('good.mkv')));
    const badSize = Buffer.from(good);
    badSize[4] = 0x00;
    const badElements = Buffer.from(good);
    badElements.fill(0x00, 5, 24);
    expect([sniff(badSize), damagedFamily(badSize)]).toEqual([undefined, 'matroska']);
    expect([sniff(badElements), damagedFamily(badElements)]).toEqual([undefined, 'matroska']);
    expect(damagedFamily(good)).toBeUndefined();
    expect(damagedFamily(head(fixtureBytes('good.webm')))).toBeUndefined();
    expect(damagedFamily(ascii('hello world, not a video at all'))).toBeUndefined();
  });

  it('leaves another EBML format with a readable DocType alone (unsupported, not damaged)', () => {
    // EBML header of 7 bytes holding only DocType "foo".
    const other = Uint8Array.of(0x1a, 0x45, 0xdf, 0xa3, 0x86, 0x42, 0x82, 0x83, 0x66, 0x6f, 0x6f);
    expect([sniff(other), damagedFamily(other)]).toEqual([undefined, undefined]);
  });
});
