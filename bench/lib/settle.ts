import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * In a server script, after `listen` and before `announce`: one full GC while the server is
 * idle, so every process serves in the state a service reaches once V8 has collected at a quiet
 * moment (as it does during any sizeable start-up, or when its memory reducer runs). Such a GC
 * frees the maps of Node's nextTick objects (none is alive then), and V8 builds that object
 * literal through its runtime from then on (bench/README.md, "nextTick slow path"). Left to
 * chance, a small server never gets that GC and a larger one does, which swung a process's CPU
 * per request by up to 10 %. Every error-path server runs it, bare and faultline alike.
 * @example await app.listen({ host: '127.0.0.1', port: 0 }); await settle(); announce(port);
 */
export async function settle(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  // From a macrotask: the tick queue is empty, so no tick object keeps those maps alive.
  await new Promise((resolve) => setImmediate(resolve));
  gc();
}

/** The method-line words for it, shared by the error-path scenarios. */
export const SETTLE_METHOD =
  'one full GC while idle before serving, on both sides (the nextTick state of a long-running process, bench/README.md)';
