import { renderHtml } from '../docs/html.ts';
import { renderMarkdown } from '../docs/markdown.ts';
import { type Command, EXIT, UsageError } from './io.ts';
import { catalogFor } from './load.ts';
import { writeOutput } from './output.ts';
import { RENDER_OPTIONS, renderSettings, stringOption } from './render-options.ts';

/**
 * `faultline docs`: the catalog's error page, as HTML or Markdown.
 * @example faultline docs --out public/errors.html
 */
export const docsCommand: Command = {
  name: 'docs',
  summary: 'write the error docs page (HTML or Markdown)',
  args: '',
  description:
    'Renders the catalog as one self-contained HTML page (or Markdown), one anchor per\n' +
    'error (#<id>-<title>), grouped by category. Writes to stdout unless --out is given;\n' +
    'the format follows the --out extension (.md) unless --format says otherwise.',
  options: {
    format: { type: 'string', value: 'html|md', help: 'page format (default: from --out, else html)' },
    out: { type: 'string', short: 'o', value: 'FILE', help: 'write to FILE instead of stdout' },
    title: { type: 'string', value: 'TEXT', help: 'page title (default: "<catalog name> errors")' },
    ...RENDER_OPTIONS,
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 0)
      throw new UsageError(`docs takes no arguments, got "${positionals[0]}"`, 'docs');
    const out = stringOption(values, 'out');
    const kind = stringOption(values, 'format') ?? (out && /\.(md|markdown)$/i.test(out) ? 'md' : 'html');
    if (kind !== 'html' && kind !== 'md' && kind !== 'markdown')
      throw new UsageError(`--format must be html or md, not "${kind}"`, 'docs');
    const { catalog, config } = await catalogFor(stringOption(values, 'catalog'), io);
    const { format, docsBase } = renderSettings(values, config, catalog);
    const options = { format, docsBase, title: stringOption(values, 'title') };
    const text = kind === 'html' ? renderHtml(catalog, options) : renderMarkdown(catalog, options);
    writeOutput(
      text,
      out,
      io,
      `${kind === 'html' ? 'HTML' : 'Markdown'} docs of ${catalog.entries.length} errors`,
    );
    return EXIT.ok;
  },
};
