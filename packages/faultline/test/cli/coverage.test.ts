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
/** A coverage file as adapters write it: one id a line, repeats from several processes. */
const file = join(temp.dir, 'ids.txt');
writeFileSync(file, 'c1\nc3\nc1\n\nzz9\n');

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

  it('passes when every error was produced', async () => {
    const all = join(temp.dir, 'all.txt');
    writeFileSync(all, 'c4\nc3\nc2\nc1\n');
    const run = await faultline(['coverage', '--catalog', catalog, '--file', all]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('cov: 4 of 4 errors produced by the tests');
  });
});
