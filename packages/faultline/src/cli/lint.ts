import { lintCatalog } from '../catalog/lint.ts';
import { type Command, EXIT, UsageError } from './io.ts';
import { catalogFor } from './load.ts';
import { stringOption } from './render-options.ts';

/**
 * `faultline lint`: the catalog checks a type checker can't do (missing fixes, bad statuses…).
 * @example faultline lint --strict
 */
export const lintCommand: Command = {
  name: 'lint',
  summary: 'check the catalog: duplicate ids, slugs, missing fixes, bad statuses and close codes',
  args: '',
  description:
    'Reports catalog mistakes. Errors exit with 1; warnings are printed and exit 0 unless\n' +
    '--strict is given.',
  options: {
    strict: { type: 'boolean', help: 'exit 1 on warnings too' },
    json: { type: 'boolean', help: 'print the issues as JSON' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 0)
      throw new UsageError(`lint takes no arguments, got "${positionals[0]}"`, 'lint');
    const { catalog } = await catalogFor(stringOption(values, 'catalog'), io);
    const issues = lintCatalog(catalog.entries);
    const errors = issues.filter((i) => i.level === 'error').length;
    const warnings = issues.length - errors;
    const failed = errors > 0 || (values['strict'] === true && warnings > 0);
    if (values['json']) {
      io.out(`${JSON.stringify(issues, null, 2)}\n`);
      return failed ? EXIT.findings : EXIT.ok;
    }
    const idWidth = Math.max(0, ...issues.map((i) => i.id.length));
    const ruleWidth = Math.max(0, ...issues.map((i) => i.rule.length));
    for (const issue of issues)
      io.out(
        `${issue.level.padEnd(7)}  ${issue.id.padEnd(idWidth)}  ${issue.rule.padEnd(ruleWidth)}  ${issue.message}\n`,
      );
    const counts = `${errors} ${errors === 1 ? 'error' : 'errors'}, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`;
    const summary = `${catalog.name}: ${catalog.entries.length} entries, ${issues.length ? counts : 'no problems'}\n`;
    if (failed) io.err(summary);
    else io.out(summary);
    return failed ? EXIT.findings : EXIT.ok;
  },
};
