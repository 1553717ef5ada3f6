import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { entry, faultline, tempDir, writeCatalog } from './helpers.ts';

const temp = tempDir();
afterAll(temp.cleanup);
const catalog = writeCatalog(
  temp.dir,
  'catalog.ts',
  {
    c1: entry('First'),
    c2: entry('Second'),
    c3: entry('Third'),
    c4: entry('Fourth'),
  },
  { name: 'cov' },
);
/** A coverage file as the recorder writes it: `["catalog","id"]` lines, repeats from several processes. */
const lines = (pairs: readonly (readonly [string, string])[]) =>
  pairs.map((pair) => `${JSON.stringify(pair)}\n`).join('');
const file = join(temp.dir, 'ids.jsonl');
// `other` also has a c2 and a c4: they must not count for `cov`.
writeFileSync(
  file,
  lines([
    ['cov', 'c1'],
    ['cov', 'c3'],
    ['other', 'c2'],
    ['cov', 'c1'],
    ['other', 'c4'],
    ['cov', 'zz9'],
  ]),
);

describe('faultline coverage', () => {
  it('lists errors never produced and exits 1', async () => {
    const run = await faultline(['coverage', '--catalog', catalog, '--file', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('cov: 2 of 4 errors produced by the tests');
    expect(run.stdout).toContain('Never produced (2):\n  c2  Second\n  c4  Fourth');
    expect(run.stdout).toContain('Produced but not in the catalog (1):\n  zz9');
    expect(run.stdout).toContain('2 missing: add a test that triggers each');
  });

  it('accepts allowed gaps', async () => {
    const run = await faultline(['coverage', '--catalog', catalog, '--file', file, '--allow', 'c2, c4']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Never produced, allowed (2):');
    expect(run.stdout).toContain('every error is reached');
    const partly = await faultline(['coverage', '--catalog', catalog, '--file', file, '--allow', 'c2']);
    expect(partly.code).toBe(1);
    expect(partly.stdout).toContain('Never produced (1):\n  c4  Fourth');
  });

  it('reads FAULTLINE_COVERAGE when --file is absent, and prints JSON', async () => {
    const run = await faultline(['coverage', '--catalog', catalog, '--json'], {
      env: { FAULTLINE_COVERAGE: file },
    });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      produced: 2,
      total: 4,
      missing: ['c2', 'c4'],
      allowed: [],
      stale: [],
      unknown: ['zz9'],
    });
  });

  it('is a usage error without a file, with a missing file, or with an unknown allowed id', async () => {
    const none = await faultline(['coverage', '--catalog', catalog]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no coverage file: pass --file FILE or set FAULTLINE_COVERAGE');
    const gone = await faultline(['coverage', '--catalog', catalog, '--file', 'nope.txt'], { cwd: temp.dir });
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain(`coverage file ${join(temp.dir, 'nope.txt')} does not exist`);
    const typo = await faultline(['coverage', '--catalog', catalog, '--file', file, '--allow', 'c5']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('--allow names "c5", which is not in the catalog; did you mean c1?');
  });

  it('fails when an allowed error was in fact produced, so the allow-list cannot go stale', async () => {
    const run = await faultline(['coverage', '--catalog', catalog, '--file', file, '--allow', 'c1,c2,c4']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Allowed, yet produced: remove from --allow (1):\n  c1  First');
    expect(run.stdout).toContain('1 allowed but produced: the allow-list is stale');
    const json = await faultline([
      'coverage',
      '--catalog',
      catalog,
      '--file',
      file,
      '--allow',
      'c1,c2,c4',
      '--json',
    ]);
    expect(JSON.parse(json.stdout)).toMatchObject({ missing: [], allowed: ['c2', 'c4'], stale: ['c1'] });
  });

  it('passes when every error was produced', async () => {
    const all = join(temp.dir, 'all.jsonl');
    writeFileSync(
      all,
      lines([
        ['cov', 'c4'],
        ['cov', 'c3'],
        ['cov', 'c2'],
        ['cov', 'c1'],
      ]),
    );
    const run = await faultline(['coverage', '--catalog', catalog, '--file', all]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('cov: 4 of 4 errors produced by the tests');
  });
});
