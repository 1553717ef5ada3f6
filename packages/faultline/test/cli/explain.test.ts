import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { entry, exec, faultline, ROOT, tempDir, writeCatalog } from './helpers.ts';

const temp = tempDir();
afterAll(temp.cleanup);

const demo = writeCatalog(
  temp.dir,
  'demo.ts',
  {
    dm2005: entry('Missing Key Secret', {
      message: 'No `key_secret` in the body.',
      fix: ['Send it.', 'Rotate if lost.'],
    }),
    dm3004: entry('Daily Quota Exceeded', {
      status: 429,
      category: 'Limits',
      retryable: true,
      retryAfterSeconds: 60,
      fields: ['reset_time'],
    }),
    dm6002: entry('Message Too Large', { status: undefined, category: 'Streaming', closeCode: 1009 }),
  },
  { docsBase: 'https://docs.demo.test/errors' },
);

describe('faultline explain', () => {
  it('explains a signals-api error through npx, from the root package.json config', async () => {
    // Facts from the signals-api spec; the app's own wording is not asserted here.
    const run = await exec('npx', ['--no-install', 'faultline', 'explain', 'ih2005']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('ih2005: Missing Key Secret');
    expect(run.stdout).toMatch(/HTTP status\s+400 Bad Request/);
    expect(run.stdout).toMatch(/Category\s+Authentication and authorization\n/);
    expect(run.stdout).toMatch(/Message\s+\S.*key_secret/);
    expect(run.stdout).toMatch(/Retryable\s+No: /);
    expect(run.stdout).toMatch(/How to fix:\n {2}1\. \S/);
    expect(run.stdout).toContain('"error_id": "ih2005"');
    expect(run.stdout).toContain('Docs: #ih2005-missing-key-secret');
  });

  it('shows retry semantics, extra fields and the full link', async () => {
    const run = await faultline(['explain', 'dm3004', '--catalog', demo]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/HTTP status\s+429 Too Many Requests/);
    expect(run.stdout).toMatch(/Retryable\s+Yes: wait the Retry-After delay \(60 s by default\)/);
    expect(run.stdout).toMatch(/Extra body fields\s+`reset_time`/);
    expect(run.stdout).toContain('retry-after: 60');
    expect(run.stdout).toContain('Docs: https://docs.demo.test/errors#dm3004-daily-quota-exceeded');
  });

  it('shows the close code of a WebSocket-only error', async () => {
    const run = await faultline(['explain', 'dm6002', '--catalog', demo]);
    expect(run.stdout).toMatch(/WebSocket close code\s+1009 \(Message Too Big\)/);
    expect(run.stdout).not.toContain('HTTP status');
  });

  it('finds an error by any-case id, by slug and by docs link', async () => {
    for (const name of [
      'DM2005',
      'dm2005-missing-key-secret',
      'https://docs.demo.test/errors#dm2005-missing-key-secret',
    ]) {
      const run = await faultline(['explain', name, '--catalog', demo]);
      expect(run.code, name).toBe(0);
      expect(run.stdout, name).toContain('dm2005: Missing Key Secret');
    }
  });

  it('suggests the closest id for an unknown one, with exit code 2', async () => {
    const run = await faultline(['explain', 'dm2050', '--catalog', demo]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('"dm2050" is not an error of catalog "test-catalog"; did you mean dm2005?');
    const far = await faultline(['explain', 'zzzzzzzz', '--catalog', demo]);
    expect(far.code).toBe(2);
    expect(far.stderr).not.toContain('did you mean');
  });

  it('needs exactly one id', async () => {
    const none = await faultline(['explain', '--catalog', demo]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('missing the error id to explain');
    expect(none.stderr).toContain('usage: faultline explain');
    expect((await faultline(['explain', 'a', 'b', '--catalog', demo])).code).toBe(2);
  });

  it('prints JSON, in the chosen wire format and docs base', async () => {
    const json = await faultline([
      'explain',
      'dm2005',
      '--json',
      '--catalog',
      demo,
      '--docs-base',
      'https://x.test/e',
    ]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      id: 'dm2005',
      status: 400,
      slug: 'dm2005-missing-key-secret',
      link: 'https://x.test/e#dm2005-missing-key-secret',
    });
    const problem = await faultline(['explain', 'dm2005', '--catalog', demo, '--wire-format', 'problem']);
    expect(problem.stdout).toContain('content-type: application/problem+json');
    const bad = await faultline(['explain', 'dm2005', '--catalog', demo, '--wire-format', 'yaml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown wire format "yaml" \(one of: .*structured/);
    const transition = await faultline([
      'explain',
      'dm2005',
      '--catalog',
      demo,
      '--wire-format',
      'transition',
    ]);
    expect(transition.code).toBe(2);
    expect(transition.stderr).toContain('--legacy-until');
    const legacyUntil = ['--wire-format', 'transition', '--legacy-until', '2999-01-01T00:00:00Z'];
    const both = await faultline(['explain', 'dm2005', '--catalog', demo, ...legacyUntil]);
    expect(both.stdout).toContain('"detail"');
    expect(both.stdout).toContain('"error_id"');
  });
});

describe('finding the catalog', () => {
  const project = tempDir();
  afterAll(project.cleanup);
  writeCatalog(
    project.dir,
    'src/errors.ts',
    { pj1: entry('Project Error') },
    { exportName: 'errors', name: 'project' },
  );
  writeFileSync(
    join(project.dir, 'package.json'),
    JSON.stringify({
      name: 'project',
      faultline: {
        catalog: './src/errors.ts#errors',
        docsBase: 'https://project.test/errors',
        format: 'nested',
      },
    }),
  );
  writeFileSync(join(project.dir, 'src', 'package.json'), JSON.stringify({ name: 'inner-without-config' }));

  it('uses the nearest package.json with a "faultline" key, paths relative to it', async () => {
    const run = await faultline(['explain', 'pj1'], { cwd: join(project.dir, 'src') });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('pj1: Project Error');
    expect(run.stdout).toContain('Example response (nested)');
    expect(run.stdout).toContain('Docs: https://project.test/errors#pj1-project-error');
  });

  it('says how to configure one when there is none', async () => {
    const empty = tempDir();
    const run = await faultline(['explain', 'x'], { cwd: empty.dir });
    empty.cleanup();
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no catalog: pass --catalog');
  });

  it('accepts a module with one catalog without naming it, and asks to pick among several', async () => {
    const one = writeCatalog(project.dir, 'one.ts', { on1: entry('Only One') }, { exportName: 'whatever' });
    expect((await faultline(['explain', 'on1', '--catalog', one])).code).toBe(0);
    const several = join(project.dir, 'several.ts');
    writeFileSync(
      several,
      `import { defineCatalog } from ${JSON.stringify(new URL('../../src/index.ts', import.meta.url).href)};\n` +
        `const e = { title: 'T', status: 400, category: 'C', message: 'M', fix: ['F'] };\n` +
        `export const a = defineCatalog({ name: 'a', entries: { a1: e } });\n` +
        `export const b = defineCatalog({ name: 'b', entries: { b1: e } });\n`,
    );
    const ambiguous = await faultline(['explain', 'a1', '--catalog', several]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('exports several catalogs (a, b)');
    expect((await faultline(['explain', 'b1', '--catalog', `${several}#b`])).code).toBe(0);
    const missing = await faultline(['explain', 'b1', '--catalog', `${several}#c`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('has no export "c" (exports: a, b)');
  });

  it('reads plain records of entry definitions too', async () => {
    const file = join(project.dir, 'plain.ts');
    writeFileSync(
      file,
      `export default { pl1: { title: 'Plain', status: 404, category: 'C', message: 'M', fix: ['F'] } };\n`,
    );
    const run = await faultline(['explain', 'pl1', '--catalog', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/HTTP status\s+404 Not Found/);
  });

  it('reports a module that is missing or fails to load, without a stack', async () => {
    const gone = await faultline(['explain', 'x', '--catalog', './nope.ts'], { cwd: project.dir });
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain(`catalog module not found: ${join(project.dir, 'nope.ts')}`);
    const broken = join(project.dir, 'broken.ts');
    writeFileSync(broken, `throw new Error('catalog exploded');\n`);
    const run = await faultline(['explain', 'x', '--catalog', broken]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot load catalog module');
    expect(run.stderr).toContain('catalog exploded');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('runs from the repository root with the signals catalog', async () => {
    const run = await faultline(['explain', 'ih6005'], { cwd: ROOT });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('ih6005: Server Going Away');
  });
});
