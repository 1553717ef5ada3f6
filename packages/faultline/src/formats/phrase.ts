/**
 * The reason phrases (RFC 9110 §15, 429 from RFC 6585) of the error statuses a client meets
 * most: the message of a bodiless problem, a title-less HTML page or an empty answer. The
 * rest of the registry is server-side only (`reason.ts`), so the client bundle stays small.
 */
export const COMMON_PHRASES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * The phrase of a common error status; `HTTP <status>` for another status (still tells a reader
 * what came back), `Error` without one.
 * @example commonPhrase(429) // 'Too Many Requests'
 * @example commonPhrase(507) // 'HTTP 507'
 */
export function commonPhrase(status: number): string {
  return COMMON_PHRASES[status] ?? (status >= 100 && status <= 599 ? `HTTP ${status}` : 'Error');
}
