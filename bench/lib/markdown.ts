import type { Machine } from './machine.ts';
import { fmt, fmtRatio, type ScenarioResult } from './result.ts';

/**
 * RESULTS.md: when, where, and every scenario's figures with their ratios and targets.
 * @example writeFileSync('bench/RESULTS.md', resultsMarkdown(new Date(), machine(), results))
 */
export function resultsMarkdown(
  date: Date,
  host: Machine,
  results: readonly ScenarioResult[],
  totalSeconds: number,
  load: { readonly before: number; readonly after: number },
): string {
  const out: string[] = [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (see [README.md](README.md) for how to read it). Every ratio compares',
    'two figures measured in the same run, on the same machine; absolute numbers only mean something',
    'on this machine.',
    '',
    `- Date: ${date.toISOString().replace('T', ' ').slice(0, 16)} UTC`,
    `- Machine: ${host.cpu}, ${host.cores} cores, ${host.memoryGiB} GiB memory (${host.platform})`,
    `- Node: ${host.node}`,
    `- Whole run: ${Math.round(totalSeconds)} s; 1-minute load average ${load.before.toFixed(2)} before the run (above ~0.5: other work was using the CPUs), ${load.after.toFixed(2)} after (includes the bench's own load)`,
    '',
  ];
  for (const result of results) {
    out.push(`## ${result.title}`, '');
    if (result.skipped) out.push(`**Skipped:** ${result.skipped}`, '');
    if (result.figures.length > 0) {
      out.push('| figure | value | ratio | target | met |', '|---|---:|---:|---|:-:|');
      for (const f of result.figures) {
        const ratio = f.ratio === undefined ? 'baseline' : `${fmtRatio(f.ratio)}× ${f.baseline}`;
        const met = f.ok === undefined ? '' : f.ok ? 'yes' : '**no**';
        out.push(`| ${f.name} | ${fmt(f.value)} ${f.unit} | ${ratio} | ${f.target ?? ''} | ${met} |`);
      }
      out.push('');
    }
    for (const note of result.notes) out.push(`- ${note}`);
    if (result.notes.length > 0) out.push('');
    out.push(`Method: ${result.method}`, '');
  }
  return out.join('\n');
}
