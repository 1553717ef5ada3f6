import { buildPage } from '../docs/model.ts';
import { type Command, EXIT, suggest, UsageError } from './io.ts';
import { catalogFor, type LoadedCatalog } from './load.ts';
import { RENDER_OPTIONS, renderSettings, stringOption } from './render-options.ts';

/**
 * `faultline explain <id>`: everything about one error, like `rustc --explain`.
 * @example faultline explain ih2005
 */
export const explainCommand: Command = {
  name: 'explain',
  summary: 'describe one error: status, retry semantics, how to fix it, its docs link',
  args: '<id | slug | link>',
  description:
    'Prints an error of the catalog: id, title, HTTP status or close code, category, message,\n' +
    'retry semantics, how-to-fix steps, an example body and the docs link. The error can be\n' +
    'named by its id (any case), its slug, or a docs link ending in #<slug>.',
  options: {
    ...RENDER_OPTIONS,
    json: { type: 'boolean', help: 'print the catalog entry as JSON' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length === 0) throw new UsageError('missing the error id to explain', 'explain');
    if (positionals.length > 1)
      throw new UsageError(`explain takes one id, got ${positionals.length}`, 'explain');
    const wanted = positionals[0]!;
    const { catalog, config } = await catalogFor(stringOption(values, 'catalog'), io);
    const entry = find(catalog, wanted);
    const { format, docsBase } = renderSettings(values, config, catalog);
    const link = `${docsBase ?? ''}#${entry.slug}`;
    if (values['json']) {
      io.out(`${JSON.stringify({ ...entry, link }, null, 2)}\n`);
      return EXIT.ok;
    }
    const page = buildPage({ ...catalog, entries: [entry] }, { format, docsBase });
    const view = page.categories[0]!.entries[0]!;
    const width = Math.max(...view.facts.map((f) => f.label.length), 'Message'.length);
    const lines = [`${entry.id}: ${entry.title}`, ''];
    if (view.deprecation) {
      const next = view.deprecation.replacedBy;
      lines.push(
        `  DEPRECATED${next ? `: use ${next.id} instead` : ''}${view.deprecation.reason ? `. ${view.deprecation.reason}` : ''}`,
        '',
      );
    }
    for (const fact of view.facts) lines.push(`  ${fact.label.padEnd(width)}  ${fact.value}`);
    lines.push(`  ${'Message'.padEnd(width)}  ${entry.message}`);
    if (entry.description)
      lines.push('', ...entry.description.split('\n').map((line) => `  ${line}`.trimEnd()));
    lines.push('', 'How to fix:', ...entry.fix.map((step, i) => `  ${i + 1}. ${step}`));
    lines.push(
      '',
      // A WebSocket message does not depend on the HTTP wire format: no format name beside it.
      entry.status === undefined ? `${view.example.label}:` : `${view.example.label} (${format.name}):`,
      ...view.example.text.split('\n').map((l) => `  ${l}`.trimEnd()),
    );
    const where = docsBase
      ? link
      : `${link} (anchor on the docs page; set "faultline.docsBase" or --docs-base for a full URL)`;
    lines.push('', `Docs: ${where}`, '');
    io.out(lines.join('\n'));
    return EXIT.ok;
  },
};

/** The entry named by id (case-insensitive), slug or docs link; a usage error with a suggestion otherwise. */
function find(catalog: LoadedCatalog, wanted: string) {
  const key = (wanted.includes('#') ? wanted.slice(wanted.lastIndexOf('#') + 1) : wanted).trim();
  let decoded = key;
  try {
    decoded = decodeURIComponent(key);
  } catch {
    // A stray % is not an escape: match the text as typed.
  }
  const lower = decoded.toLowerCase();
  const entry = catalog.entries.find((e) => e.id.toLowerCase() === lower || e.slug.toLowerCase() === lower);
  if (entry) return entry;
  const near =
    suggest(
      decoded,
      catalog.entries.map((e) => e.id),
    ) ??
    suggest(
      decoded,
      catalog.entries.map((e) => e.slug),
    );
  throw new UsageError(
    `"${decoded}" is not an error of catalog "${catalog.name}"${near ? `; did you mean ${near}?` : ''}`,
    'explain',
  );
}
