import { oneLine } from '../formats/readable.ts';

/**
 * Reading an HTML error page (a proxy's, a load balancer's) for its message: opt-in with the
 * other shapes of `faultline/decoders`; the core leaves such pages to the caller. Linear in the
 * input and bounded: a hostile or broken page must not cost more than a small copy.
 */

/** How much of an HTML page is searched for its title; error pages put it near the top. */
const HTML_SCAN = 64 * 1024;

/**
 * The message of an HTML error page: its `<title>`, else its first `<h1>`, else its text;
 * tags stripped, entities decoded, one line, capped. Empty when the page has no text.
 * @example htmlMessage('<html><head><title>502 Bad Gateway</title></head></html>') // '502 Bad Gateway'
 */
export function htmlMessage(html: string): string {
  const src = html.slice(0, HTML_SCAN);
  for (const tag of ['title', 'h1']) {
    // One scan at most: an element without its closing tag ends where the page does.
    const inner = new RegExp(`<${tag}(?:[\\s/][^>]{0,199})?>([\\s\\S]*?)(?:</${tag}|$)`, 'i').exec(src)?.[1];
    const text = inner === undefined ? '' : textOf(inner.slice(0, 2048));
    if (text) return text;
  }
  return textOf(src.slice(0, 16 * 1024));
}

/**
 * Comments, scripts and styles with their content, then any other tag. Every alternative
 * matches once it starts (an unclosed one runs to the end), so a replace is one linear pass.
 */
const MARKUP = /<!--[\s\S]*?(?:-->|$)|<(script|style)\b[\s\S]*?(?:<\/\1[^>]{0,99}>|$)|<[^>]*>?/gi;

/** The readable text of some HTML, on one line. */
const textOf = (html: string): string => oneLine(decodeEntities(html.replace(MARKUP, ' ')));

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
