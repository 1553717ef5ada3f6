import { appendFileSync, readFileSync } from 'node:fs';
import { type ProducedHook, setProducedHook } from './hook.ts';

/** `<file>\0<catalog>\0<id>` already written by this process: each costs one append per file, ever. */
const written = new Set<string>();

/**
 * A hook that appends each (catalog, id) it sees to `file`, once per process, as a JSON line
 * `["catalog","id"]`. Never throws: a lost line costs coverage data, not a response.
 * @example await app.register(faultlineFastify, { catalog, format, coverage: fileRecorder('/tmp/ids.jsonl') });
 */
export function fileRecorder(file: string): ProducedHook {
  return (id, catalog) => {
    const key = `${file}\0${catalog}\0${id}`;
    if (written.has(key)) return;
    written.add(key);
    try {
      // Synchronous on purpose: one short line, once per id, and the process may exit right after.
      appendFileSync(file, `${JSON.stringify([catalog, id])}\n`);
    } catch {
      // A read-only or missing directory: retry next time the id is produced.
      written.delete(key);
    }
  };
}

/**
 * Makes every faultline adapter in this process record the errors it sends to `file` (default:
 * `$FAULTLINE_COVERAGE`; neither → nothing is installed). Call it from a test setup file; returns
 * a function that removes the hook again. `faultline coverage` reads the file afterwards.
 * @example
 * // vitest.setup.ts
 * import { installCoverage } from 'faultline/testing';
 * installCoverage(); // FAULTLINE_COVERAGE=.faultline-coverage vitest run
 */
export function installCoverage(file?: string): () => void {
  const target = file ?? globalThis.process?.env['FAULTLINE_COVERAGE'];
  if (!target) return () => {};
  const hook = fileRecorder(target);
  const previous = setProducedHook(hook);
  return () => {
    setProducedHook(previous);
  };
}

/**
 * Every id recorded in a coverage file (from any number of processes), by catalog name; empty
 * when the file is absent. Lines that are not `["catalog","id"]` are skipped.
 * @example readProduced(file).get('signals')?.has('ih4005')
 */
export function readProduced(file: string): Map<string, Set<string>> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return new Map();
    throw error;
  }
  const byCatalog = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    const pair = parseLine(line.trim());
    if (pair === undefined) continue;
    const [catalog, id] = pair;
    const ids = byCatalog.get(catalog);
    if (ids === undefined) byCatalog.set(catalog, new Set([id]));
    else ids.add(id);
  }
  return byCatalog;
}

function parseLine(line: string): [string, string] | undefined {
  if (!line.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string'
    )
      return [value[0], value[1]];
  } catch {
    // A line cut short by a crash mid-write: ignore it.
  }
  return undefined;
}
