/**
 * Scenario 9 — bundle size: `faultline/client` as a browser app ships it (esbuild --bundle
 * --minify, platform browser, then gzip -9) against ky, the anchor, bundled the same way in the
 * same run. Sizes, not timings: the figures do not depend on machine load. `faultline/client`
 * decodes the core shapes (the seeds', ours, RFC 9457, plain text); the ecosystem shapes, the
 * generic conventions and HTML page reading are opt-in (`faultline/decoders`). Informative rows say where the bytes are: the core
 * decoder alone (`decodeError`), the client without it (its module `formats/detect.ts` replaced by
 * placeholders), and a client that opts in to every ecosystem shape (`decode: decodeAnyError`).
 * Run alone: `NODE_OPTIONS=--conditions=development node_modules/.bin/node bench/scenarios/9-bundle-size.ts`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';
import { emit, type Figure } from '../lib/result.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
/** The budget of the whole `faultline/client` subpath, min + gzip -9, in bytes (1 KB = 1000 bytes). */
const BUDGET = 5000;

/**
 * Replaces the decoder's entry module (`decodeError`, and through it every decoder) by one placeholder
 * function per export, each returning its input so that no call site is optimised away. What the
 * client reaches directly (request-id headers, reason phrases) stays in; the decoder shares those,
 * so the two informative rows overlap and do not add up to the whole.
 */
const withoutDecoder: Plugin = {
  name: 'without-decoder',
  setup(build) {
    build.onLoad({ filter: /[\\/]formats[\\/]detect\.[jt]s$/ }, ({ path }) => {
      const source = readFileSync(path, 'utf8');
      const names = new Set<string>();
      for (const [, single, list] of source.matchAll(
        /export (?:async )?(?:function|const|let) (\w+)|export \{([^}]*)\}/g,
      ))
        for (const item of single ? [single] : list!.split(',')) {
          const name = item
            .trim()
            .split(/\s+as\s+/)
            .pop()!; // `a as b` exports `b`
          if (name && !name.startsWith('type ')) names.add(name);
        }
      const contents = [...names].map((name) => `export function ${name}(...input) { return input; }`);
      return { contents: contents.join('\n'), loader: 'js' };
    });
  },
};

/** Bytes of an entry bundled for the browser: minified, and minified + gzip -9. */
async function sizeOf(contents: string, plugins: Plugin[] = []): Promise<{ min: number; gzip: number }> {
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
    plugins,
  });
  const code = result.outputFiles[0]!.text;
  return { min: code.length, gzip: gzipSync(code, { level: constants.Z_BEST_COMPRESSION }).length };
}

const ky = await sizeOf("export { default } from 'ky';");
const whole = await sizeOf("export * from 'faultline/client';");
const typical = await sizeOf("export { createClient, ResponseError } from 'faultline/client';");
const decoder = await sizeOf("export { decodeError } from 'faultline/client';");
const core = await sizeOf("export * from 'faultline/client';", [withoutDecoder]);
const withEcosystems = await sizeOf(
  "export * from 'faultline/client'; export { decodeAnyError } from 'faultline/decoders';",
);
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
  {
    name: 'faultline/client + faultline/decoders (every export + decodeAnyError: the opt-in shapes too) — min + gzip -9',
    value: kb(withEcosystems.gzip),
    unit: 'KB',
    baseline: 'ky',
    ratio: withEcosystems.gzip / ky.gzip,
  },
  {
    name: 'faultline/client, the core decoder alone (decodeError) — min + gzip -9',
    value: kb(decoder.gzip),
    unit: 'KB',
  },
  {
    name: 'faultline/client without the decoder (detect.ts stubbed) — min + gzip -9',
    value: kb(core.gzip),
    unit: 'KB',
  },
];
emit({
  id: 'bundle-size',
  title: '9. bundle size — faultline/client in a browser bundle vs ky',
  method:
    'esbuild --bundle --minify --format=esm --platform=browser of one entry module, then gzip level 9 (Node zlib); 1 KB = 1000 bytes. ky measured the same way in the same run. Informative rows: every export plus `decodeAnyError` (faultline/decoders, opt-in), the core `decodeError` alone, and every export with `formats/detect.ts` (the decoder) replaced by one placeholder function per export.',
  figures,
  notes: [
    `minified, before gzip: ky ${ky.min} bytes, faultline/client ${whole.min} bytes (createClient + ResponseError only: ${typical.min} bytes; with faultline/decoders ${withEcosystems.min} bytes; core decoder alone ${decoder.min} bytes; client without the decoder ${core.min} bytes)`,
    `where the bytes are (informative rows): the decoder and the rest of the client share the request-id header lookup and the reason-phrase table, which both rows count; what the client adds to the decoder is every export minus the decoder alone, ${kb(whole.gzip - decoder.gzip).toFixed(2)} KB`,
    "decode-only: the client imports each format's `…Decoder` (its decode half), so no encoder, ApiError or compiled-encoder helper is bundled; the core's 9 shapes are bundled (problem, structured, legacy, envelope, nested, spring, trace, flat, text), the 8 opt-in ones (Google, OpenAI, Stripe, Azure, AWS with XML, GitHub, the generic conventions, HTML pages) only with faultline/decoders",
  ],
});
