/** Names of WebSocket close codes (RFC 6455 §7.4.1 and the IANA registry). */
const CLOSE_NAMES: Readonly<Record<number, string>> = {
  1000: 'Normal Closure',
  1001: 'Going Away',
  1002: 'Protocol Error',
  1003: 'Unsupported Data',
  1007: 'Invalid Payload Data',
  1008: 'Policy Violation',
  1009: 'Message Too Big',
  1010: 'Mandatory Extension',
  1011: 'Internal Error',
  1012: 'Service Restart',
  1013: 'Try Again Later',
  1014: 'Bad Gateway',
};

/**
 * `1009 (Message Too Big)`; application codes (4000–4999) have no registered name.
 * @example closeCodeLine(1001) // '1001 (Going Away)'
 */
export function closeCodeLine(code: number): string {
  const name = CLOSE_NAMES[code];
  return name ? `${code} (${name})` : String(code);
}
