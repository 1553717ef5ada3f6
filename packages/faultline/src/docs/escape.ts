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
 * Splits text into plain and code runs, CommonMark style: a run of N backticks opens a code
 * span that the next run of exactly N backticks closes; an unclosed run stays literal.
 * Catalog authors write `name` for parameter and field names, and both pages show it as code.
 * @example codeRuns('Send `key_id`.') // [{code:false,text:'Send '},{code:true,text:'key_id'},{code:false,text:'.'}]
 */
export function codeRuns(text: string): { code: boolean; text: string }[] {
  const runs: { code: boolean; text: string }[] = [];
  let plain = '';
  let at = 0;
  while (at < text.length) {
    const open = /`+/g;
    open.lastIndex = at;
    const start = open.exec(text);
    if (!start) break;
    const fence = start[0];
    const close = new RegExp(`(?<!\`)${fence}(?!\`)`, 'g');
    close.lastIndex = start.index + fence.length;
    const end = close.exec(text);
    if (!end) {
      plain += text.slice(at, start.index + fence.length);
      at = start.index + fence.length;
      continue;
    }
    plain += text.slice(at, start.index);
    if (plain) runs.push({ code: false, text: plain });
    plain = '';
    runs.push({ code: true, text: text.slice(start.index + fence.length, end.index) });
    at = end.index + fence.length;
  }
  plain += text.slice(at);
  if (plain) runs.push({ code: false, text: plain });
  return runs;
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
  // The fence must be longer than any backtick run inside, and padding keeps edge backticks apart.
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const padded = /^[ `]|[ `]$/.test(text) ? ` ${text} ` : text;
  return fence + padded + fence;
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
