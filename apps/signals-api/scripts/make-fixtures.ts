/**
 * Builds the media fixtures of test/fixtures/ with the npm-shipped ffmpeg (FFMPEG_PATH
 * overrides it), then crafts the broken ones by editing real files' bytes. Re-runnable;
 * single-threaded bit-exact encodes make the output stable for a given ffmpeg build.
 *
 *   node apps/signals-api/scripts/make-fixtures.ts
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { childBoxes, findBoxes, listBoxes } from '../src/media/atoms.ts';
import { BAD_FIXTURES, fixturePath, GOOD_FIXTURES, SOURCE } from '../test/fixtures/index.ts';

const ffmpeg =
  process.env['FFMPEG_PATH'] ??
  (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;

const MIN_BYTES = 10 * 1024;
const MAX_COMMITTED_BYTES = 200 * 1024;

/** Picture: three sources back to back, so the cuts sit exactly at 3 s and 5 s. */
const { width: W, height: H, fps: R } = SOURCE;
const VIDEO_GRAPH = [
  `testsrc=s=${W}x${H}:r=${R}:d=3[a]`,
  `smptebars=s=${W}x${H}:r=${R}:d=2[b]`,
  `mandelbrot=s=${W}x${H}:r=${R},trim=duration=3,setpts=PTS-STARTPTS[c]`,
  '[a][b][c]concat=n=3:v=1:a=0,format=yuv420p[v]',
].join(';');

/**
 * Sound: a voiced, syllable-rate-modulated 140 Hz tone with harmonics, then a breathier
 * 180 Hz burst with seeded noise, then the voice again; exact digital silence in between.
 */
const [s1, s2, s3] = SOURCE.speech;
const voice = '0.4*(sin(2*PI*140*t)+0.5*sin(2*PI*280*t)+0.3*sin(2*PI*420*t))*(0.55+0.45*sin(2*PI*4*t))';
const breath = '(0.25*sin(2*PI*180*t)*(0.6+0.4*sin(2*PI*5*t))+0.15*(random(0)*2-1))';
const AUDIO_SOURCE =
  `aevalsrc=exprs='(between(t,${s1[0]},${s1[1]})+between(t,${s3[0]},${s3[1]}))*${voice}` +
  `+between(t,${s2[0]},${s2[1]})*${breath}':s=16000:d=${SOURCE.durationSeconds}`;

const EXACT = ['-threads', '1', '-fflags', '+bitexact', '-flags', '+bitexact', '-map_metadata', '-1'];
const H264 = ['-c:v', 'libx264', '-preset', 'medium', '-crf', '32', '-g', '24'];

/** Encoder settings per good fixture; sizes land between 40 and 150 KB. */
const RECIPES: Readonly<Record<string, readonly string[]>> = {
  'good.mp4': [...H264, '-c:a', 'aac', '-b:a', '32k', '-movflags', '+faststart'],
  'good.webm': ['-c:v', 'libvpx-vp9', '-crf', '50', '-b:v', '0', '-deadline', 'good', '-cpu-used', '4'],
  'good.mkv': [...H264, '-c:a', 'libvorbis', '-q:a', '0'],
  'good.mov': [...H264, '-c:a', 'aac', '-b:a', '32k'],
  'good.avi': ['-c:v', 'mpeg4', '-q:v', '14', '-g', '24', '-c:a', 'libmp3lame', '-b:a', '32k'],
  // M2TS: 192-byte packets (4-byte timecode + TS packet). ffmpeg's default SDT (service names
  // without a charset byte) is kept on purpose: it is what crashes the shipped ffprobe, and
  // the service must cope (see src/media/mpegts.ts). Not `.ts`: that is TypeScript's extension.
  'good.m2ts': [...H264, '-c:a', 'aac', '-b:a', '32k', '-f', 'mpegts', '-mpegts_m2ts_mode', '1'],
};
const WEBM_AUDIO = ['-c:a', 'libopus', '-b:a', '24k'];

function run(args: readonly string[]): void {
  execFileSync(ffmpeg, ['-hide_banner', '-v', 'error', '-y', ...args], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

function makeGood(file: string): void {
  const recipe = RECIPES[file];
  if (!recipe) throw new Error(`no recipe for ${file}`);
  const audio = file.endsWith('.webm') ? WEBM_AUDIO : [];
  run([
    ...['-filter_complex', VIDEO_GRAPH, '-f', 'lavfi', '-i', AUDIO_SOURCE],
    ...['-map', '[v]', '-map', '0:a'],
    ...recipe,
    ...audio,
    ...EXACT,
    fixturePath(file),
  ]);
}

/** A `free` box of `size` bytes: legal padding every ISO-BMFF reader skips. */
function freeBox(size: number): Buffer {
  const box = Buffer.alloc(size);
  box.writeUInt32BE(size, 0);
  box.write('free', 4, 'latin1');
  return box;
}

function without(bytes: Buffer, start: number, size: number): Buffer {
  return Buffer.concat([bytes.subarray(0, start), bytes.subarray(start + size)]);
}

/** Seeded xorshift32: the same "random" garbage on every run. */
function garbage(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const BAD_MAKERS: Readonly<Record<string, () => Buffer>> = {
  'truncated.mp4': () => {
    const good = readFileSync(fixturePath('good.mp4'));
    return good.subarray(0, Math.floor(good.length * 0.6));
  },
  'no-moov.mp4': () => {
    const good = readFileSync(fixturePath('good.mp4'));
    const moov = listBoxes(good).boxes.find((box) => box.type === 'moov');
    if (!moov) throw new Error('good.mp4 has no moov to strip');
    return without(good, moov.offset, moov.size);
  },
  'zero-duration.mp4': () => {
    const empty = fixturePath('zero-duration.mp4');
    run([
      '-f',
      'lavfi',
      '-i',
      `testsrc=s=64x48:r=5:d=1`,
      '-frames:v',
      '0',
      '-c:v',
      'libx264',
      ...EXACT,
      empty,
    ]);
    const bytes = readFileSync(empty);
    const ftyp = listBoxes(bytes).boxes.find((box) => box.type === 'ftyp');
    if (!ftyp) throw new Error('zero-frame mp4 has no ftyp');
    const at = ftyp.offset + ftyp.size;
    return Buffer.concat([bytes.subarray(0, at), freeBox(12 * 1024), bytes.subarray(at)]);
  },
  'audio-only.mp4': () => {
    const out = fixturePath('audio-only.mp4');
    run(['-f', 'lavfi', '-i', AUDIO_SOURCE, '-c:a', 'aac', '-b:a', '48k', ...EXACT, out]);
    return readFileSync(out);
  },
  'unknown-codec.mp4': () => {
    const bytes = Buffer.from(readFileSync(fixturePath('good.mp4')));
    const entries = findBoxes(bytes, ['moov', 'trak', 'mdia', 'minf', 'stbl', 'stsd']).flatMap(
      (stsd) => childBoxes(bytes, stsd).boxes,
    );
    const avc1 = entries.find((entry) => entry.type === 'avc1');
    if (!avc1) throw new Error('good.mp4 has no avc1 sample entry');
    bytes.write('FLT0', avc1.offset + 4, 'latin1');
    return bytes;
  },
  'corrupted.mkv': () => {
    const head = readFileSync(fixturePath('good.mkv')).subarray(0, 64);
    return Buffer.concat([head, garbage(24 * 1024, 0x5eed)]);
  },
  'not-a-video.mp4': () => {
    const line = 'This is a plain text file with a video extension; it holds no media at all.\n';
    return Buffer.from(line.repeat(Math.ceil((12 * 1024) / line.length)), 'utf8');
  },
  'tiny.mp4': () => {
    const out = fixturePath('tiny.mp4');
    run(['-f', 'lavfi', '-i', 'testsrc=s=64x48:r=5:d=1', ...H264, '-crf', '40', ...EXACT, out]);
    return readFileSync(out);
  },
  'long.mp4': () => {
    const out = fixturePath('long.mp4');
    run([
      '-f',
      'lavfi',
      '-i',
      'color=c=0x336699:s=64x48:r=1:d=1860',
      '-c:v',
      'libx264',
      '-crf',
      '40',
      ...EXACT,
      out,
    ]);
    return readFileSync(out);
  },
};

function describe(file: string): string {
  const bytes = readFileSync(fixturePath(file));
  const sha = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
  return `${bytes.length} B, sha256 ${sha}…`;
}

const rows: string[][] = [];
for (const fixture of GOOD_FIXTURES) {
  makeGood(fixture.file);
  const size = statSync(fixturePath(fixture.file)).size;
  if (size <= MIN_BYTES || size >= MAX_COMMITTED_BYTES)
    throw new Error(`${fixture.file} is ${size} bytes; it must be over 10 KB and under 200 KB`);
  rows.push([
    `\`${fixture.file}\``,
    `${fixture.container}: ${fixture.videoCodec} + ${fixture.audioCodec}`,
    '200, real measurements',
    describe(fixture.file),
  ]);
}
for (const fixture of BAD_FIXTURES) {
  const make = BAD_MAKERS[fixture.file];
  if (!make) throw new Error(`no maker for ${fixture.file}`);
  writeFileSync(fixturePath(fixture.file), make());
  rows.push([`\`${fixture.file}\``, fixture.why, fixture.error, describe(fixture.file)]);
}

const readme = `# Media fixtures

Generated by \`node apps/signals-api/scripts/make-fixtures.ts\` (ffmpeg from
\`@ffmpeg-installer/ffmpeg\`, or \`FFMPEG_PATH\`); do not edit by hand. \`index.ts\` is the
table both the script and the tests read.

Every good file holds the same ${SOURCE.durationSeconds} s programme at ${SOURCE.width}×${SOURCE.height}, ${SOURCE.fps} fps:
testsrc 0–3 s, smptebars 3–5 s, mandelbrot 5–8 s (scene cuts at ${SOURCE.sceneCuts.join(' s and ')} s), over a
voice-like tone sounding ${SOURCE.speech.map(([a, b]) => `${a}–${b} s`).join(', ')} with digital silence between.

${table(['file', 'what it is', 'upload answer', 'size'], rows)}

Not committed, built by the tests when needed: a > 32 MB MP4 (good.mp4 padded with a
\`free\` box → ih5005) and > 100 MB streamed bodies (ih4003).

\`good.m2ts\` (192-byte M2TS packets; the tests derive a 188-byte \`.ts\` from it) keeps ffmpeg's
default SDT, which makes the npm-shipped ffprobe crash; the service then probes a copy
without the SDT packets (src/media/mpegts.ts).
`;
writeFileSync(fixturePath('README.md'), readme);
console.log(table(['file', 'what it is', 'upload answer', 'size'], rows));

/** A Markdown table with padded columns, as the formatter (Biome) writes it. */
function table(header: readonly string[], body: readonly (readonly string[])[]): string {
  const widths = header.map((_, i) =>
    Math.max(...[header, ...body].map((row) => [...(row[i] ?? '')].length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => cell + ' '.repeat(widths[i]! - [...cell].length)).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...body.map(line)].join('\n');
}
