import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';

/**
 * A model service for the `http` analyzer on a real socket: it reads each segment, and answers
 * only once `release()` ran (held answers go out then; later ones at once).
 * @example const model = await startModel(); … model.release(); await model.close();
 */
export interface TestModel {
  /** `SIGNALS_ANALYZER_URL` for the server under test. */
  readonly url: string;
  /** Segments received so far. */
  received(): number;
  /** Resolves once `count` segments have arrived. */
  waitFor(count: number): Promise<void>;
  release(): void;
  /** Holds answers again from now on. */
  hold(): void;
  close(): Promise<void>;
}

/** The answer of the test model: one signal that names the segment's size. */
function answer(bytes: number): string {
  return JSON.stringify({
    signals: [
      { type: 'test.segment', start: 0, end: 1, probability: 1, rationale: `received ${bytes} bytes` },
    ],
    engagement_state: [],
  });
}

/**
 * Starts a `TestModel` on 127.0.0.1.
 * @example const model = await startModel({ holding: true });
 */
export async function startModel(options: { holding: boolean }): Promise<TestModel> {
  let holding = options.holding;
  let count = 0;
  let held: (() => void)[] = [];
  let waiters: { count: number; done: () => void }[] = [];
  const server: Server = createServer(async (request, response) => {
    let body: Buffer;
    try {
      body = await buffer(request);
    } catch {
      return; // The server under test gave up on this segment (its session went away).
    }
    count++;
    const ready = waiters.filter((w) => count >= w.count);
    waiters = waiters.filter((w) => count < w.count);
    for (const waiter of ready) waiter.done();
    // No keep-alive: the server under test keeps no idle socket to us once an answer is in.
    const send = () =>
      response
        .writeHead(200, { 'content-type': 'application/json', connection: 'close' })
        .end(answer(body.length));
    if (holding) held.push(send);
    else send();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/analyze`,
    received: () => count,
    waitFor: (wanted) =>
      count >= wanted ? Promise.resolve() : new Promise((done) => waiters.push({ count: wanted, done })),
    release() {
      holding = false;
      for (const send of held.splice(0)) send();
      held = [];
    },
    hold() {
      holding = true;
    },
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
