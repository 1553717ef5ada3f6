import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/**
 * A small server faithful to the streaming protocol of shared/signals-api.md ("WebSocket
 * protocol"): token as the `["access_token", token]` subprotocol pair, `session.ready` first,
 * one `segment.processing` / `signal.detected` / `segment.completed` round per binary segment,
 * `session.close` answered with close 1000, `error` frames followed by a close whose reason is
 * the error id. Tests steer it per connection with `plan`.
 */
export interface Plan {
  /** Close 1001 `ih6005` (or `code`) when this segment (1-based, per connection) arrives, without completing it. */
  goAwayOnSegment?: { segment: number; code?: number };
  /** Send `shutdown.warning` when this segment arrives, then complete it. */
  warnOnSegment?: number;
}

export interface Session {
  readonly id: string;
  readonly segments: Buffer[];
  readonly texts: unknown[];
  closedWith?: number;
}

export interface FakeStreamServer {
  readonly url: string;
  readonly sessions: Session[];
  /** Plans of the next connections, in order (a connection without one is a plain session). */
  readonly plans: Plan[];
  /** Tokens the server accepts. */
  readonly tokens: Set<string>;
  close(): Promise<void>;
}

export async function fakeStreamServer(): Promise<FakeStreamServer> {
  const sessions: Session[] = [];
  const plans: Plan[] = [];
  const tokens = new Set<string>();
  const http: Server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/v0/auth') {
      // Enough of POST /v0/auth for a client to get a stream token.
      tokens.add('issued');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          access_token: 'issued',
          token_type: 'Bearer',
          expires_in: 900,
          scope: 'interhumanai.stream',
        }),
      );
      return;
    }
    res.writeHead(426, { 'content-type': 'application/json' }).end('{"message":"upgrade required"}');
  });
  const wss = new WebSocketServer({
    server: http,
    path: '/v0/stream/analyze',
    handleProtocols: (protocols) => (protocols.has('access_token') ? 'access_token' : false),
  });
  wss.on('connection', (ws: WebSocket, req) => {
    const offered = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim());
    const token = offered[0] === 'access_token' ? offered[1] : undefined;
    const session: Session = { id: randomUUID(), segments: [], texts: [] };
    sessions.push(session);
    ws.on('close', (code) => {
      session.closedWith = code;
    });
    const send = (type: string, data: Record<string, unknown> = {}) =>
      ws.send(
        JSON.stringify({ type, timestamp: new Date().toISOString(), correlation_id: session.id, data }),
      );
    if (!token || !tokens.has(token)) {
      const id = token ? 'ih2009' : 'ih2008';
      send('error', { error_id: id, message: 'token refused', link: `#${id}` });
      ws.close(1008, id);
      return;
    }
    const plan = plans.shift() ?? {};
    send('session.ready', { max_segment_bytes: 20 * 1024 * 1024, idle_seconds: 300 });
    ws.on('message', (data, isBinary) => {
      if (!isBinary) {
        const text = JSON.parse(String(data)) as { type: string };
        session.texts.push(text);
        if (text.type === 'session.close') ws.close(1000, 'bye');
        else if (text.type === 'session.config')
          send('session.updated', { include: (text as { include?: unknown }).include });
        return;
      }
      session.segments.push(data as Buffer);
      const n = session.segments.length;
      if (plan.goAwayOnSegment?.segment === n) {
        const code = plan.goAwayOnSegment.code ?? 1001;
        if (code === 1001) send('error', { error_id: 'ih6005', message: 'going away', link: '#ih6005' });
        ws.close(code, code === 1001 ? 'ih6005' : 'restart');
        return;
      }
      send('segment.processing', { segment: n });
      if (plan.warnOnSegment === n) send('shutdown.warning', { seconds_remaining: 30 });
      send('signal.detected', { segment: n, type: 'speech', start: 0, end: 1, probability: 0.9 });
      send('segment.completed', { segment: n, bytes: (data as Buffer).length });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    sessions,
    plans,
    tokens,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        http.close(() => resolve());
      }),
  };
}
