/**
 * Escaping for the generated pages. Catalog text is authored by people and may hold any
 * character; nothing in it may become markup on the HTML page or in the Markdown file.
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text safe in HTML element content and in quoted attribute values.
 * @example escapeHtml('<b>"x"</b>') // '&lt;b&gt;&quot;x&quot;&lt;/b&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}

/**
 * Splits text on backticks into plain and code runs; an unpaired backtick stays literal.
 * Catalog authors write `name` for parameter and field names, and both pages show it as code.
 * @example codeRuns('Send `key_id`.') // [{code:false,text:'Send '},{code:true,text:'key_id'},{code:false,text:'.'}]
 */
export function codeRuns(text: string): { code: boolean; text: string }[] {
  const parts = text.split('`');
  if (parts.length % 2 === 0) {
    // Odd number of backticks: the last one has no partner, so it is plain text.
    const tail = parts.pop()!;
    parts[parts.length - 1] += '`' + tail;
  }
  return parts.map((part, index) => ({ code: index % 2 === 1, text: part })).filter((run) => run.text !== '');
}

/**
 * Escaped HTML for a line of catalog text, with `code` spans as `<code>`.
 * @example inlineHtml('Send `key_id` <now>') // 'Send <code>key_id</code> &lt;now&gt;'
 */
export function inlineHtml(text: string): string {
  return codeRuns(text)
    .map((run) => (run.code ? `<code>${escapeHtml(run.text)}</code>` : escapeHtml(run.text)))
    .join('');
}

/**
 * One line of Markdown for catalog text: HTML and Markdown syntax are backslash-escaped,
 * line breaks collapse (so text can't start a heading or a block), `code` spans are kept.
 * @example inlineMarkdown('Use *any* <b>`x`</b>') // 'Use \\*any\\* \\<b\\>`x`\\</b\\>'
 */
export function inlineMarkdown(text: string): string {
  return codeRuns(text.replace(/\s*[\r\n]+\s*/g, ' '))
    .map((run) => (run.code ? codeSpan(run.text) : run.text.replace(/[\\`*_[\]<>&|~#!{}]/g, '\\$&')))
    .join('');
}

/** A Markdown code span whose content is taken literally (CommonMark: no HTML inside code). */
function codeSpan(text: string): string {
  const padded = text.startsWith(' ') || text.endsWith(' ') ? ` ${text} ` : text;
  return '`' + padded + '`';
}

/**
 * A fenced Markdown code block that no backtick run in `text` can close early.
 * @example fencedBlock('{}', 'json') // '```json\n{}\n```'
 */
export function fencedBlock(text: string, language = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${text}\n${fence}`;
}
