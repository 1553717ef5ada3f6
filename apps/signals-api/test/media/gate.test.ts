import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isApiError } from 'faultline';
import { describe, expect, it } from 'vitest';
import { createUploadGate } from '../../src/media/gate.ts';
import { fixtureBytes } from './helpers.ts';

/** Feeds `bytes` in `chunk`-sized pieces through a gate; reports the verdict and how much was pulled. */
async function run(bytes: Buffer, options: Parameters<typeof createUploadGate>[0], chunk = 1024) {
  let pulled = 0;
  let at = 0;
  const source = new Readable({
    read() {
      if (at >= bytes.length) return this.push(null);
      const piece = bytes.subarray(at, at + chunk);
      at += piece.length;
      pulled += piece.length;
      this.push(piece);
    },
    highWaterMark: chunk,
  });
  let written = 0;
  const sink = new Writable({
    write(data: Buffer, _encoding, done) {
      written += data.length;
      done();
    },
  });
  const gate = createUploadGate(options);
  try {
    await pipeline(source, gate, sink);
    return { id: 'ok', result: gate.result(), pulled, written };
  } catch (error) {
    return { id: isApiError(error) ? error.id : String(error), pulled, written };
  }
}

describe('upload gate', () => {
  it('passes a good file through untouched and reports its container', async () => {
    const good = fixtureBytes('good.webm');
    const out = await run(good, { maxBytes: 1e6, claimed: 'webm' });
    expect(out).toMatchObject({
      id: 'ok',
      result: { bytes: good.length, container: 'webm' },
      written: good.length,
    });
  });

  it('trusts the content within a family: an MKV named .webm is an mkv', async () => {
    const out = await run(fixtureBytes('good.mkv'), { maxBytes: 1e6, claimed: 'webm' });
    expect(out.result?.container).toBe('mkv');
  });

  it('ih4003 as soon as the count passes the limit, without reading the rest', async () => {
    const good = fixtureBytes('good.avi');
    const out = await run(good, { maxBytes: 20_000, claimed: 'avi' });
    expect(out.id).toBe('ih4003');
    expect(out.written).toBeLessThanOrEqual(20_000);
    // Readable buffering may have pulled a few chunks ahead, never the whole file.
    expect(out.pulled).toBeLessThan(good.length / 2);
  });

  it('ih4002 after the first 4 KB when the content is not a video', async () => {
    const text = Buffer.alloc(200_000, 'not a video at all\n');
    const out = await run(text, { maxBytes: 1e6, claimed: 'mp4' });
    expect(out.id).toBe('ih4002');
    expect(out.pulled).toBeLessThan(64 * 1024);
  });

  it('ih4002 when the name and the content are different families', async () => {
    expect((await run(fixtureBytes('good.avi'), { maxBytes: 1e6, claimed: 'mp4' })).id).toBe('ih4002');
  });

  it('judges files shorter than the sniff window at the end', async () => {
    expect((await run(fixtureBytes('tiny.mp4'), { maxBytes: 1e6, claimed: 'mp4' })).result?.container).toBe(
      'mp4',
    );
    expect((await run(Buffer.from('hello'), { maxBytes: 1e6, claimed: 'mp4' })).id).toBe('ih4002');
  });

  it('ih4001 for an empty file part', async () => {
    expect((await run(Buffer.alloc(0), { maxBytes: 1e6, claimed: 'mp4' })).id).toBe('ih4001');
  });
});
