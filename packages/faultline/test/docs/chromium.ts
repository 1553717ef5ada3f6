import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';

/**
 * Flags for a root user on a machine with no network but localhost: no sandbox (root), and
 * none of Chromium's background connections, which this closed network refuses by the dozen.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The Chromium the browser tests drive: `FAULTLINE_CHROMIUM` (a system browser, e.g.
 * /usr/bin/chromium) when set, else the headless build shipped inside the npm package
 * `@sparticuz/chromium`, so `npm ci && npm test` needs nothing installed by hand. The package
 * ships it Brotli-compressed; it is unpacked once into a folder of the temp dir named after
 * the package version and reused. The unpacked file is renamed into place only when complete,
 * so two test runs starting together never execute a half-written binary.
 */
export async function chromiumPath(): Promise<string> {
  const override = process.env['FAULTLINE_CHROMIUM'];
  if (override) {
    if (!existsSync(override)) throw new Error(`FAULTLINE_CHROMIUM=${override}: no such file`);
    return override;
  }
  const root = packageRoot(createRequire(import.meta.url).resolve('@sparticuz/chromium'));
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const packed = join(root, 'bin', 'chromium.br');
  const dir = join(tmpdir(), `faultline-chromium-${version}-${statSync(packed).size}`);
  const binary = join(dir, 'chromium');
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const partial = `${binary}.${process.pid}.partial`;
  await pipeline(
    createReadStream(packed),
    createBrotliDecompress(),
    createWriteStream(partial, { mode: 0o755 }),
  );
  renameSync(partial, binary);
  return binary;
}

/** The folder of the package a resolved entry file belongs to (its exports hide package.json). */
function packageRoot(entry: string): string {
  let dir = dirname(entry);
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'bin'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package root above ${entry}`);
    dir = parent;
  }
  return dir;
}
