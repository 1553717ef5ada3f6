import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

/** Every module reachable from a file through relative imports (type-only imports included: harmless). */
function graph(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const text = readFileSync(entry, 'utf8');
  for (const [, spec] of text.matchAll(/from\s+'([^']+)'/g)) {
    if (spec!.startsWith('.')) graph(resolve(dirname(entry), spec!), seen);
    else seen.add(spec!);
  }
  return seen;
}

it('faultline/client pulls in no server code and no Node built-ins, so it bundles for browsers', () => {
  const modules = [...graph(resolve(src, 'client/index.ts'))];
  expect(modules.filter((m) => m.startsWith('node:') || !m.startsWith('/'))).toEqual([]);
  expect(modules.filter((m) => /\/(server|docs|cli|testing)\//.test(m))).toEqual([]);
  expect(modules.length).toBeGreaterThan(5);
});
