/**
 * Memory reporting for servers under scenario 4. As a preload (`node --expose-gc --import
 * bench/servers/memory.ts …`) or called by a server script: on the IPC message `'memory'`,
 * collects garbage and answers `{ rss, heapUsed, heapTotal, external, spaces, settledRss }` (bytes; `spaces`:
 * capacity per V8 heap space; `settledRss`: after a further memory-reducing GC); on
 * `{ snapshot: path }`, collects garbage, writes a V8 heap snapshot there and answers
 * `{ snapshot: path }` (for `bench/lib/heap-diff.ts`); on `{ profile: 'start' }` and then
 * `{ profile: path }`, samples what is allocated in between, garbage included (a
 * `.heapprofile`; `bench/lib/heap-diff.ts --allocations` sums it by function); on `'cpu-usage'`,
 * answers `{ cpuUsage }`, the process's user + system CPU time so far in µs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';

let profiler: Session | undefined;

/** `{ profile: 'start' }` starts V8's sampling heap profiler (objects collected since included); `{ profile: path }` writes it. */
async function profile(command: string): Promise<void> {
  if (command === 'start') {
    profiler = new Session();
    profiler.connect();
    await profiler.post('HeapProfiler.startSampling', {
      samplingInterval: 1024,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  } else if (profiler) {
    const { profile } = await profiler.post('HeapProfiler.stopSampling');
    writeFileSync(command, JSON.stringify(profile));
    profiler.disconnect();
    profiler = undefined;
  }
  process.send?.({ profile: command });
}

let listening = false;

export function reportMemoryOnRequest(): void {
  // Once per process: a server script calls it and, imported, this module already did.
  if (listening) return;
  listening = true;
  process.on('message', (message: unknown) => {
    const collect = (globalThis as { gc?: () => void }).gc;
    const snapshot = (message as { snapshot?: unknown } | null)?.snapshot;
    const command = (message as { profile?: unknown } | null)?.profile;
    if (typeof command === 'string') {
      void profile(command);
      return;
    }
    if (typeof snapshot === 'string') {
      for (let i = 0; i < 3; i++) collect?.();
      writeHeapSnapshot(snapshot);
      process.send?.({ snapshot });
      return;
    }
    if (message === 'cpu-usage') {
      // User + system CPU of the whole process (GC threads included), in µs.
      const { user, system } = process.cpuUsage();
      process.send?.({ cpuUsage: user + system });
      return;
    }
    if (message !== 'memory') return;
    for (let i = 0; i < 3; i++) collect?.();
    const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
    const regions = rssByRegion();
    // Capacity per heap space: where a growth of `heapTotal` beyond live objects sits.
    const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, s.space_size]));
    // Then what an idle process settles to: V8's memory reducer (which runs once allocation
    // stops) shrinks the young generation, grown by the bursts of allocation that opened the
    // connections; this GC does the same at once. Both figures are reported.
    (collect as ((options: object) => void) | undefined)?.({
      type: 'major',
      execution: 'sync',
      flavor: 'last-resort',
    });
    process.send?.({
      rss,
      heapUsed,
      heapTotal,
      external,
      spaces,
      regions,
      settledRss: process.memoryUsage().rss,
      settledRegions: rssByRegion(),
    });
  });
}

/**
 * Resident bytes by kind of mapping (Linux, /proc/self/smaps): `brk` is glibc malloc's main
 * heap (native allocations of the main thread: sockets, parsers, OpenSSL, SQLite), `anon` every
 * other anonymous mapping (V8's heap pages, big malloc chunks, other threads' arenas), `file`
 * mapped files. Says whether a growth of RSS is native memory or V8's.
 */
function rssByRegion(): Record<string, number> {
  const out = { brk: 0, anon: 0, file: 0 };
  let kind: keyof typeof out = 'anon';
  try {
    for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
      const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ (\d+)\s*(.*)$/.exec(line);
      if (header) {
        const name = header[2] ?? '';
        kind = name === '[heap]' ? 'brk' : header[1] !== '0' || name.startsWith('/') ? 'file' : 'anon';
      } else if (line.startsWith('Rss:')) out[kind] += Number(line.split(/\s+/)[1]) * 1024;
    }
  } catch {
    // Not Linux: no split.
  }
  return out;
}

// As a preload the module body runs by itself: listen at once.
if (process.send) reportMemoryOnRequest();
