/**
 * Worker thread: `count` POST /v0/auth with random credentials at `connections` concurrency
 * (autocannon, unique key ids). Posts `{ started: true }` at the first answer, so the caller
 * measures while the flood is on, then `{ done, non2xx, errors }`.
 * @example new Worker(new URL('../lib/auth-flood.ts', import.meta.url), { workerData: { url, count: 1000, connections: 50 } })
 */
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

const { url, count, connections } = workerData as { url: string; count: number; connections: number };
const autocannon = createRequire(import.meta.url)('autocannon') as (
  options: Record<string, unknown>,
  done: (error: unknown, result: { '2xx': number; non2xx: number; errors: number }) => void,
) => { on(event: 'response', listener: () => void): void };

let started = false;
const instance = autocannon(
  {
    url: `${url}/v0/auth`,
    method: 'POST',
    connections,
    amount: count,
    headers: { 'content-type': 'application/json' },
    // [<id>] becomes a unique id per request: every one is a different unknown key.
    body: JSON.stringify({ key_id: 'key_[<id>]', key_secret: 'sk_[<id>]', scopes: ['interhumanai.upload'] }),
    idReplacement: true,
  },
  (error, result) => {
    if (error) throw error;
    parentPort!.postMessage({
      done: result['2xx'] + result.non2xx,
      non2xx: result.non2xx,
      errors: result.errors,
    });
  },
);
instance.on('response', () => {
  if (started) return;
  started = true;
  parentPort!.postMessage({ started: true });
});
