import { execFile, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, the package, and the binaries the runtimes come from (all installed from npm). */
export const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
export const PACKAGE_DIR = join(ROOT, 'packages/faultline');
export const BIN_DIR = join(ROOT, 'node_modules/.bin');
export const NODE24 = join(BIN_DIR, 'node');
export const NODE22 = join(ROOT, 'node_modules/node22/bin/node');
const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** What a command printed and how it exited. */
export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A child's environment: PATH (the pinned tools first, then `first`), HOME, nothing else. No
 * NODE_OPTIONS: the monorepo's `--conditions=development` must not reach a user's project.
 */
export function userEnv(first: readonly string[] = []): Record<string, string> {
  return {
    PATH: [...first, BIN_DIR, process.env['PATH'] ?? ''].join(':'),
    HOME: process.env['HOME'] ?? tmpdir(),
    DENO_NO_UPDATE_CHECK: '1',
    NO_COLOR: '1',
  };
}

/** Runs a command to completion; never rejects on a non-zero exit (the test reads `code`). */
export function run(
  file: string,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; timeout?: number },
): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      {
        cwd: options.cwd,
        env: options.env ?? userEnv(),
        encoding: 'utf8',
        timeout: options.timeout ?? 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}

/** A server in a child process, up once it printed `listening on <url>`. */
export interface Served {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts a server process and waits, event-driven, for its `listening on <url>` line.
 * @example const server = await serve(BUN, ['bun-server.js'], scratch.dir);
 */
export function serve(
  file: string,
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<Served> {
  const child = spawn(file, [...args], {
    cwd,
    env: { ...userEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${file} ${args.join(' ')} did not listen within 30 s:\n${err}${out}`));
    }, 30_000);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1]!, stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} ${args.join(' ')} exited (${code}) before listening:\n${err}${out}`));
    });
  });
}

/** The packed tarball, installed into a fresh project outside the workspace. */
export interface Scratch {
  /** The project: package.json, the fixtures, node_modules/faultline from the tarball. */
  readonly dir: string;
  readonly tarball: string;
  /** Paths inside the tarball, as `npm pack` listed them. */
  readonly files: readonly string[];
  /** The published package.json. */
  readonly manifest: { exports: Record<string, unknown>; [key: string]: unknown };
  /** Every import specifier the package exports (`faultline`, `faultline/client`, …). */
  readonly specifiers: readonly string[];
  cleanup(): void;
}

/**
 * `npm pack` (its prepack builds dist/ and strips the development condition), then
 * `npm install <tarball>` into an empty project in the temp directory, as a user would.
 * @example const scratch = await packAndInstall();
 */
export async function packAndInstall(): Promise<Scratch> {
  const root = mkdtempSync(join(tmpdir(), 'faultline-package-'));
  const pack = await run('npm', ['pack', '--json', '--pack-destination', root], {
    cwd: PACKAGE_DIR,
    timeout: 120_000,
  });
  if (pack.code !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
  const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as {
    filename: string;
    files: { path: string }[];
  }[];
  const tarball = join(root, info!.filename);
  const dir = join(root, 'project');
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'scratch', private: true, type: 'module', faultline: { catalog: './catalog.js#api' } }, null, 2)}\n`,
  );
  cpSync(FIXTURES, dir, { recursive: true });
  // The package's own dependencies are packed from the workspace's installed copies (the very
  // registry tarballs npm ci fetched), so the install needs no network and no shared npm cache.
  const dependencies = await packDependencies(root);
  const install = await run(
    'npm',
    [
      'install',
      '--offline',
      '--cache',
      join(root, 'npm-cache'),
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      ...dependencies,
      tarball,
    ],
    { cwd: dir, timeout: 120_000 },
  );
  if (install.code !== 0) throw new Error(`npm install of the tarball failed:\n${install.stderr}`);
  linkTypes(dir);
  const manifest = JSON.parse(readFileSync(join(dir, 'node_modules/faultline/package.json'), 'utf8'));
  const specifiers = Object.keys(manifest.exports)
    .filter((key) => key !== './package.json')
    .map((key) => (key === '.' ? 'faultline' : `faultline/${key.slice(2)}`));
  return {
    dir,
    tarball,
    files: info!.files.map((f) => f.path).sort(),
    manifest,
    specifiers,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Tarballs of faultline's runtime dependencies, packed from the copies the workspace resolves. */
async function packDependencies(root: string): Promise<string[]> {
  const manifest = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const tarballs: string[] = [];
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    const nested = join(PACKAGE_DIR, 'node_modules', name);
    const source = existsSync(nested) ? nested : join(ROOT, 'node_modules', name);
    const pack = await run('npm', ['pack', '--json', '--pack-destination', root, source], { cwd: root });
    if (pack.code !== 0) throw new Error(`npm pack ${name} failed:\n${pack.stderr}`);
    const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as { filename: string }[];
    tarballs.push(join(root, info!.filename));
  }
  return tarballs;
}

/**
 * The optional peers whose types the .d.ts name (fastify, @types/express) and @types/node, linked
 * from the workspace's copies (the same registry packages) rather than downloaded again.
 */
function linkTypes(dir: string): void {
  for (const name of ['fastify', '@types/express', '@types/node']) {
    const target = join(dir, 'node_modules', name);
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', name), target, 'dir');
  }
}
