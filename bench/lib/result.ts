import { writeFileSync } from 'node:fs';

/** One measured figure of a scenario, with its ratio to a baseline measured in the same run. */
export interface Figure {
  /** What was measured, e.g. `faultline structured`. */
  readonly name: string;
  readonly value: number;
  /** Unit of `value`, e.g. `ops/s`, `req/s`, `MB/s`, `ms`, `KiB`. */
  readonly unit: string;
  /** Name of the baseline figure this one is compared with (absent for a baseline). */
  readonly baseline?: string;
  /** `value / baseline value`. */
  readonly ratio?: number;
  /** Target in words, e.g. `≥ 0.9× bare`. */
  readonly target?: string;
  /** Whether the target is met. */
  readonly ok?: boolean;
}

/** What a scenario hands to `bench/run.ts` (and prints when run alone). */
export interface ScenarioResult {
  readonly id: string;
  readonly title: string;
  /** One-line method note: how the figures were obtained. */
  readonly method: string;
  readonly figures: readonly Figure[];
  /** Facts that are not ratios (e.g. stack frames captured, tool used). */
  readonly notes: readonly string[];
  /** Why the scenario did not run, when it did not. */
  readonly skipped?: string;
}

/**
 * A figure compared with a baseline; `ratio` defaults to `value / baseline.value` (pass a median
 * of paired per-round ratios when there is one). `higherIsBetter` decides how the target reads.
 * @example compare('faultline', 95_000, 'req/s', { name: 'bare', value: 100_000 }, 0.9)
 */
export function compare(
  name: string,
  value: number,
  unit: string,
  baseline: { readonly name: string; readonly value: number },
  target?: number,
  options: { readonly ratio?: number; readonly higherIsBetter?: boolean } = {},
): Figure {
  const ratio = options.ratio ?? value / baseline.value;
  if (target === undefined) return { name, value, unit, baseline: baseline.name, ratio };
  const higher = options.higherIsBetter ?? true;
  const ok = higher ? ratio >= target : ratio <= target;
  return {
    name,
    value,
    unit,
    baseline: baseline.name,
    ratio,
    target: `${higher ? '≥' : '≤'} ${target}× ${baseline.name}`,
    ok,
  };
}

/** Formats a number for a table: 3 significant digits below 1000, thousands separators above. */
export function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(3)).toString();
}

/**
 * Prints a scenario's figures and, under `bench/run.ts`, writes them to `$BENCH_JSON`.
 * @example emit({ id: 'core', title: '…', method: '…', figures, notes: [] })
 */
export function emit(result: ScenarioResult): void {
  console.log(`\n## ${result.title}`);
  if (result.skipped) console.log(`skipped: ${result.skipped}`);
  for (const f of result.figures) {
    const ratio = f.ratio === undefined ? '' : `  ${fmtRatio(f.ratio)}× ${f.baseline}`;
    const target = f.target === undefined ? '' : `  (target ${f.target}: ${f.ok ? 'met' : 'NOT met'})`;
    console.log(`  ${f.name.padEnd(52)} ${fmt(f.value).padStart(12)} ${f.unit}${ratio}${target}`);
  }
  for (const note of result.notes) console.log(`  - ${note}`);
  console.log(`  method: ${result.method}`);
  const file = process.env['BENCH_JSON'];
  if (file) writeFileSync(file, JSON.stringify(result));
}

/**
 * A ratio for display: two decimals, or two significant digits when that would print 0.00.
 * @example fmtRatio(0.95) // '0.95'; fmtRatio(0.00031) // '0.00031'
 */
export function fmtRatio(ratio: number): string {
  return Math.abs(ratio) >= 0.1 || ratio === 0 ? ratio.toFixed(2) : Number(ratio.toPrecision(2)).toString();
}

/** Median of a list of numbers (the middle of the sorted copy; mean of the two middles). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
