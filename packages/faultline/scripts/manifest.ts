/**
 * `npm pack` / `npm publish` helper: the published package.json must not carry the `development`
 * export condition. That condition points at `src/*.ts` so the monorepo runs the sources without
 * a build; published, it would send webpack or Vite in development mode to files that are not
 * in the tarball (and that Node refuses to strip types from under node_modules).
 *
 *   node scripts/manifest.ts strip     (prepack)  keeps the original as package.json.dev
 *   node scripts/manifest.ts restore   (postpack) puts it back
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(import.meta.dirname, '..');
const manifest = join(dir, 'package.json');
const kept = join(dir, 'package.json.dev');

/** The manifest without any `development` condition, at any depth of `exports` and `imports`. */
function published(pkg: Record<string, unknown>): Record<string, unknown> {
  const strip = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== 'development')
        .map(([key, inner]) => [key, strip(inner)]),
    );
  };
  return {
    ...pkg,
    exports: strip(pkg['exports']),
    ...(pkg['imports'] ? { imports: strip(pkg['imports']) } : {}),
  };
}

function restore(): void {
  // A pack that failed before postpack leaves the stripped file behind: the kept one wins.
  if (existsSync(kept)) renameSync(kept, manifest);
}

const command = process.argv[2];
if (command === 'strip') {
  restore();
  const text = readFileSync(manifest, 'utf8');
  writeFileSync(kept, text);
  writeFileSync(manifest, `${JSON.stringify(published(JSON.parse(text)), null, 2)}\n`);
} else if (command === 'restore') {
  restore();
} else if (command !== undefined) {
  console.error(`usage: node scripts/manifest.ts strip|restore (got "${command}")`);
  process.exitCode = 2;
}
