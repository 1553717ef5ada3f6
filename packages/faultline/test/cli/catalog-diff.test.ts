import { describe, expect, it } from 'vitest';
import { type Change, diffCatalogs, type EntryDef, normaliseEntry } from '../../src/catalog/index.ts';
import { entry } from './helpers.ts';

const base: Record<string, EntryDef> = {
  a1: entry('Missing Key', { message: 'Key {name} is missing.', fields: ['hint'] }),
  a2: entry('Rate Limited', { status: 429, retryable: true, retryAfterSeconds: 30 }),
  a3: entry('Too Large', { status: undefined, closeCode: 1009, category: 'Streaming' }),
};

function diff(changes: Record<string, EntryDef | undefined>, from = base): Change[] {
  const next = { ...from, ...changes };
  const entries = (defs: Record<string, EntryDef | undefined>) =>
    Object.entries(defs).flatMap(([id, def]) => (def ? [normaliseEntry(id, def)] : []));
  return diffCatalogs(entries(from), entries(next));
}

const kinds = (changes: Change[]) =>
  changes.map((c) => `${c.kind}:${c.id}:${c.breaking ? 'breaking' : 'ok'}`);

describe('diffCatalogs', () => {
  it('finds nothing between equal catalogs', () => {
    expect(diff({})).toEqual([]);
  });

  it.each([
    ['removed id', { a2: undefined }, 'removed:a2'],
    ['changed status', { a1: { ...base['a1']!, status: 422 } }, 'status-changed:a1'],
    [
      'retryable flipped off',
      { a2: { ...base['a2']!, retryable: false, retryAfterSeconds: undefined } },
      'retryable-changed:a2',
    ],
    ['retryable flipped on', { a1: { ...base['a1']!, retryable: true } }, 'retryable-changed:a1'],
    [
      'removed message parameter',
      { a1: { ...base['a1']!, message: 'A key is missing.' } },
      'param-removed:a1',
    ],
    ['removed extra field', { a1: { ...base['a1']!, fields: [] } }, 'field-removed:a1'],
    ['changed slug', { a1: { ...base['a1']!, slug: 'a1-key-missing' } }, 'slug-changed:a1'],
    ['changed close code', { a3: { ...base['a3']!, closeCode: 4000 } }, 'close-code-changed:a3'],
    ['added close code', { a1: { ...base['a1']!, closeCode: 1008 } }, 'close-code-changed:a1'],
    ['WebSocket-only entry gained a status', { a3: { ...base['a3']!, status: 413 } }, 'status-changed:a3'],
  ] as const)('reports a %s as breaking', (_name, change, expected) => {
    const changes = diff(change as Record<string, EntryDef | undefined>);
    expect(kinds(changes)).toContain(`${expected}:breaking`);
  });

  it('reports a title change as text, and the slug it moves as breaking', () => {
    const changes = diff({ a1: { ...base['a1']!, title: 'Absent Key' } });
    expect(kinds(changes)).toEqual(['slug-changed:a1:breaking', 'title-changed:a1:ok']);
    expect(changes[0]!.message).toBe(
      'a1: docs anchor #a1-missing-key is now #a1-absent-key; old links stop landing',
    );
  });

  it('pairs a removed id with an added one of the same title as a rename', () => {
    const changes = diff({ a1: undefined, b7: base['a1'] });
    expect(changes).toEqual([
      {
        kind: 'renamed',
        id: 'a1',
        to: 'b7',
        breaking: true,
        message: 'a1 "Missing Key" is now b7: clients matching on "a1" stop matching',
      },
    ]);
    // A rename that also changed the status says both.
    expect(kinds(diff({ a1: undefined, b7: { ...base['a1']!, status: 401 } }))).toEqual([
      'renamed:a1:breaking',
      'status-changed:b7:breaking',
    ]);
    // Titles compare by their words: case and punctuation don't hide a rename.
    expect(kinds(diff({ a2: undefined, z2: { ...base['a2']!, title: 'rate-limited' } }))[0]).toBe(
      'renamed:a2:breaking',
    );
  });

  it('prefers the same-status candidate when several added entries share a title', () => {
    const changes = diff({ a2: undefined, x1: { ...base['a2']!, status: 503 }, x2: base['a2'] });
    expect(changes.find((c) => c.kind === 'renamed')?.to).toBe('x2');
    expect(kinds(changes)).toContain('added:x1:ok');
  });

  it.each([
    ['added entry', { a9: entry('New One') }, 'added:a9'],
    ['added field', { a1: { ...base['a1']!, fields: ['hint', 'more'] } }, 'field-added:a1'],
    [
      'added parameter',
      { a1: { ...base['a1']!, message: 'Key {name} is missing from {where}.' } },
      'param-added:a1',
    ],
    ['message text', { a2: { ...base['a2']!, message: 'Slow down.' } }, 'message-changed:a2'],
    ['fix text', { a2: { ...base['a2']!, fix: ['Wait.'] } }, 'fix-changed:a2'],
    ['description', { a2: { ...base['a2']!, description: 'More words.' } }, 'description-changed:a2'],
    ['category', { a2: { ...base['a2']!, category: 'Limits' } }, 'category-changed:a2'],
    ['default retry delay', { a2: { ...base['a2']!, retryAfterSeconds: 60 } }, 'retry-after-changed:a2'],
    ['deprecation added', { a1: { ...base['a1']!, deprecated: { replacedBy: 'a2' } } }, 'deprecated:a1'],
  ] as const)('reports a changed %s as compatible', (_name, change, expected) => {
    const changes = diff(change as Record<string, EntryDef | undefined>);
    expect(kinds(changes)).toContain(`${expected}:ok`);
    // Nothing else, except that a new parameter is also a new message text.
    expect(changes.filter((c) => c.breaking)).toEqual([]);
    expect(changes.length).toBe(expected.startsWith('param-added') ? 2 : 1);
  });
});
