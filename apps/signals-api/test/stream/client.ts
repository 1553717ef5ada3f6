import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import WebSocket from 'ws';
import { REPO_ROOT, type TestServer } from '../support/server.ts';

/**
 * A fixture video's bytes.
 * @example ws.send(fixture('good.mp4'))
 */
export function fixture(name: string): Buffer {
  return readFileSync(join(REPO_ROOT, 'apps/signals-api/test/fixtures', name));
}

/**
 * An access token for a fresh key with `scopes` (on `plan`, default `dev`), through the real CLI
 * and `POST /v0/auth`.
 * @example const token = await tokenFor(server, ['interhumanai.stream']);
 */
export async function tokenFor(
  server: TestServer,
  scopes: readonly string[],
  plan?: string,
): Promise<string> {
  const key = await server.createKey(scopes, plan);
  const response = await fetch(`${server.url}/v0/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key_id: key.key_id, key_secret: key.key_secret, scopes }),
  });
  if (response.status !== 200) throw new Error(`auth failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** A server message as the client receives it. */
export interface Message {
  readonly type: string;
  readonly timestamp: string;
  readonly correlation_id: string;
  readonly data: Record<string, unknown>;
}

/**
 * A client session that records every message and the close.
 * @example const s = await openSession(server, token); await s.next((m) => m.type === 'session.ready');
 */
export interface ClientSession {
  readonly ws: WebSocket;
  readonly messages: Message[];
  /** Resolves with the first message (already received or future) that matches. */
  next(match: (message: Message) => boolean, what?: string): Promise<Message>;
  /** Resolves with the close code and reason. */
  readonly closed: Promise<{ code: number; reason: string }>;
}

/**
 * Opens `/v0/stream/analyze` with the token as the subprotocol pair (default) or as a Bearer
 * header, and waits for the handshake.
 * @example const session = await openSession(server, token, { via: 'header' });
 */
export async function openSession(
  server: TestServer,
  token: string,
  options: { via?: 'protocol' | 'header' } = {},
): Promise<ClientSession> {
  const url = `${server.url.replace(/^http/, 'ws')}/v0/stream/analyze`;
  const ws =
    options.via === 'header'
      ? new WebSocket(url, { headers: { authorization: `Bearer ${token}` } })
      : new WebSocket(url, ['access_token', token]);
  const session = track(ws);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_request, response) =>
      reject(new Error(`upgrade refused: ${response.statusCode}`)),
    );
  });
  return session;
}

function track(ws: WebSocket): ClientSession {
  const messages: Message[] = [];
  let waiters: { match: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  ws.on('error', () => {});
  ws.on('message', (data, isBinary) => {
    if (isBinary) throw new Error('the server sent a binary message');
    const message = JSON.parse(String(data)) as Message;
    messages.push(message);
    waiters = waiters.filter((waiter) => {
      if (!waiter.match(message)) return true;
      waiter.resolve(message);
      return false;
    });
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  return {
    ws,
    messages,
    closed,
    next(match, what = 'a matching message') {
      const found = messages.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        waiters.push({ match, resolve });
        void closed.then(({ code, reason }) =>
          setImmediate(() => reject(new Error(`closed (${code} ${reason}) before ${what}`))),
        );
      });
    },
  };
}

/** An HTTP answer to an upgrade request that was refused. */
export interface Refusal {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

/**
 * Sends a raw upgrade request and returns the HTTP answer when the server refuses it (rejects
 * if the server upgrades instead).
 * @example const refusal = await refusedUpgrade(server, { authorization: 'Bearer nope' });
 */
export function refusedUpgrade(
  server: TestServer,
  headers: Record<string, string>,
  path = '/v0/stream/analyze',
): Promise<Refusal> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${server.url}${path}`, {
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        ...headers,
      },
    });
    request.once('upgrade', (_response, socket) => {
      socket.destroy();
      reject(new Error('the server upgraded'));
    });
    request.once('response', (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
      });
      response.once('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: JSON.parse(text) }),
      );
    });
    request.once('error', reject);
    request.end();
  });
}
