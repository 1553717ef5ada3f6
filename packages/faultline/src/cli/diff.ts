import { type Change, diffCatalogs } from '../catalog/diff.ts';
import { type Command, EXIT, UsageError } from './io.ts';
import { loadCatalog } from './load.ts';

/**
 * `faultline diff <old> <new>`: what a catalog change does to clients; exit 1 when it breaks them.
 * @example faultline diff ./catalog.v1.ts ./src/catalog.ts#signals
 */
export const diffCommand: Command = {
  name: 'diff',
  summary: 'compare two catalogs; exit 1 on breaking changes',
  args: '<old> <new>',
  description:
    'Compares two catalog modules (each MODULE[#EXPORT], relative to the current folder).\n' +
    'Breaking: a removed or renamed id, a changed status, retryability, slug or close code, a\n' +
    'removed message parameter or extra field. Compatible: added errors and fields, text\n' +
    'changes, deprecations. Exits 1 when anything breaks.',
  options: {
    json: { type: 'boolean', help: 'print the changes as JSON' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 2)
      throw new UsageError(
        positionals.length < 2
          ? `missing ${positionals.length === 0 ? 'the <old> and <new> catalogs' : 'the <new> catalog'}`
          : `diff takes two catalogs, got ${positionals.length}`,
        'diff',
      );
    if (typeof values['catalog'] === 'string')
      throw new UsageError('diff compares the two catalogs it is given; --catalog does not apply', 'diff');
    const [oldSpec, newSpec] = positionals as [string, string];
    const before = await loadCatalog(oldSpec, io.cwd);
    const after = await loadCatalog(newSpec, io.cwd);
    const changes = diffCatalogs(before.entries, after.entries);
    const breaking = changes.filter((c) => c.breaking);
    if (values['json']) io.out(`${JSON.stringify(changes, null, 2)}\n`);
    else io.out(report(oldSpec, newSpec, changes));
    return breaking.length > 0 ? EXIT.findings : EXIT.ok;
  },
};

function report(oldSpec: string, newSpec: string, changes: readonly Change[]): string {
  const breaking = changes.filter((c) => c.breaking);
  const other = changes.filter((c) => !c.breaking);
  const lines = [`${oldSpec} → ${newSpec}`];
  if (changes.length === 0) return `${lines[0]}\nno changes\n`;
  const kindWidth = Math.max(...changes.map((c) => c.kind.length));
  const row = (c: Change) => `  ${c.kind.padEnd(kindWidth)}  ${c.message}`;
  if (breaking.length) lines.push('', `Breaking changes (${breaking.length}):`, ...breaking.map(row));
  if (other.length) lines.push('', `Compatible changes (${other.length}):`, ...other.map(row));
  lines.push(
    '',
    breaking.length
      ? `${breaking.length} breaking ${breaking.length === 1 ? 'change' : 'changes'}: clients written against ${oldSpec} can break`
      : 'no breaking changes',
    '',
  );
  return lines.join('\n');
}
