/**
 * Preload (`node --import bench/servers/count-read.ts …`): for every TCP connection the
 * process accepts, reports over IPC how many bytes it actually read from the socket, once the
 * socket closes — what a server "read" of a request, whatever the framework did with it.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';

subscribe('net.server.socket', (message) => {
  const { socket } = message as { socket: Socket };
  const remotePort = socket.remotePort;
  socket.once('close', () => process.send?.({ socketRead: socket.bytesRead, remotePort }));
});
