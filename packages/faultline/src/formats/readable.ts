/**
 * Turning text and HTML bodies into a short, safe message. Everything here is linear in the
 * input and bounded: a hostile or broken proxy page must not cost more than a small copy.
 */

/** Longest message taken from a text or HTML body: enough for a sentence, not a stack dump. */
export const MAX_TEXT_MESSAGE = 300;

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
