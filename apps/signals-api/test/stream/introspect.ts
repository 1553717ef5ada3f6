/**
 * Test preload for the server under test (`NODE_OPTIONS=--expose-gc --import=<this file>`):
 * on SIGUSR2 it collects garbage and prints one line, `RESOURCES <n> <json>`, with the
 * process's active handles and requests (by type), its open file descriptors and its RSS. Resource tests read it to
 * prove sessions leave nothing behind.
 */
import { readdirSync, readlinkSync } from 'node:fs';

let sequence = 0;
process.on('SIGUSR2', () => {
  const collect = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) collect?.();
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  const fds = readdirSync('/proc/self/fd').map((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      return 'gone';
    }
  });
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  const line = JSON.stringify({ resources: counts, rss, fds, heapUsed, heapTotal, external, arrayBuffers });
  process.stdout.write(`RESOURCES ${++sequence} ${line}\n`);
});
