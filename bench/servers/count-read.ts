/**
 * Preload (`node --import bench/servers/count-read.ts …`): for every TCP connection the
 * process accepts, reports over IPC how many bytes it actually read from the socket — before
 * it wrote the first byte of its answer, and in all once the socket closes. The two differ by
 * what a lingering close reads and drops after an early refusal, so the client receives it.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';

subscribe('net.server.socket', (message) => {
  const { socket } = message as { socket: Socket };
  const remotePort = socket.remotePort;
  let beforeAnswer: number | undefined;
  const write = socket.write;
  socket.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
    beforeAnswer ??= socket.bytesRead;
    return write.apply(this, args);
  } as Socket['write'];
  socket.once('close', () =>
    process.send?.({
      socketRead: socket.bytesRead,
      readBeforeAnswer: beforeAnswer ?? socket.bytesRead,
      remotePort,
    }),
  );
});
