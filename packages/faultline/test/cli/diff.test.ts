import { afterAll, describe, expect, it } from 'vitest';
import type { EntryDef } from '../../src/catalog/index.ts';
import { entry, faultline, tempDir, writeCatalog } from './helpers.ts';

const temp = tempDir();
afterAll(temp.cleanup);

const v1: Record<string, EntryDef> = {
  e1001: entry('Internal Error', { status: 500, retryable: true, category: 'General' }),
  e2005: entry('Missing Key Secret'),
  e3004: entry('Daily Quota Exceeded', { status: 429, retryable: true, fields: ['reset_time'] }),
  e4005: entry('Invalid Parameter', { message: 'Parameter {name} is invalid.' }),
  e6002: entry('Message Too Large', { status: undefined, closeCode: 1009 }),
  e6005: entry('Going Away', { status: undefined, closeCode: 1001 }),
};
const old = writeCatalog(temp.dir, 'v1.ts', v1);
let n = 0;
/** A changed copy of v1, written as its own module. */
const next = (changes: Record<string, EntryDef | undefined>) => {
  const defs: Record<string, EntryDef> = {};
  for (const [id, def] of Object.entries({ ...v1, ...changes })) if (def) defs[id] = def;
  return writeCatalog(temp.dir, `v2-${++n}.ts`, defs);
};

describe('faultline diff', () => {
  it('exits 0 with "no changes" for equal catalogs', async () => {
    const run = await faultline(['diff', old, next({})]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('no changes');
  });

  it.each([
    ['removed id', { e2005: undefined }, 'removed', 'e2005 "Missing Key Secret" was removed'],
    [
      'renamed id',
      { e2005: undefined, e2099: v1['e2005'] },
      'renamed',
      'e2005 "Missing Key Secret" is now e2099',
    ],
    [
      'changed status',
      { e2005: { ...v1['e2005']!, status: 401 } },
      'status-changed',
      'e2005: HTTP status 400 → 401',
    ],
    [
      'retryable flipped',
      { e1001: { ...v1['e1001']!, retryable: false } },
      'retryable-changed',
      'e1001: no longer retryable',
    ],
    [
      'removed message parameter',
      { e4005: { ...v1['e4005']!, message: 'A parameter is invalid.' } },
      'param-removed',
      'e4005: message parameter "name" was removed',
    ],
    [
      'removed extra field',
      { e3004: { ...v1['e3004']!, fields: [] } },
      'field-removed',
      'e3004: extra field "reset_time" was removed from the body',
    ],
    [
      'changed slug',
      { e2005: { ...v1['e2005']!, title: 'Key Secret Missing' } },
      'slug-changed',
      'e2005: docs anchor #e2005-missing-key-secret is now #e2005-key-secret-missing',
    ],
    [
      'changed close code',
      { e6005: { ...v1['e6005']!, closeCode: 1012 } },
      'close-code-changed',
      'e6005: WebSocket close code 1001 → 1012',
    ],
  ] as const)('fails on a %s, with a readable report', async (_name, change, kind, message) => {
    const run = await faultline(['diff', old, next(change as Record<string, EntryDef | undefined>)]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Breaking changes \(1\):/);
    expect(run.stdout).toMatch(
      new RegExp(`\\n {2}${kind} +${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
    expect(run.stdout).toContain('1 breaking change: clients written against');
  });

  it('passes compatible changes, listing them', async () => {
    const run = await faultline([
      'diff',
      old,
      next({
        e9001: entry('Brand New'),
        e3004: { ...v1['e3004']!, fields: ['reset_time', 'limit'], fix: ['Wait for the reset.'] },
        e2005: { ...v1['e2005']!, message: 'Send key_secret.', deprecated: { reason: 'use OAuth' } },
      }),
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('Breaking');
    expect(run.stdout).toContain('Compatible changes (5):');
    for (const kind of ['added', 'field-added', 'fix-changed', 'message-changed', 'deprecated'])
      expect(run.stdout).toMatch(new RegExp(`\\n {2}${kind} `));
    expect(run.stdout).toContain('no breaking changes');
  });

  it('prints JSON with --json', async () => {
    const run = await faultline(['diff', old, next({ e6002: undefined }), '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual([
      {
        kind: 'removed',
        id: 'e6002',
        breaking: true,
        message: 'e6002 "Message Too Large" was removed: clients matching on it stop matching',
      },
    ]);
  });

  it('needs two catalogs', async () => {
    const one = await faultline(['diff', old]);
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('missing the <new> catalog');
    expect(one.stderr).toContain('usage: faultline diff [options] <old> <new>');
    expect((await faultline(['diff'])).stderr).toContain('missing the <old> and <new> catalogs');
    expect((await faultline(['diff', old, old, old])).code).toBe(2);
    const gone = await faultline(['diff', old, `${temp.dir}/nope.ts`]);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain('catalog module not found');
  });
});
