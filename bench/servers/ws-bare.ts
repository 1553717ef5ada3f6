/**
 * The baseline of scenario 4: a bare `ws` server on a plain `http` server, as small as a
 * WebSocket endpoint gets. Greets each connection with one text message, answers each binary
 * message with one short text message (so a client can count what was taken in), and reports
 * its RSS after a GC over IPC. Run with `--expose-gc`. 127.0.0.1 only.
 * `BENCH_WS_BARE_GARBAGE_KB=<n>`: the control of scenario 4's memory notes, n × 16 short-lived
 * objects allocated per connection (what the service's handshake leaves beyond bare's), nothing
 * of it kept. Each is ~96 bytes on Node 24 x64, so a unit is ~1.5 KB, not 1 KB.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { announce } from '../lib/child.ts';
import { reportMemoryOnRequest } from './memory.ts';

const GARBAGE_KB = Number(process.env['BENCH_WS_BARE_GARBAGE_KB'] ?? 0);
let sink: unknown;
/** GARBAGE_KB × 16 small short-lived objects (~96 bytes each: ~1.5 KB a unit). */
function garbage(): void {
  for (let i = 0; i < GARBAGE_KB * 16; i++) sink = { n: i, pair: [i, sink === undefined] };
}

const server = createServer();
const wss = new WebSocketServer({ noServer: true, clientTracking: false, maxPayload: 20 * 1024 * 1024 });
server.on('upgrade', (request, socket, head) => {
  if (GARBAGE_KB > 0) garbage();
  wss.handleUpgrade(request, socket, head, (ws) => {
    ws.on('error', () => {});
    ws.send('{"type":"ready"}');
    let received = 0;
    ws.on('message', (_data, isBinary) => {
      if (isBinary) ws.send(`{"type":"ack","n":${++received}}`);
    });
  });
});
server.listen(0, '127.0.0.1', () => {
  announce((server.address() as AddressInfo).port);
  reportMemoryOnRequest();
});
