import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * One full GC while the server is idle, before it serves: the process then runs in the state a
 * long-running service reaches once V8 has collected at a quiet moment. Such a GC frees the maps
 * of Node's nextTick objects (none is alive then) and V8 builds that literal through its runtime
 * from then on (bench/README.md, "nextTick slow path"). Left to chance, a server that allocates
 * little never gets that GC during a short run and one that allocates more does, so the draw,
 * not the code, moved a pair's ratio. The same as `servers/errors.ts` does.
 * @example await app.listen({ port: 0 }); await settle(); announce(port);
 */
export async function settle(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  // From a macrotask: the tick queue is empty, so no tick object keeps those maps alive.
  await new Promise((resolve) => setImmediate(resolve));
  gc();
}
