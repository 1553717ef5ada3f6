import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';

/** The machine a run happened on, as RESULTS.md reports it. */
export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
}

/**
 * CPU model, core count, memory and Node version of this process.
 * @example `${machine().cpu}, ${machine().cores} cores`
 */
export function machine(): Machine {
  return {
    cpu: cpuModel(),
    cores: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

function cpuModel(): string {
  // /proc/cpuinfo is more complete than os.cpus() on some VMs (which may append a bogus stepping).
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1]!.trim();
  } catch {}
  return cpus()[0]?.model.trim() ?? 'unknown';
}
