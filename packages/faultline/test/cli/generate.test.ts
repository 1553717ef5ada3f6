import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, describe, expect, it } from 'vitest';
import { entry, faultline, tempDir, writeCatalog } from './helpers.ts';

const temp = tempDir();
afterAll(temp.cleanup);
const catalog = writeCatalog(
  temp.dir,
  'catalog.ts',
  {
    g1001: entry('Internal Error', { status: 500, retryable: true, category: 'General' }),
    g2005: entry('Missing Key Secret', { category: 'Auth' }),
    g2006: entry('Invalid Credentials', { status: 401, category: 'Auth' }),
  },
  { name: 'gen', docsBase: 'https://gen.test/errors' },
);

describe('faultline docs', () => {
  it('prints the HTML page of the signals catalog, one section per error', async () => {
    const run = await faultline(['docs']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^<!doctype html>/);
    expect(run.stdout.match(/<section class="entry" id="ih\d{4}-[a-z0-9-]+"/g)).toHaveLength(37);
    expect(run.stdout).toContain('<section class="entry" id="ih2005-missing-key-secret"');
  });

  it('writes Markdown to --out, picking the format from the extension', async () => {
    const out = join(temp.dir, 'site', 'errors.md');
    const run = await faultline(['docs', '--catalog', catalog, '--out', out, '--title', 'Gen errors']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`wrote Markdown docs of 3 errors to ${out}`);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^# Gen errors\n/);
    expect(text).toContain('<a id="g2005-missing-key-secret"></a>\n### g2005 — Missing Key Secret');
    expect(text).toContain('"link": "https://gen.test/errors#g2005-missing-key-secret"');
  });

  it('honours --format, and refuses an unknown one', async () => {
    const md = await faultline(['docs', '--catalog', catalog, '--format', 'md']);
    expect(md.stdout).toMatch(/^# gen errors/);
    const html = await faultline([
      'docs',
      '--catalog',
      catalog,
      '--format',
      'html',
      '--docs-base',
      'https://x.test/e',
    ]);
    expect(html.stdout).toContain('https://x.test/e#g2006-invalid-credentials');
    const bad = await faultline(['docs', '--catalog', catalog, '--format', 'pdf']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format must be html or md, not "pdf"');
    const stray = await faultline(['docs', 'extra', '--catalog', catalog]);
    expect(stray.code).toBe(2);
  });
});

describe('faultline openapi', () => {
  it('writes a valid OpenAPI 3.1 document with a response per status', async () => {
    const out = join(temp.dir, 'openapi.json');
    const run = await faultline(['openapi', '--catalog', catalog, '--out', out, '--version', '3.0.1']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.info.version).toBe('3.0.1');
    expect(Object.keys(doc.components.responses)).toEqual(['Error400', 'Error401', 'Error500']);
    // One entry answers 400: the response is that entry's schema (no union of one), its id a const.
    expect(doc.components.responses.Error400.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/G2005MissingKeySecret',
    });
    expect(doc.components.schemas.G2005MissingKeySecret.allOf[1].properties.error_id).toEqual({
      const: 'g2005',
    });
    const result = await new Validator().validate(doc);
    expect(result.valid, JSON.stringify(result.errors)).toBe(true);
  });

  it('prints the signals catalog’s components to stdout', async () => {
    const run = await faultline(['openapi']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.components.schemas).toHaveProperty('Ih2005MissingKeySecret');
    expect(
      doc.components.responses.Error400.content['application/json'].schema.discriminator.mapping,
    ).toHaveProperty('ih2005');
  });
});

describe('faultline lint', () => {
  it('passes a clean catalog', async () => {
    const run = await faultline(['lint', '--catalog', catalog]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('gen: 3 entries, no problems\n');
  });

  it('fails on errors, listing rule and id', async () => {
    const broken = writeCatalog(temp.dir, 'broken.ts', {
      b1: entry('No Fix', { fix: [] }),
      b2: entry('Bad Status', { status: 200 }),
      b3: entry('Bad Close', { status: undefined, closeCode: 1005 }),
    });
    const run = await faultline(['lint', '--catalog', broken]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^error +b1 +missing-fix +/m);
    expect(run.stdout).toMatch(/^error +b2 +invalid-status +/m);
    expect(run.stdout).toMatch(/^error +b3 +invalid-close-code +/m);
    expect(run.stderr).toContain('3 entries, 3 errors, 0 warnings');
    const json = await faultline(['lint', '--catalog', broken, '--json']);
    expect(JSON.parse(json.stdout).map((i: { rule: string }) => i.rule)).toEqual([
      'missing-fix',
      'invalid-status',
      'invalid-close-code',
    ]);
  });

  it('prints warnings, failing on them only with --strict', async () => {
    const warned = writeCatalog(temp.dir, 'warned.ts', { w1: entry('Flaky', { status: 502 }) });
    const run = await faultline(['lint', '--catalog', warned]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^warning +w1 +server-error-not-retryable/m);
    expect((await faultline(['lint', '--strict', '--catalog', warned])).code).toBe(1);
  });
});
