import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { EntryDef } from '../../src/catalog/index.ts';

/** Repository root, Node 24 and the real bin: the tests run the command as a user would. */
export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const NODE = join(ROOT, 'node_modules/.bin/node');
export const BIN = join(ROOT, 'packages/faultline/src/cli/bin.ts');
const FAULTLINE = pathToFileURL(join(ROOT, 'packages/faultline/src/index.ts')).href;

/** What a run printed and how it exited. */
export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment of a child: ours, minus anything that would change what faultline reads. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  if (!('FAULTLINE_COVERAGE' in extra)) delete env['FAULTLINE_COVERAGE'];
  delete env['FAULTLINE_DEBUG'];
  return env;
}

/** Runs a command line (`node …` or `npx …`) to completion; never rejects on a non-zero exit. */
export function exec(
  file: string,
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      { cwd: options.cwd ?? ROOT, env: cleanEnv(options.env), encoding: 'utf8', timeout: 20_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}

/** `faultline <args>` through the real bin on Node 24. */
export function faultline(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
) {
  return exec(NODE, [BIN, ...args], options);
}

/** A temporary folder, removed by `cleanup`. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-cli-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Writes a catalog module (`export const <name> = defineCatalog(...)`) and returns its path.
 * @example writeCatalog(dir, 'v1.ts', { a1: { title: 'A', status: 400, category: 'X', message: 'm', fix: ['f'] } })
 */
export function writeCatalog(
  dir: string,
  file: string,
  entries: Record<string, EntryDef>,
  options: { exportName?: string; name?: string; docsBase?: string } = {},
): string {
  const path = join(dir, file);
  mkdirSync(dirname(path), { recursive: true });
  const definition = {
    name: options.name ?? 'test-catalog',
    ...(options.docsBase && { docsBase: options.docsBase }),
    entries,
  };
  writeFileSync(
    path,
    `import { defineCatalog } from '${FAULTLINE}';\n` +
      `export const ${options.exportName ?? 'catalog'} = defineCatalog(${JSON.stringify(definition, null, 2)});\n`,
  );
  return path;
}

/** A well-formed entry, for tests to vary one thing at a time; an `undefined` override removes the key. */
export function entry(
  title: string,
  overrides: { [K in keyof EntryDef]?: EntryDef[K] | undefined } = {},
): EntryDef {
  const def: Record<string, unknown> = {
    title,
    status: 400,
    category: 'Input',
    message: `${title}.`,
    fix: [`Fix ${title.toLowerCase()}.`],
    ...overrides,
  };
  for (const key of Object.keys(def)) if (def[key] === undefined) delete def[key];
  return def as unknown as EntryDef;
}
