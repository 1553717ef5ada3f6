import { COMMON_PHRASES } from './phrase.ts';

/**
 * Reason phrases of RFC 9110 §15 (plus 429 from RFC 6585): the status line, Spring's `error`
 * member, the fallback title of a problem. A table of our own rather than `node:http`'s, so no
 * module needs a Node built-in for it; the common ones are shared with the client (`phrase.ts`).
 */
const OTHER: Readonly<Record<number, string>> = {
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  411: 'Length Required',
  412: 'Precondition Failed',
  414: 'URI Too Long',
  416: 'Range Not Satisfiable',
  417: 'Expectation Failed',
  421: 'Misdirected Request',
  423: 'Locked',
  424: 'Failed Dependency',
  425: 'Too Early',
  426: 'Upgrade Required',
  428: 'Precondition Required',
  431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons',
  505: 'HTTP Version Not Supported',
  507: 'Insufficient Storage',
  508: 'Loop Detected',
  511: 'Network Authentication Required',
};

/** The phrase of a status, undefined for one without. */
const phraseOf = (status: number): string | undefined => COMMON_PHRASES[status] ?? OTHER[status];

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
