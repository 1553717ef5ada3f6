import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Io, UsageError } from './io.ts';

/**
 * Writes generated text to `--out FILE` (creating its folder) or to stdout.
 * @example writeOutput(html, values.out, io, 'docs')
 */
export function writeOutput(text: string, out: string | undefined, io: Io, what: string): void {
  if (out === undefined) {
    io.out(text);
    return;
  }
  const file = resolve(io.cwd, out);
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  } catch (error) {
    throw new UsageError(`cannot write ${what} to ${file}: ${(error as Error).message}`);
  }
  io.err(`wrote ${what} to ${file}\n`);
}
