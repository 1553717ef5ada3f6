/**
 * Reason phrases of RFC 9110 §15 (plus 429 from RFC 6585): Spring's `error` member and the
 * fallback title of a problem or a bare HTML page. A table of our own rather than
 * `node:http`'s, so the client bundle stays free of Node built-ins.
 */
// One string per range, `|`-separated by status (empty: no phrase): smaller in the client bundle
// than an object with a key per status.
const CLIENT = (
  'Bad Request|Unauthorized|Payment Required|Forbidden|Not Found|Method Not Allowed|Not Acceptable|' +
  'Proxy Authentication Required|Request Timeout|Conflict|Gone|Length Required|Precondition Failed|' +
  'Content Too Large|URI Too Long|Unsupported Media Type|Range Not Satisfiable|Expectation Failed||||' +
  'Misdirected Request|Unprocessable Content|Locked|Failed Dependency|Too Early|Upgrade Required||' +
  'Precondition Required|Too Many Requests||Request Header Fields Too Large'
).split('|');
const SERVER = (
  'Internal Server Error|Not Implemented|Bad Gateway|Service Unavailable|Gateway Timeout|' +
  'HTTP Version Not Supported||Insufficient Storage|Loop Detected|||Network Authentication Required'
).split('|');

/** The phrase of a status, undefined for one without. */
function phraseOf(status: number): string | undefined {
  if (status === 451) return 'Unavailable For Legal Reasons';
  const list = status >= 500 ? SERVER : CLIENT;
  return list[status - (status >= 500 ? 500 : 400)] || undefined;
}

/**
 * The reason phrase of an HTTP status; `Error` for a status without one.
 * @example reasonPhrase(429) // 'Too Many Requests'
 */
export function reasonPhrase(status: number): string {
  return phraseOf(status) ?? 'Error';
}

/**
 * `400 Bad Request`; just the number for a status without a well-known phrase.
 * @example statusLine(429) // '429 Too Many Requests'
 */
export function statusLine(status: number): string {
  const phrase = phraseOf(status);
  return phrase ? `${status} ${phrase}` : String(status);
}
