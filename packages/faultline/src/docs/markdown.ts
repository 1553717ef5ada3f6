import { escapeHtml, fencedBlock, inlineMarkdown } from './escape.ts';
import { buildPage, type CatalogLike, type DocsOptions, type EntryView, leadText } from './model.ts';

/**
 * The catalog as one Markdown file: the same content as `renderHtml`, and the same anchors
 * (explicit `<a id="<slug>">`, since Markdown renderers each derive heading ids their own way).
 * @example writeFileSync('docs/errors.md', renderMarkdown(signals, { format: structured }));
 */
export function renderMarkdown(catalog: CatalogLike, options: DocsOptions): string {
  const page = buildPage(catalog, options);
  const out: string[] = [];
  out.push(`# ${inlineMarkdown(page.title)}`, '');
  out.push(inlineMarkdown(leadText(page)), '');
  out.push('## Contents', '');
  for (const group of page.categories) {
    out.push(`- [${inlineMarkdown(group.name)}](#${group.anchor})`);
    for (const view of group.entries) out.push(`  - [${inlineMarkdown(view.heading)}](#${anchorHref(view)})`);
  }
  out.push('');
  for (const group of page.categories) {
    out.push(anchor(group.anchor), `## ${inlineMarkdown(group.name)}`, '');
    for (const view of group.entries) out.push(...renderEntry(view), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function renderEntry(view: EntryView): string[] {
  const lines = [anchor(view.entry.slug), `### ${inlineMarkdown(view.heading)}`, ''];
  if (view.deprecation) {
    let text = '**Deprecated.**';
    const next = view.deprecation.replacedBy;
    if (next?.slug !== undefined)
      text += ` Use [${inlineMarkdown(next.id)}](#${encodeURI(next.slug)}) instead.`;
    else if (next) text += ` Use ${inlineMarkdown(next.id)} instead.`;
    if (view.deprecation.reason) text += ` ${inlineMarkdown(view.deprecation.reason)}`;
    lines.push(text, '');
  }
  for (const fact of view.facts)
    lines.push(`- **${inlineMarkdown(fact.label)}:** ${inlineMarkdown(fact.value)}`);
  lines.push('');
  for (const text of view.paragraphs) lines.push(inlineMarkdown(text), '');
  lines.push('**How to fix**', '');
  view.entry.fix.forEach((step, index) => {
    lines.push(`${index + 1}. ${inlineMarkdown(step)}`);
  });
  lines.push('', `**${inlineMarkdown(view.example.label)}**`, '');
  lines.push(fencedBlock(view.example.text, view.example.language ?? 'http'));
  return lines;
}

/** An HTML anchor: the id is attribute-escaped, so a hand-written slug can't break out of it. */
function anchor(id: string): string {
  return `<a id="${escapeHtml(id)}"></a>`;
}

/** Link target for an entry; slugs are URL-safe by construction, hand-written ones get encoded. */
function anchorHref(view: EntryView): string {
  return encodeURI(view.entry.slug);
}
