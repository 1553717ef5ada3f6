import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';

/**
 * A small server speaking the session part of the streaming protocol of shared/signals-api.md
 * ("WebSocket protocol"): `session.ready` first, one `segment.processing` / `signal.detected` /
 * `segment.completed` round per binary segment, `session.close` answered with close 1000,
 * `error` frames followed by a close whose reason is the error id. Tests steer it per
 * connection with `plan`, for what the real route cannot be made to do on cue (dropping a
 * session mid-segment, closing with 1012). Authentication (refused upgrades) is tested against
 * the real route only (stream.blackbox.test.ts): this server accepts any token.
 */
export interface Plan {
  /** Close 1001 `ih6005` (or `code`) when this segment (1-based, per connection) arrives, without completing it. */
  goAwayOnSegment?: { segment: number; code?: number };
  /** Send `shutdown.warning` when this segment arrives, then complete it. */
  warnOnSegment?: number;
  /** Refuse the upgrade with this HTTP answer (a catalog-style JSON body), as the real route does. */
  refuse?: { status: number; id: string; retryAfterSeconds?: number };
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
  close(): Promise<void>;
}

export async function fakeStreamServer(): Promise<FakeStreamServer> {
  const sessions: Session[] = [];
  const plans: Plan[] = [];
  const http: Server = createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'application/json' }).end('{"message":"upgrade required"}');
  });
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has('access_token') ? 'access_token' : false),
  });
  http.on('upgrade', (req, socket: Duplex, head) => {
    const refuse = plans[0]?.refuse;
    if (!refuse) return wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    plans.shift();
    const body = JSON.stringify({ error_id: refuse.id, message: `refused (${refuse.id})` });
    const retry =
      refuse.retryAfterSeconds === undefined ? '' : `retry-after: ${refuse.retryAfterSeconds}\r\n`;
    socket.end(
      `HTTP/1.1 ${refuse.status} Refused\r\ncontent-type: application/json\r\n${retry}` +
        `connection: close\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });
  wss.on('connection', (ws: WebSocket) => {
    const session: Session = { id: randomUUID(), segments: [], texts: [] };
    sessions.push(session);
    ws.on('close', (code) => {
      session.closedWith = code;
    });
    const send = (type: string, data: Record<string, unknown> = {}) =>
      ws.send(
        JSON.stringify({ type, timestamp: new Date().toISOString(), correlation_id: session.id, data }),
      );
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
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        http.close(() => resolve());
      }),
  };
}
