/**
 * A response body as a decoder wants it: parsed JSON when it is JSON (by content type, or
 * because it starts like an object or array: servers mislabel error bodies), else the text
 * itself. Never throws: broken JSON comes back as text, and `__proto__` keys are dropped so a
 * later merge of the result cannot reach a prototype.
 * @example parseBody('{"error":"nope"}', 'application/json') // { error: 'nope' }
 * @example parseBody('<html>…</html>', 'text/html') // '<html>…</html>'
 */
export function parseBody(text: string, contentType?: string | null): unknown {
  if (typeof text !== 'string') return undefined;
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  const declared = typeof contentType === 'string' && /[/+]json\b/i.test(contentType);
  const shaped = trimmed.startsWith('{') || trimmed.startsWith('[');
  if (trimmed === '' || !(declared || shaped)) return text;
  try {
    return JSON.parse(trimmed, (key, value: unknown) => (key === '__proto__' ? undefined : value));
  } catch {
    // Invalid JSON, or nesting too deep for the reviver: the text is still worth showing.
    return text;
  }
}
