/**
 * Scenario 9 — bundle size: `faultline/client` as a browser app ships it (esbuild --bundle
 * --minify, platform browser, then gzip -9) against ky, the anchor, bundled the same way in the
 * same run. Sizes, not timings: the figures do not depend on machine load.
 * Run alone: `NODE_OPTIONS=--conditions=development node_modules/.bin/node bench/scenarios/9-bundle-size.ts`.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { emit, type Figure } from '../lib/result.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
/** The budget of the whole `faultline/client` subpath, min + gzip -9, in bytes (1 KB = 1000 bytes). */
const BUDGET = 5000;

/** Bytes of an entry bundled for the browser: minified, and minified + gzip -9. */
async function sizeOf(contents: string): Promise<{ min: number; gzip: number }> {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'js' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    minify: true,
    // faultline from its TypeScript sources (the monorepo's development condition): no build needed;
    // the test suite checks that the published dist/ bundles to the same size within a few bytes.
    conditions: ['development'],
    logLevel: 'error',
  });
  const code = result.outputFiles[0]!.text;
  return { min: code.length, gzip: gzipSync(code, { level: constants.Z_BEST_COMPRESSION }).length };
}

const ky = await sizeOf("export { default } from 'ky';");
const whole = await sizeOf("export * from 'faultline/client';");
const typical = await sizeOf("export { createClient, ResponseError } from 'faultline/client';");
const kb = (bytes: number) => bytes / 1000;
const figures: Figure[] = [
  { name: 'ky (whole package) — min + gzip -9', value: kb(ky.gzip), unit: 'KB' },
  {
    name: 'faultline/client (every export) — min + gzip -9',
    value: kb(whole.gzip),
    unit: 'KB',
    baseline: 'ky',
    ratio: whole.gzip / ky.gzip,
    target: `< ${kb(BUDGET)} KB`,
    ok: whole.gzip < BUDGET,
  },
  {
    name: 'faultline/client (createClient + ResponseError) — min + gzip -9',
    value: kb(typical.gzip),
    unit: 'KB',
    baseline: 'ky',
    ratio: typical.gzip / ky.gzip,
  },
];
emit({
  id: 'bundle-size',
  title: '9. bundle size — faultline/client in a browser bundle vs ky',
  method:
    'esbuild --bundle --minify --format=esm --platform=browser of one entry module, then gzip level 9 (Node zlib); 1 KB = 1000 bytes. ky measured the same way in the same run.',
  figures,
  notes: [
    `minified, before gzip: ky ${ky.min} bytes, faultline/client ${whole.min} bytes (createClient + ResponseError only: ${typical.min} bytes)`,
    "decode-only: the client imports each format's `…Decoder` (its decode half), so no encoder, ApiError or compiled-encoder helper is bundled; every built-in decoder (17 shapes) is bundled",
  ],
});
