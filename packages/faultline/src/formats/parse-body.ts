/**
 * A response body as a decoder wants it: parsed JSON when it is JSON (by content type, or
 * because it starts like an object or array: servers mislabel error bodies), else the text
 * itself. Never throws: broken JSON comes back as text, and `__proto__` keys are dropped so a
 * later merge of the result cannot reach a prototype.
 * @example parseBody('{"error":"nope"}', 'application/json') // { error: 'nope' }
 * @example parseBody('<html>…</html>', 'text/html') // '<html>…</html>'
 */
export function parseBody(text: string, contentType?: string | null): unknown {
  return parseJson(text, contentType, true);
}

/**
 * `parseBody`, with `clean` saying whether `__proto__` keys are dropped. `decodeError` parses
 * without: it reads only named members, and drops those keys from `fields` when they are read.
 */
export function parseJson(text: string, contentType: string | null | undefined, clean: boolean): unknown {
  if (typeof text !== 'string') return undefined;
  // Trim only when there is something to trim: a trimmed copy makes JSON.parse measurably slower.
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  const trimmed =
    (first === 0x7b || first === 0x5b) && (last === 0x7d || last === 0x5d)
      ? text
      : (first === 0xfeff ? text.slice(1) : text).trim();
  const start = trimmed.charCodeAt(0);
  if (
    trimmed === '' ||
    !(start === 0x7b /* { */ || start === 0x5b /* [ */ || /[/+]json\b/i.test(contentType ?? ''))
  )
    return text;
  try {
    // A reviver makes JSON.parse several times slower; only a body that may name `__proto__`
    // (literally, or spelled with \u escapes) pays for it.
    if (!clean || (!trimmed.includes('__proto__') && !trimmed.includes('\\u'))) return JSON.parse(trimmed);
    return JSON.parse(trimmed, (key, value: unknown) => (key === '__proto__' ? undefined : value));
  } catch {
    // Invalid JSON, or nesting too deep for the reviver: the text is still worth showing.
    return text;
  }
}
