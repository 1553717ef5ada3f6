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
  // Trim only when there is something to trim: a trimmed copy makes JSON.parse measurably slower.
  const last = text.charCodeAt(text.length - 1);
  const clean =
    (text.charCodeAt(0) === 0x7b || text.charCodeAt(0) === 0x5b) && (last === 0x7d || last === 0x5d);
  const trimmed = clean ? text : text.charCodeAt(0) === 0xfeff ? text.slice(1).trim() : text.trim();
  const first = trimmed.charCodeAt(0);
  const shaped = first === 0x7b /* { */ || first === 0x5b; /* [ */
  if (trimmed === '' || !(shaped || (typeof contentType === 'string' && /[/+]json\b/i.test(contentType))))
    return text;
  try {
    // A reviver makes JSON.parse several times slower; only a body that may name `__proto__`
    // (literally, or spelled with \u escapes) pays for it.
    if (!trimmed.includes('__proto__') && !trimmed.includes('\\u')) return JSON.parse(trimmed);
    return JSON.parse(trimmed, (key, value: unknown) => (key === '__proto__' ? undefined : value));
  } catch {
    // Invalid JSON, or nesting too deep for the reviver: the text is still worth showing.
    return text;
  }
}
