/**
 * Turning text and HTML bodies into a short, safe message. Everything here is linear in the
 * input and bounded: a hostile or broken proxy page must not cost more than a small copy.
 */

/** Longest message taken from a text or HTML body: enough for a sentence, not a stack dump. */
export const MAX_TEXT_MESSAGE = 300;
/** How much of an HTML page is searched for its title; error pages put it near the top. */
const HTML_SCAN = 64 * 1024;

/**
 * One line of readable text: control characters (terminal escapes included) and runs of
 * whitespace become one space, and the result is cut at `max` characters with an ellipsis.
 * @example oneLine('upstream\n  timed out') // 'upstream timed out'
 */
export function oneLine(text: string, max = MAX_TEXT_MESSAGE): string {
  // Only the head matters; bounding it first keeps huge bodies cheap.
  const head = text.slice(0, max * 4);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
  const clean = head.replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, ' ').trim();
  if (clean.length <= max && head.length === text.length) return clean;
  let cut = clean.slice(0, max - 1);
  // Never leave half a surrogate pair at the end.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/**
 * Whether a text body is an HTML page: by content type, or by its first tag.
 * @example looksLikeHtml('<html><title>502 Bad Gateway</title></html>') // true
 */
export function looksLikeHtml(text: string, contentType?: string): boolean {
  if (contentType && /html/i.test(contentType)) return true;
  const head = text.slice(0, 1024).trimStart();
  return head.startsWith('<') && /<(?:!doctype\s+html|html|head|body|title|h1)[\s>]/i.test(head);
}

/**
 * The message of an HTML error page: its `<title>`, else its first `<h1>`, else its text;
 * tags stripped, entities decoded, one line, capped. Empty when the page has no text.
 * @example htmlMessage('<html><head><title>502 Bad Gateway</title></head></html>') // '502 Bad Gateway'
 */
export function htmlMessage(html: string): string {
  const src = html.slice(0, HTML_SCAN);
  // ASCII-only lower-casing keeps indexes aligned with `src` (full lower-casing can change lengths).
  const lower = src.replace(/[A-Z]+/g, (m) => m.toLowerCase());
  for (const tag of ['title', 'h1']) {
    const inner = element(src, lower, tag);
    const text = inner === undefined ? '' : oneLine(decodeEntities(stripTags(inner)));
    if (text) return text;
  }
  return oneLine(decodeEntities(stripTags(src.slice(0, 16 * 1024))));
}

/** Inner HTML of the first `<tag>` element (to its closing tag, or a bounded stretch without one). */
function element(src: string, lower: string, tag: string): string | undefined {
  let at = lower.indexOf(`<${tag}`);
  while (at !== -1) {
    const next = lower[at + tag.length + 1];
    if (next === '>' || next === '/' || (next !== undefined && /\s/.test(next))) {
      const start = lower.indexOf('>', at);
      if (start === -1) return undefined;
      const end = lower.indexOf(`</${tag}`, start);
      return src.slice(start + 1, end === -1 ? start + 1 + 2048 : end);
    }
    at = lower.indexOf(`<${tag}`, at + 1);
  }
  return undefined;
}

/** Text without tags, comments, scripts or styles; one pass, no backtracking regex. */
function stripTags(html: string): string {
  const lower = html.replace(/[A-Z]+/g, (m) => m.toLowerCase());
  let out = '';
  let i = 0;
  while (i < html.length) {
    const open = html.indexOf('<', i);
    if (open === -1) {
      out += html.slice(i);
      break;
    }
    out += `${html.slice(i, open)} `;
    let close: number;
    if (lower.startsWith('<!--', open)) close = endOf(lower, '-->', open);
    else if (lower.startsWith('<script', open)) close = endOf(lower, '</script', open);
    else if (lower.startsWith('<style', open)) close = endOf(lower, '</style', open);
    else close = open;
    const gt = html.indexOf('>', close);
    if (gt === -1) break;
    i = gt + 1;
  }
  return out;
}

function endOf(lower: string, marker: string, from: number): number {
  const at = lower.indexOf(marker, from + 1);
  return at === -1 ? lower.length : at + marker.length - 1;
}

const NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  copy: '©',
};

/** Decodes the entities error pages use: numeric ones and a handful of named ones. */
function decodeEntities(text: string): string {
  return text.replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi, (whole, name: string) => {
    if (name[0] !== '#') return NAMED[name.toLowerCase()] ?? whole;
    const code =
      name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    // Out-of-range and surrogate code points would throw or make broken strings.
    const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
    return valid ? String.fromCodePoint(code) : whole;
  });
}
