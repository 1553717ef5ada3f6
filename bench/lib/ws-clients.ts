/**
 * WebSocket clients of the scenario-4 benches: open many sessions, and send each a run of binary
 * messages until every one is answered.
 */
import WebSocket from 'ws';

/** Opens `count` connections, 250 at a time, each resolved once its first message arrived. */
export async function openMany(url: string, protocols: string[], count: number): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (let done = 0; done < count; done += 250) {
    const batch = Array.from(
      { length: Math.min(250, count - done) },
      () =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(url, protocols);
          ws.once('message', () => resolve(ws));
          ws.once('error', reject);
        }),
    );
    sockets.push(...(await Promise.all(batch)));
  }
  return sockets;
}

/** Sends `frame` `count` times on every socket; resolves once each got `count` answers (`answered`). */
export function sendAndAwaitAnswers(
  sockets: WebSocket[],
  frame: Buffer,
  count: number,
  answered: (text: string) => boolean,
): Promise<void> {
  const all = Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          let answers = 0;
          ws.on('message', (data) => {
            if (answered(String(data)) && ++answers === count) resolve();
          });
          for (let i = 0; i < count; i++) ws.send(frame);
        }),
    ),
  );
  return all.then(() => undefined);
}
