import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { readProduced } from '../testing/record.ts';
import { type Command, EXIT, suggest, UsageError } from './io.ts';
import { catalogFor } from './load.ts';
import { stringOption } from './render-options.ts';

/**
 * `faultline coverage`: catalog entries no test ever produced; exit 1 when any is missing.
 * @example FAULTLINE_COVERAGE=.faultline-coverage/ids.txt npm test && faultline coverage --file .faultline-coverage/ids.txt
 */
export const coverageCommand: Command = {
  name: 'coverage',
  summary: 'list catalog errors the test suite never produced; exit 1 when any is missing',
  args: '',
  description:
    'Reads the errors the adapters recorded while the tests ran with FAULTLINE_COVERAGE=FILE\n' +
    '(see faultline/testing) and lists entries of this catalog that never appeared. Exits 1\n' +
    'when one is missing and not accepted with --allow, or when an allowed one was produced\n' +
    '(the allow-list is stale: remove it).',
  options: {
    file: { type: 'string', value: 'FILE', help: 'coverage file (default: $FAULTLINE_COVERAGE)' },
    allow: { type: 'string', value: 'ID,ID', help: 'errors accepted as never produced' },
    json: { type: 'boolean', help: 'print {produced, missing, allowed, stale, unknown} as JSON' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 0)
      throw new UsageError(`coverage takes no arguments, got "${positionals[0]}"`, 'coverage');
    const given = stringOption(values, 'file') ?? io.env['FAULTLINE_COVERAGE'];
    if (!given)
      throw new UsageError('no coverage file: pass --file FILE or set FAULTLINE_COVERAGE', 'coverage');
    const file = resolve(io.cwd, given);
    if (!existsSync(file))
      throw new UsageError(
        `coverage file ${file} does not exist: run the tests with FAULTLINE_COVERAGE=${given} first`,
      );
    const { catalog } = await catalogFor(stringOption(values, 'catalog'), io);
    const ids = catalog.entries.map((e) => e.id);
    const allowed = new Set<string>();
    for (const id of (stringOption(values, 'allow') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      if (!ids.includes(id)) {
        const near = suggest(id, ids);
        throw new UsageError(
          `--allow names "${id}", which is not in the catalog${near ? `; did you mean ${near}?` : ''}`,
          'coverage',
        );
      }
      allowed.add(id);
    }
    // Ids count per catalog name: another catalog's `e1` must not satisfy this one's.
    const produced = readProduced(file).get(catalog.name) ?? new Set<string>();
    const unproduced = catalog.entries.filter((e) => !produced.has(e.id));
    const missing = unproduced.filter((e) => !allowed.has(e.id));
    const excused = unproduced.filter((e) => allowed.has(e.id));
    const stale = catalog.entries.filter((e) => allowed.has(e.id) && produced.has(e.id));
    const unknown = [...produced].filter((id) => !ids.includes(id)).sort();
    const covered = catalog.entries.length - unproduced.length;
    const failed = missing.length > 0 || stale.length > 0;
    if (values['json']) {
      io.out(
        `${JSON.stringify({ produced: covered, total: ids.length, missing: missing.map((e) => e.id), allowed: excused.map((e) => e.id), stale: stale.map((e) => e.id), unknown }, null, 2)}\n`,
      );
      return failed ? EXIT.findings : EXIT.ok;
    }
    const lines = [`${catalog.name}: ${covered} of ${ids.length} errors produced by the tests`];
    const list = (title: string, entries: readonly { id: string; title: string }[]) => {
      if (entries.length) lines.push('', title, ...entries.map((e) => `  ${e.id}  ${e.title}`));
    };
    list(`Never produced (${missing.length}):`, missing);
    list(`Never produced, allowed (${excused.length}):`, excused);
    list(`Allowed, yet produced: remove from --allow (${stale.length}):`, stale);
    if (unknown.length)
      lines.push(
        '',
        `Produced but not in the catalog (${unknown.length}):`,
        ...unknown.map((id) => `  ${id}`),
      );
    const verdicts = [
      ...(missing.length ? [`${missing.length} missing: add a test that triggers each`] : []),
      ...(stale.length ? [`${stale.length} allowed but produced: the allow-list is stale`] : []),
    ];
    lines.push('', verdicts.length ? verdicts.join('; ') : 'every error is reached', '');
    io.out(lines.join('\n'));
    return failed ? EXIT.findings : EXIT.ok;
  },
};
