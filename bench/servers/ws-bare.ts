/**
 * The baseline of scenario 4: a bare `ws` server on a plain `http` server, as small as a
 * WebSocket endpoint gets. Greets each connection with one text message, answers each binary
 * message with one short text message (so a client can count what was taken in), and reports
 * its RSS after a GC over IPC. Run with `--expose-gc`. 127.0.0.1 only.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { announce } from '../lib/child.ts';
import { reportMemoryOnRequest } from './memory.ts';

const server = createServer();
const wss = new WebSocketServer({ noServer: true, clientTracking: false, maxPayload: 20 * 1024 * 1024 });
server.on('upgrade', (request, socket, head) => {
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
