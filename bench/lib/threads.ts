import { readdirSync, readFileSync } from 'node:fs';

/** CPU time of a process in µs, split between its main thread and all the others. */
export interface ThreadCpu {
  readonly mainUser: number;
  readonly mainSystem: number;
  /** Every other thread (V8's GC and compiler helpers, libuv's pool), user + system. */
  readonly other: number;
  /** Minor page faults of all threads. */
  readonly minorFaults: number;
}

const TICK = 10_000; // µs per clock tick in /proc (USER_HZ 100)

/**
 * CPU time of process `pid` by thread, from /proc (Linux; zeros elsewhere). During scenario 4's
 * ingest the threads other than the main one are mostly V8's concurrent marking: how much of a
 * server's CPU its full GCs take.
 * @example const before = threadCpu(child.pid!); … ; threadCpu(child.pid!).other - before.other
 */
export function threadCpu(pid: number): ThreadCpu {
  const out = { mainUser: 0, mainSystem: 0, other: 0, minorFaults: 0 };
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    let fields: string[];
    try {
      fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    } catch {
      continue; // the thread ended meanwhile
    }
    const user = Number(fields[11]) * TICK;
    const system = Number(fields[12]) * TICK;
    out.minorFaults += Number(fields[7]);
    if (Number(tid) === pid) {
      out.mainUser += user;
      out.mainSystem += system;
    } else out.other += user + system;
  }
  return out;
}
