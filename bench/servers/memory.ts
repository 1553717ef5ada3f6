/**
 * Memory reporting for servers under scenario 4. As a preload (`node --expose-gc --import
 * bench/servers/memory.ts …`) or called by a server script: on the IPC message `'memory'`,
 * collects garbage and answers `{ rss, heapUsed, heapTotal, external, spaces }` (bytes; `spaces`: capacity per V8
 * heap space); on
 * `{ snapshot: path }`, collects garbage, writes a V8 heap snapshot there and answers
 * `{ snapshot: path }` (for `bench/lib/heap-diff.ts`).
 */
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';

export function reportMemoryOnRequest(): void {
  process.on('message', (message: unknown) => {
    const collect = (globalThis as { gc?: () => void }).gc;
    const snapshot = (message as { snapshot?: unknown } | null)?.snapshot;
    if (typeof snapshot === 'string') {
      for (let i = 0; i < 3; i++) collect?.();
      writeHeapSnapshot(snapshot);
      process.send?.({ snapshot });
      return;
    }
    if (message !== 'memory') return;
    for (let i = 0; i < 3; i++) collect?.();
    const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
    // Capacity per heap space: where a growth of `heapTotal` beyond live objects sits.
    const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, s.space_size]));
    process.send?.({ rss, heapUsed, heapTotal, external, spaces });
  });
}

// As a preload the module body runs by itself: listen at once.
if (process.send) reportMemoryOnRequest();
