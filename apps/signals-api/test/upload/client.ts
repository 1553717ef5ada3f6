import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fixturePath } from '../fixtures/index.ts';
import { unlimitedPlan } from '../support/plans.ts';
import { recordResponse, type TestServer } from '../support/server.ts';

export const UPLOAD_SCOPE = 'interhumanai.upload';
export const UPLOAD_PATH = '/v0/upload/analyze';

/**
 * A bearer token for the upload scope from a real key (CLI) and a real POST /v0/auth.
 * @example const token = await uploadToken(server);
 */
export async function uploadToken(server: TestServer, plan?: string): Promise<string> {
  const key = await server.createKey([UPLOAD_SCOPE], plan);
  const res = await fetch(`${server.url}/v0/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key_id: key.key_id, key_secret: key.key_secret, scopes: [UPLOAD_SCOPE] }),
  });
  if (res.status !== 200) throw new Error(`auth failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/**
 * An upload token on a plan no test reaches (see `unlimitedPlan`).
 * @example const token = await unlimitedUploadToken(server);
 */
export async function unlimitedUploadToken(server: TestServer): Promise<string> {
  return uploadToken(server, await unlimitedPlan(server));
}

/** One multipart part: a file (bytes + name) or a text field. */
export type Part =
  | readonly [name: string, value: string]
  | readonly [name: string, bytes: Uint8Array, filename: string];

/**
 * POSTs a multipart form over a real socket (fetch builds the multipart body).
 * @example await upload(server, token, [['file', bytes, 'clip.mp4'], ['include[]', 'conversation_quality_overall']]);
 */
export function upload(
  server: TestServer,
  token: string,
  parts: readonly Part[],
  query = '',
): Promise<Response> {
  const form = new FormData();
  for (const part of parts) {
    if (part.length === 3) form.append(part[0], new Blob([part[1] as Uint8Array<ArrayBuffer>]), part[2]);
    else form.append(part[0], part[1]);
  }
  return fetch(`${server.url}${UPLOAD_PATH}${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
}

/**
 * Uploads a committed fixture under its own name (or `filename`).
 * @example await uploadFixture(server, token, 'good.mp4');
 */
export function uploadFixture(
  server: TestServer,
  token: string,
  file: string,
  extra: readonly Part[] = [],
  filename = file,
): Promise<Response> {
  return upload(server, token, [['file', readFileSync(fixturePath(file)), filename], ...extra]);
}

/** Files the server left in its upload spool directory. */
export function spooled(server: TestServer): string[] {
  try {
    return readdirSync(server.env['SIGNALS_TMP_DIR']!);
  } catch {
    return [];
  }
}

/** A response read off a raw socket. */
export interface RawResult {
  readonly response: Response;
  /** Body bytes this client had written when the response (or the close) arrived. */
  readonly bodyBytesSent: number;
  /** Whether the client finished the body before the server answered. */
  readonly bodyFinished: boolean;
}

/**
 * Sends a request over a plain TCP socket, writing `body` chunk by chunk and stopping the
 * moment the server answers; never sends more than `maxBodyBytes`. Resolves with the parsed
 * response, how much body was sent, and whether all of it was. Rejects if the server neither
 * answers nor closes within `timeoutMs` (that is the failure these tests look for).
 * @example await rawRequest(server.url, head, chunks, { maxBodyBytes: 16 * 1024 });
 */
export function rawRequest(
  origin: string,
  head: string,
  body: Iterable<Uint8Array>,
  options: { readonly endAfterBody?: boolean; readonly timeoutMs?: number } = {},
): Promise<RawResult> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const received: Buffer[] = [];
    let sent = 0;
    let finished = false;
    let answered = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${options.timeoutMs ?? 10_000} ms after ${sent} body bytes`));
    }, options.timeoutMs ?? 10_000);

    const tryParse = (): Response | undefined => {
      const data = Buffer.concat(received);
      const end = data.indexOf('\r\n\r\n');
      if (end === -1) return undefined;
      const [statusLine, ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
      const headers = new Headers();
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      const length = Number(headers.get('content-length') ?? Number.NaN);
      const bodyBytes = data.subarray(end + 4);
      if (Number.isFinite(length) && bodyBytes.length < length) return undefined;
      const status = Number(statusLine?.split(' ')[1]);
      return new Response(bodyBytes.subarray(0, Number.isFinite(length) ? length : undefined), {
        status,
        headers,
      });
    };
    const settle = () => {
      if (answered) return;
      const response = tryParse();
      if (!response) return;
      answered = true;
      clearTimeout(timer);
      socket.destroy();
      // Raw answers get the same contract check as fetch's (support/contract.ts).
      const [method = 'GET', target = '/'] = head.split(' ', 2);
      recordResponse(origin, method, new URL(target, origin).pathname, response.clone());
      resolve({ response, bodyBytesSent: sent, bodyFinished: finished });
    };
    socket.on('data', (chunk) => {
      received.push(chunk);
      settle();
    });
    socket.on('error', () => {
      // A reset after the answer is expected when the server cuts an upload off; the
      // answer itself was already read (or the close handler reports its absence).
    });
    socket.on('close', () => {
      if (answered) return;
      settle();
      if (!answered) {
        clearTimeout(timer);
        reject(new Error(`connection closed without an answer after ${sent} body bytes`));
      }
    });

    socket.write(head);
    const chunks = body[Symbol.iterator]();
    const pump = () => {
      while (!answered && !socket.destroyed) {
        const next = chunks.next();
        if (next.done) {
          finished = true;
          if (options.endAfterBody) socket.end();
          return;
        }
        sent += next.value.length;
        if (!socket.write(next.value)) {
          socket.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
}
