/**
 * Reason phrases of RFC 9110 §15 (plus 429 from RFC 6585): Spring's `error` member and the
 * fallback title of a problem or a bare HTML page. A table of our own rather than
 * `node:http`'s, so the client bundle stays free of Node built-ins.
 */
const PHRASES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  417: 'Expectation Failed',
  421: 'Misdirected Request',
  422: 'Unprocessable Content',
  423: 'Locked',
  424: 'Failed Dependency',
  425: 'Too Early',
  426: 'Upgrade Required',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
  507: 'Insufficient Storage',
  508: 'Loop Detected',
  511: 'Network Authentication Required',
};

/**
 * The reason phrase of an HTTP status; `Error` for a status without one.
 * @example reasonPhrase(429) // 'Too Many Requests'
 */
export function reasonPhrase(status: number): string {
  return PHRASES[status] ?? 'Error';
}

/**
 * `400 Bad Request`; just the number for a status without a well-known phrase.
 * @example statusLine(429) // '429 Too Many Requests'
 */
export function statusLine(status: number): string {
  const phrase = PHRASES[status];
  return phrase ? `${status} ${phrase}` : String(status);
}
