/**
 * `npm run bench`: runs every scenario in bench/scenarios/ (each in its own process, in name
 * order) and rewrites bench/RESULTS.md. `npm run bench -- core` runs only scenarios whose file
 * name contains "core" and leaves RESULTS.md alone.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { machine } from './lib/machine.ts';
import { resultsMarkdown } from './lib/markdown.ts';
import type { ScenarioResult } from './lib/result.ts';

const here = import.meta.dirname;
/** A scenario that overruns this is stopped and reported as failed, so the run stays bounded. */
const SCENARIO_TIMEOUT_MS = 300_000;
/**
 * Above this 1-minute load average before the run, other work shares the CPUs and the figures
 * are not fit to commit: RESULTS.md is left alone (the run goes to bench/.tmp/RESULTS.busy.md).
 */
const MAX_LOAD = Number(process.env['BENCH_MAX_LOAD'] ?? 0.5);

const filters = process.argv.slice(2);
const files = readdirSync(join(here, 'scenarios'))
  .filter((f) => f.endsWith('.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));

const scratch = mkdtempSync(join(tmpdir(), 'faultline-bench-'));
const started = Date.now();
const loadBefore = loadavg()[0]!;
const results: ScenarioResult[] = [];
try {
  for (const file of files) results.push(await runScenario(file));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const seconds = (Date.now() - started) / 1000;
console.log(`\nbench: ${results.length} scenario(s) in ${Math.round(seconds)} s`);
console.log(
  `bench: 1-minute load average ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after`,
);
if (filters.length === 0) {
  const busy = loadBefore > MAX_LOAD;
  const file = busy ? join(here, '.tmp', 'RESULTS.busy.md') : join(here, 'RESULTS.md');
  if (busy) {
    mkdirSync(join(here, '.tmp'), { recursive: true });
    console.log(
      `bench: the machine was busy (load ${loadBefore.toFixed(2)} > ${MAX_LOAD} before the run): RESULTS.md left alone; re-run when quiet`,
    );
  }
  const load = { before: loadBefore, after: loadavg()[0]! };
  writeFileSync(file, resultsMarkdown(new Date(), machine(), results, seconds, load));
  // Biome formats Markdown too: let it lay out the tables, so `npm run check` accepts the file.
  spawnSync(join(here, '..', 'node_modules/.bin/biome'), ['format', '--write', file], { stdio: 'ignore' });
  console.log(`bench: wrote ${busy ? 'bench/.tmp/RESULTS.busy.md' : 'bench/RESULTS.md'}`);
}

function runScenario(file: string): Promise<ScenarioResult> {
  const out = join(scratch, `${file}.json`);
  const id = file.replace(/\.ts$/, '');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(here, 'scenarios', file)], {
      stdio: 'inherit',
      env: { ...process.env, BENCH_JSON: out },
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), SCENARIO_TIMEOUT_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(readFileSync(out, 'utf8')) as ScenarioResult);
      } catch {
        const why = signal ? `stopped by ${signal}` : `exit code ${code}`;
        resolve({
          id,
          title: id,
          method: '',
          figures: [],
          notes: [],
          skipped: `the scenario failed (${why})`,
        });
      }
    });
  });
}
