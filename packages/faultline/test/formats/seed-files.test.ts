import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEED_VECTORS } from './fixtures/seed-vectors.ts';

// The seed documents live beside the repository, not inside it: `../shared/seeds` from the
// repository root, on the team's machines and in CI alike (FAULTLINE_SEEDS_DIR overrides).
const ROOT = resolve(import.meta.dirname, '../../../..');
const SEEDS_DIR = process.env['FAULTLINE_SEEDS_DIR'] ?? resolve(ROOT, '../shared/seeds');
const present = existsSync(SEEDS_DIR);
// CI always has the seeds beside its clone: there, their absence is a failure, not a skip.
const required = Boolean(process.env['CI']);

describe.runIf(required && !present)('seed documents', () => {
  it('are present beside the repository in CI', () => {
    expect.fail(
      `CI is set but the seed documents are missing at ${SEEDS_DIR} (FAULTLINE_SEEDS_DIR overrides)`,
    );
  });
});

/** Every top-level `{…}` block that starts a line, braces inside strings ignored. */
function jsonBlocks(text: string): string[] {
  const blocks: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"' && depth > 0) inString = true;
    else if (ch === '{') {
      if (depth++ === 0) start = startsLine(text, i) ? i : -1;
    } else if (ch === '}' && depth > 0 && --depth === 0 && start !== -1)
      blocks.push(text.slice(start, i + 1));
  }
  return blocks;
}

function startsLine(text: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  return i < 0 || text[i] === '\n';
}

function seedText(seed: string): string {
  const file = readdirSync(SEEDS_DIR).find((name) => name.startsWith(`${seed}_`));
  if (!file) throw new Error(`seed ${seed} not found in ${SEEDS_DIR}`);
  return readFileSync(join(SEEDS_DIR, file), 'utf8');
}

describe.skipIf(!present)('seed vectors match the seed documents', () => {
  for (const seed of ['000', '001', '002', '003', '004'] as const) {
    it(`seed ${seed}: every JSON example is a vector, verbatim and in order`, () => {
      const printed = SEED_VECTORS.filter((v) => v.seed === seed).map((v) => v.printed ?? v.text);
      // Examples start a line; inline braces are prose (seed 000's field lists) or Python (seed 001).
      const examples = jsonBlocks(seedText(seed));
      expect(printed).toEqual(examples);
    });
  }
});
