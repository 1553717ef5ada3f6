import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

/** Every module reachable from a file through relative imports (type-only imports included: harmless). */
function graph(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  // Code only: a doc comment's example may import a subpath.
  const text = readFileSync(entry, 'utf8').replace(/^\s*(\*|\/\/).*$/gm, '');
  for (const [, spec] of text.matchAll(/from\s+'([^']+)'/g)) {
    if (spec!.startsWith('.')) graph(resolve(dirname(entry), spec!), seen);
    else seen.add(spec!);
  }
  return seen;
}

it.each(['client', 'decoders'])(
  'faultline/%s pulls in no server code and no Node built-ins, so it bundles for browsers',
  (subpath) => {
    const modules = [...graph(resolve(src, `${subpath}/index.ts`))];
    expect(modules.filter((m) => m.startsWith('node:') || !m.startsWith('/'))).toEqual([]);
    expect(modules.filter((m) => /\/(server|docs|cli|testing)\//.test(m))).toEqual([]);
    expect(modules.length).toBeGreaterThan(5);
  },
);

it('faultline/client carries no ecosystem shape: they are opt-in (faultline/decoders)', () => {
  const modules = [...graph(resolve(src, 'client/index.ts'))];
  expect(modules.filter((m) => m.includes('/decoders/'))).toEqual([]);
});
