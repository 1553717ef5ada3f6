import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';

/** A bundle esbuild made from the scratch project, with what went into it. */
export interface Bundle {
  readonly code: string;
  readonly metafile: Metafile;
  /** Bytes after `gzip -9`. */
  readonly gzipBytes: number;
}

/**
 * Bundles `source` (an ES module's text) from inside the scratch project, so bare imports resolve
 * to the installed tarball. `browser` bundles as a web page would; `worker` as wrangler does for
 * workerd. External nothing: a Node built-in in a browser bundle is a build error, not a warning.
 * @example const bundle = await bundleIn(scratch.dir, "export * from 'faultline/client';", 'browser');
 */
export async function bundleIn(
  dir: string,
  source: string,
  target: 'browser' | 'worker',
  options: { minify?: boolean; outfile?: string } = {},
): Promise<Bundle> {
  const result = await build({
    stdin: { contents: source, resolveDir: dir, sourcefile: 'entry.js', loader: 'js' },
    absWorkingDir: dir,
    bundle: true,
    write: false,
    format: 'esm',
    platform: target === 'browser' ? 'browser' : 'neutral',
    ...(target === 'worker'
      ? { conditions: ['workerd', 'worker', 'browser'], mainFields: ['module', 'main'] }
      : {}),
    minify: options.minify ?? false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  if (options.outfile) writeFileSync(join(dir, options.outfile), code);
  return {
    code,
    metafile: result.metafile,
    gzipBytes: gzipSync(code, { level: constants.Z_BEST_COMPRESSION }).length,
  };
}

/** Every module a bundle read besides its entry, relative to the project (node_modules/faultline/dist/…). */
export function inputsOf(bundle: Bundle): string[] {
  return Object.keys(bundle.metafile.inputs)
    .filter((path) => path !== 'entry.js')
    .sort();
}

/**
 * The modules whose code is in the output (a module can be read and still shaken out entirely):
 * what a bundle really carries.
 */
export function shippedOf(bundle: Bundle): string[] {
  const output = Object.values(bundle.metafile.outputs)[0];
  return Object.entries(output?.inputs ?? {})
    .filter(([path, { bytesInOutput }]) => path !== 'entry.js' && bytesInOutput > 0)
    .map(([path]) => path)
    .sort();
}
