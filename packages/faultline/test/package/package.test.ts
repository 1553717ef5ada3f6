/**
 * faultline as a user gets it from npm: `npm pack` → install into an empty project in the temp
 * directory → import every subpath on Node 22 and 24, run the bin, compile TypeScript against the
 * .d.ts, serve the fetch app on Bun, Deno and workerd, run the client bundle in Chromium, lint the
 * package. One pack per run; every subpath in package.json `exports` is picked up by itself.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Miniflare } from 'miniflare';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.ts';
import { bundleIn, inputsOf, shippedOf } from './support/bundle.ts';
import { expectCatalogAnswers } from './support/expect-error.ts';
import {
  BIN_DIR,
  NODE22,
  NODE24,
  PACKAGE_DIR,
  packAndInstall,
  run,
  type Scratch,
  serve,
} from './support/scratch.ts';

let scratch: Scratch;
beforeAll(async () => {
  scratch = await packAndInstall();
}, 180_000);
afterAll(() => scratch?.cleanup());

/** Helpers that must stay internal: a user never needs them, and exporting them freezes them. */
const INTERNAL = ['asObject', 'guard', 'statusOf', 'readHeader', 'normaliseEntry', 'reportProduced'];

describe('the tarball', () => {
  it('holds the build, the bin, README and LICENSE only, without the monorepo development condition', () => {
    const stray = scratch.files.filter(
      (path) =>
        !/^(dist\/.+\.(js|d\.ts|js\.map)|bin\/faultline\.js|package\.json|README\.md|LICENSE)$/.test(path),
    );
    expect(stray).toEqual([]);
    expect(scratch.files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'dist/cli/bin.js']));
    const text = JSON.stringify(scratch.manifest);
    expect(text).not.toContain('development');
    expect(text).not.toContain('./src/');
    for (const [key, target] of Object.entries(scratch.manifest.exports)) {
      if (key === './package.json') continue;
      const { types, default: js } = target as { types: string; default: string };
      expect(scratch.files).toContain(types.slice(2));
      expect(scratch.files).toContain(js.slice(2));
      expect(scratch.files).toContain(`${js.slice(2)}.map`);
    }
    // postpack put the workspace manifest back, development condition included.
    expect(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')).toContain(
      '"development": "./src/index.ts"',
    );
  });

  it('lists every folder it ships in the package README', () => {
    const readme = readFileSync(join(PACKAGE_DIR, 'README.md'), 'utf8');
    const folders = new Set(
      scratch.files.filter((path) => /^dist\/[^/]+\//.test(path)).map((path) => path.split('/')[1]),
    );
    expect(folders.size).toBeGreaterThan(5);
    for (const folder of folders) expect(readme).toContain(`\`dist/${folder}/\``);
  });

  it('is clean under publint (strict) and arethetypeswrong (ESM-only profile, see the README)', async () => {
    const tarball = readFileSync(scratch.tarball);
    const { messages, pkg } = await publint({
      pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) },
      strict: true,
    });
    expect(messages.map((m) => formatMessage(m, pkg))).toEqual([]);
    // ESM only: node10 resolution (no `exports`) and require() from CJS under TypeScript's node16
    // rules are out of scope, as the package README explains; everything else must be clean.
    // Through a file: attw exits right after writing, which can cut a piped stdout short.
    const report = join(scratch.dir, 'attw.json');
    const attw = await run(
      'sh',
      ['-c', `"${join(BIN_DIR, 'attw')}" "${scratch.tarball}" --format json > attw.json`],
      {
        cwd: scratch.dir,
      },
    );
    expect(attw.stderr).toBe('');
    const problems = Object.values(
      (
        JSON.parse(readFileSync(report, 'utf8')) as {
          problems: Record<string, { kind: string; entrypoint: string; resolutionKind?: string }[]>;
        }
      ).problems,
    ).flat();
    expect(problems.length).toBeGreaterThan(0); // the explained ones: proves the report was read
    const explained = new Set(['node10 NoResolution', 'node16-cjs CJSResolvesToESM']);
    expect(problems.filter((p) => !explained.has(`${p.resolutionKind} ${p.kind}`))).toEqual([]);
  });
});

describe.each([
  ['Node 22', NODE22, '22.'],
  ['Node 24', NODE24, '24.'],
])('%s', (_label, node, version) => {
  it('imports every exported subpath from the installed package', async () => {
    const result = await run(node, ['import-all.js'], { cwd: scratch.dir });
    expect(result.stderr).toBe('');
    const { node: seen, subpaths } = JSON.parse(result.stdout) as {
      node: string;
      subpaths: Record<string, string[]>;
    };
    expect(seen.startsWith(version)).toBe(true);
    expect(Object.keys(subpaths)).toEqual(scratch.specifiers);
    for (const [specifier, names] of Object.entries(subpaths)) {
      if (specifier !== 'faultline/testing/register') expect(names.length, specifier).toBeGreaterThan(0);
      expect(
        names.filter((name) => INTERNAL.includes(name)),
        specifier,
      ).toEqual([]);
    }
    expect(subpaths['faultline']).toEqual(
      expect.arrayContaining(['defineCatalog', 'ApiError', 'structured']),
    );
    expect(subpaths['faultline/client']).toEqual(expect.arrayContaining(['createClient', 'decodeError']));
    expect(subpaths['faultline/decoders']).toEqual(
      expect.arrayContaining(['decodeAnyError', 'anyDecoders', 'google', 'stripe']),
    );
    expect(subpaths['faultline/fetch']).toEqual(
      expect.arrayContaining(['createErrorResponder', 'withFaultline']),
    );
  });

  it('runs `npx faultline explain` with the project catalog from package.json', async () => {
    const env = { ...userPath(node) };
    const explain = await run('npx', ['--no-install', 'faultline', 'explain', 'quota_exceeded'], {
      cwd: scratch.dir,
      env,
    });
    expect(explain.stderr).toBe('');
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain('quota_exceeded');
    expect(explain.stdout).toContain('Quota Exceeded');
    expect(explain.stdout).toContain('429');
    const versionRun = await run('npx', ['--no-install', 'faultline', '--version'], {
      cwd: scratch.dir,
      env,
    });
    expect(versionRun.stdout.trim()).toBe(scratch.manifest['version']);
    // The bin ran on this Node: its process reports the version the PATH put first.
    const which = await run('npx', ['--no-install', 'node', '--version'], { cwd: scratch.dir, env });
    expect(which.stdout.trim().startsWith(`v${version}`)).toBe(true);
  });
});

/** The environment a user's shell would have with `node` (22 or 24) first on PATH. */
function userPath(node: string): Record<string, string> {
  return {
    PATH: [dirname(node), BIN_DIR, process.env['PATH'] ?? ''].join(':'),
    HOME: process.env['HOME'] ?? '',
    NO_COLOR: '1',
  };
}

it('compiles a strict TypeScript project against the .d.ts, skipLibCheck off, for Node and for the web', async () => {
  const imports = scratch.specifiers.map((s, i) => `import * as m${i} from '${s}';`).join('\n');
  const uses = `export const all = [${scratch.specifiers.map((_, i) => `m${i}`).join(', ')}];\n`;
  writeFileSync(join(scratch.dir, 'subpaths.ts'), `${imports}\n${uses}`);
  const strict = {
    strict: true,
    skipLibCheck: false,
    noEmit: true,
    module: 'nodenext',
    moduleResolution: 'nodenext',
    target: 'es2022',
  };
  writeFileSync(
    join(scratch.dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { ...strict, types: ['node'], lib: ['es2023'] },
      files: ['subpaths.ts', 'usage.ts'],
    }),
  );
  // A browser/worker project: no Node types at all, so the client and fetch .d.ts must not need them.
  writeFileSync(
    join(scratch.dir, 'web.ts'),
    "export * from 'faultline/client';\nexport * from 'faultline/decoders';\nexport { createErrorResponder, withFaultline } from 'faultline/fetch';\nexport { defineCatalog, structured } from 'faultline';\n",
  );
  writeFileSync(
    join(scratch.dir, 'tsconfig.web.json'),
    JSON.stringify({
      compilerOptions: { ...strict, types: [], lib: ['es2023', 'dom', 'dom.iterable'] },
      files: ['web.ts'],
    }),
  );
  for (const project of ['tsconfig.json', 'tsconfig.web.json']) {
    const tsc = await run(join(BIN_DIR, 'tsc'), ['-p', project], { cwd: scratch.dir });
    expect(tsc.stdout + tsc.stderr, project).toBe('');
    expect(tsc.code).toBe(0);
  }
});

describe('faultline/fetch answers a catalog error the same way on every runtime', () => {
  it.each([
    ['Node 22', NODE22, ['node-server.js']],
    ['Node 24', NODE24, ['node-server.js']],
    ['Bun', join(BIN_DIR, 'bun'), ['bun-server.js']],
    ['Deno', join(BIN_DIR, 'deno'), ['run', '--allow-net', '--allow-read', 'deno-server.js']],
  ])('%s', async (_label, command, args) => {
    const server = await serve(command, args, scratch.dir);
    try {
      await expectCatalogAnswers(server.url);
    } finally {
      await server.stop();
    }
  });

  it('records the errors a server sends under `--import faultline/testing/register`, and only then', async () => {
    const file = join(scratch.dir, 'coverage.jsonl');
    const args = ['--import', 'faultline/testing/register', 'node-server.js'];
    const recorded = await serve(NODE24, args, scratch.dir, { FAULTLINE_COVERAGE: file });
    try {
      await expectCatalogAnswers(recorded.url);
    } finally {
      await recorded.stop();
    }
    expect(readFileSync(file, 'utf8').trim().split('\n').sort()).toEqual([
      '["faultline framework errors","not_found"]',
      '["package-check","quota_exceeded"]',
    ]);
    rmSync(file);
    const plain = await serve(NODE24, args, scratch.dir);
    try {
      await expectCatalogAnswers(plain.url);
    } finally {
      await plain.stop();
    }
    expect(existsSync(file)).toBe(false);
  });

  it('workerd (Miniflare), bundled as wrangler bundles a worker', async () => {
    const bundle = await bundleIn(scratch.dir, "export { default } from './fetch-app.js';", 'worker');
    expect(inputsOf(bundle).filter((path) => path.startsWith('node:'))).toEqual([]);
    const mf = new Miniflare({ modules: true, script: bundle.code, compatibilityDate: '2025-01-01' });
    try {
      const url = await mf.ready;
      await expectCatalogAnswers(url.origin);
    } finally {
      await mf.dispose();
    }
  });
});

describe('faultline/client in a browser', () => {
  it('bundles for the browser without Node built-ins or server code (its size: bench 9-bundle-size)', async () => {
    const whole = await bundleIn(scratch.dir, "export * from 'faultline/client';", 'browser', {
      minify: true,
    });
    const inputs = inputsOf(whole);
    expect(inputs.filter((path) => !path.startsWith('node_modules/faultline/dist/'))).toEqual([]);
    expect(inputs.filter((path) => /\/dist\/(server|docs|cli|testing)\//.test(path))).toEqual([]);
    // Decode-only: no code of the formats' encoders, ApiError or the compiled-encoder helpers is
    // shipped (they may be read, then shaken out), while the decoding core of every shape is.
    const shipped = shippedOf(whole);
    expect(
      shipped.filter((path) => /\/dist\/(error\/|formats\/(compile|by-status|transition)\.js)/.test(path)),
    ).toEqual([]);
    // The ecosystem shapes are opt-in (faultline/decoders): not in a client that does not import them.
    expect(shipped.filter((path) => path.includes('/dist/decoders/'))).toEqual([]);
    expect(shipped).toEqual(
      expect.arrayContaining([
        'node_modules/faultline/dist/formats/decode.js',
        'node_modules/faultline/dist/formats/readable.js',
      ]),
    );
    // Nor a wire format object (only they have `contentType`): `flat`/`spring` are made by factories.
    expect(whole.code).not.toContain('contentType');
    expect(whole.code).not.toMatch(/["']node:/);
  });

  it('decodes a catalog error from the fetch app in Chromium', async () => {
    await bundleIn(scratch.dir, "import './client-entry.js';", 'browser', { outfile: 'client.js' });
    const server = await serve(NODE24, ['node-server.js'], scratch.dir);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${server.url}/`);
      await page.waitForFunction(() => 'decodeFrom' in globalThis);
      const decoded = await page.evaluate(() =>
        (globalThis as unknown as { decodeFrom(path: string): Promise<unknown> }).decodeFrom('/quota'),
      );
      expect(decoded).toEqual({
        format: 'structured',
        status: 429,
        code: 'quota_exceeded',
        message: 'The free plan has no requests left this minute.',
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        link: 'https://docs.example.test/errors#quota_exceeded-quota-exceeded',
        retryAfterMs: 30_000,
        attempts: 1,
      });
    } finally {
      await browser.close();
      await server.stop();
    }
  });
});
