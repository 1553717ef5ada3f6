/**
 * Memory reporting for servers under scenario 4. As a preload (`node --expose-gc --import
 * bench/servers/memory.ts …`) or called by a server script: on the IPC message `'memory'`,
 * collects garbage and answers `{ rss, heapUsed, heapTotal, external }` (bytes).
 */
export function reportMemoryOnRequest(): void {
  process.on('message', (message: unknown) => {
    if (message !== 'memory') return;
    const collect = (globalThis as { gc?: () => void }).gc;
    for (let i = 0; i < 3; i++) collect?.();
    const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
    process.send?.({ rss, heapUsed, heapTotal, external });
  });
}

// As a preload the module body runs by itself: listen at once.
if (process.send) reportMemoryOnRequest();
