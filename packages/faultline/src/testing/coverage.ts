import { appendFileSync, readFileSync } from 'node:fs';

/** `<file>\0<id>` pairs already written by this process: each id costs one append per file, ever. */
const written = new Set<string>();

/**
 * Records that this process produced the error `id`, appending `<id>\n` to `file` once per
 * process. Server adapters and WebSocket helpers call it; `faultline coverage` reads the file
 * back to find catalog entries no test ever reached. Never throws: coverage must not break a response.
 * @example recordProduced('ih4005', process.env.FAULTLINE_COVERAGE ?? '.faultline-coverage/ids.txt')
 */
export function recordProduced(id: string, file: string): void {
  const key = `${file}\0${id}`;
  if (written.has(key)) return;
  written.add(key);
  try {
    // Synchronous on purpose: one short line, once per id, and the process may exit right after.
    appendFileSync(file, `${id}\n`);
  } catch {
    // A read-only or missing directory loses coverage data, not the response. Retry next time.
    written.delete(key);
  }
}

/**
 * Every id recorded in a coverage file (from any number of processes); empty when the file is absent.
 * @example const missing = catalog.entries.filter((e) => !readProduced(file).has(e.id));
 */
export function readProduced(file: string): Set<string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw error;
  }
  const ids = new Set<string>();
  for (const line of text.split('\n')) {
    const id = line.trim();
    if (id) ids.add(id);
  }
  return ids;
}

/**
 * The coverage file an adapter should write to: an explicit option wins, `false` turns it off,
 * otherwise `FAULTLINE_COVERAGE` from the environment. Resolved once, at setup, not per request.
 * @example coverageFile(options.coverage) // '/tmp/ids.txt' or undefined
 */
export function coverageFile(option: string | false | undefined): string | undefined {
  if (option === false) return undefined;
  // `globalThis.process` so web-standard runtimes without a `process` global still load this module.
  const file = option ?? globalThis.process?.env['FAULTLINE_COVERAGE'];
  return file ? file : undefined;
}
