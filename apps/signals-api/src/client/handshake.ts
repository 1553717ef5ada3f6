import { type DecodedError, decodeResponse } from 'faultline/client';

/**
 * A WebSocket constructor: the browser's, Node's global one, or the `ws` package's (which also
 * takes the refused handshake's HTTP answer, see `captureRefusal`).
 * @example const Socket: WebSocketConstructor = globalThis.WebSocket;
 */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocket;

/**
 * The constructor `stream` uses by default: in Node the `ws` package, whose `unexpected-response`
 * event hands over the HTTP answer of a refused upgrade (the server refuses bad tokens, plan
 * limits and drains that way, before any upgrade); elsewhere the global `WebSocket`.
 * @example const Socket = await defaultWebSocket(); new Socket(url, ['access_token', token]);
 */
export async function defaultWebSocket(): Promise<WebSocketConstructor> {
  if (typeof process !== 'undefined' && process.versions?.node) {
    try {
      // A variable specifier keeps bundlers for the browser from pulling `ws` in.
      const name = 'ws';
      const ws = (await import(name)) as { default: unknown };
      return ws.default as WebSocketConstructor;
    } catch {
      // `ws` not installed: the global WebSocket, with the HTTP probe for refusals.
    }
  }
  return globalThis.WebSocket;
}

/** The parts of the `ws` package's socket and handshake answer that `captureRefusal` uses. */
interface NodeSocket {
  on(event: 'unexpected-response', listener: (request: unknown, response: NodeResponse) => void): void;
  terminate(): void;
}
interface NodeResponse {
  readonly statusCode?: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  on(event: 'data', listener: (chunk: Uint8Array) => void): void;
  on(event: 'end' | 'error', listener: (error?: unknown) => void): void;
}

/** Most of a refusal body we read: catalog errors are far smaller. */
const MAX_REFUSAL_BYTES = 64 * 1024;

/**
 * With a `ws` socket: resolves with the decoded HTTP answer when the server refuses the upgrade
 * (then ends the attempt, which closes the socket without an `open`); never resolves when the
 * upgrade succeeds. `undefined` for sockets that cannot see the answer (browsers).
 * @example const refused = captureRefusal(ws); // later: const error = await refused;
 */
export function captureRefusal(ws: WebSocket): Promise<DecodedError> | undefined {
  const node = ws as unknown as Partial<NodeSocket>;
  if (typeof node.on !== 'function' || typeof node.terminate !== 'function') return undefined;
  return new Promise((resolve) => {
    node.on!('unexpected-response', (_request, response) => {
      const chunks: Uint8Array[] = [];
      let size = 0;
      const done = () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(response.headers))
          if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
        decodeResponse(asResponse(response.statusCode, headers, chunks)).then((error) => {
          resolve(error);
          node.terminate!();
        });
      };
      response.on('data', (chunk) => {
        size += chunk.byteLength;
        if (size <= MAX_REFUSAL_BYTES) chunks.push(chunk);
      });
      response.on('end', done);
      response.on('error', done);
    });
  });
}

/** A fetch `Response` of a handshake answer, whatever its status (1xx/204/304 cannot carry a body). */
function asResponse(status: number | undefined, headers: Headers, chunks: Uint8Array[]): Response {
  const code = status !== undefined && status >= 200 && status <= 599 ? status : 502;
  try {
    return new Response(new Blob(chunks as BlobPart[]), { status: code, headers });
  } catch {
    return new Response(null, { status: code, headers });
  }
}

/**
 * Browsers hide a refused handshake's answer: ask the same URL over plain HTTP with the same
 * token (authentication runs before anything else, so a token problem is answered the same way).
 * `undefined` when the probe says nothing useful (the token is fine, or the server is unreachable).
 * @example const error = await probeRefusal('wss://api.example/v0/stream/analyze', token);
 */
export async function probeRefusal(url: string, token: string): Promise<DecodedError | undefined> {
  const response = await fetch(url.replace(/^ws/, 'http'), {
    headers: { authorization: `Bearer ${token}` },
  }).catch(() => undefined);
  // 426/400: the token passed and the server only asks for an upgrade: nothing learnt.
  if (!response || response.ok || response.status === 426 || response.status === 400) {
    await response?.body?.cancel();
    return undefined;
  }
  return decodeResponse(response);
}

/**
 * What to do after a refused upgrade: `renew` the token (401: once, like faultline/client's
 * token refresh), `wait` and try again (429, 503, other 5xx: the session was never opened, so
 * nothing is repeated; `delayMs` is the server's Retry-After when it gave one), or `stop`
 * (any other 4xx: the same request would get the same answer).
 * @example refusalAction(error) // { kind: 'wait', delayMs: 2000 } for ih1002 with Retry-After: 2
 */
export function refusalAction(
  error: DecodedError,
): { kind: 'renew' } | { kind: 'stop' } | { kind: 'wait'; delayMs: number | undefined } {
  if (error.status === 401) return { kind: 'renew' };
  if (error.status === 429 || error.status === 503 || error.status === 408 || error.status >= 500)
    return { kind: 'wait', delayMs: error.retryAfterMs };
  return { kind: 'stop' };
}
