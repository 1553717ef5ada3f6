import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/** Whether a command is on PATH (wrk, taskset). */
export function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

const TASKSET = hasCommand('taskset');

/**
 * argv that runs `command` pinned to one CPU when taskset exists (and the machine has that CPU),
 * so the server and the load generator never compete for a core.
 * @example spawn(...pinned(1, process.execPath, ['server.ts']))
 */
export function pinned(
  cpu: number | undefined,
  command: string,
  args: readonly string[],
): [string, string[]] {
  if (cpu === undefined || !TASKSET) return [command, [...args]];
  return ['taskset', ['-c', String(cpu), command, ...args]];
}

/**
 * Pins this process (all its threads) to one CPU, for scenarios whose client is the scenario
 * itself. Returns whether it worked.
 * @example pinSelf(0);
 */
export function pinSelf(cpu: number | undefined): boolean {
  if (cpu === undefined || !TASKSET) return false;
  return (
    spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(process.pid)], { stdio: 'ignore' }).status ===
    0
  );
}

/** Whether processes are pinned (taskset present). */
export const pinning = TASKSET;

/** CPU time a process used so far, µs: in user space and in the kernel on its behalf. */
export interface CpuTimes {
  readonly user: number;
  readonly system: number;
}

/** A server child process that announced its port over IPC. */
export interface ServerChild {
  readonly port: number;
  readonly process: ChildProcess;
  /** Messages the server sent after `listening` (e.g. byte counts). */
  readonly messages: unknown[];
  /**
   * Starts V8's sampling profiler (the one behind --cpu-prof) in the server; `stop` writes the
   * .cpuprofile. Unlike --cpu-prof, the profile covers only the window between the two calls.
   */
  profile(action: 'start' | 'stop', file?: string): Promise<void>;
  /**
   * CPU time (user + system, µs) the server process has used so far. Differences of it give the
   * server's cost per request, which other load on a shared machine hardly disturbs.
   */
  cpuMicros(): Promise<number>;
  /** The same, split: user and system (kernel) time, µs. */
  cpuTimes(): Promise<CpuTimes>;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
// A scenario stopped by the runner takes its servers with it.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const child of live) child.kill('SIGKILL');
    process.exit(130);
  });
}
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * Starts `script` (a .ts file) in its own Node process, pinned to `cpu`; resolves once it sends
 * `{ listening: port }` over IPC. The script must listen on 127.0.0.1 only. `nodeFlags` go before the
 * script (e.g. `--cpu-prof`).
 * @example const server = await startServer('bench/servers/errors.ts', ['bare'], 1);
 */
export function startServer(
  script: string,
  args: readonly string[],
  cpu?: number,
  nodeFlags: readonly string[] = [],
): Promise<ServerChild> {
  const [command, argv] = pinned(cpu, process.execPath, [...nodeFlags, script, ...args]);
  const child = spawn(command, argv, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  live.add(child);
  const messages: unknown[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${script} ${args.join(' ')} did not start in 20 s`)),
      20_000,
    );
    child.once('exit', (code) => {
      live.delete(child);
      clearTimeout(timer);
      reject(new Error(`${script} ${args.join(' ')} exited with ${code} before listening`));
    });
    const cpuWaiters: ((times: CpuTimes) => void)[] = [];
    const profileWaiters: (() => void)[] = [];
    child.on('message', (message: { listening?: number; cpu?: CpuTimes; profiled?: boolean }) => {
      if (typeof message?.cpu === 'object') {
        cpuWaiters.shift()?.(message.cpu);
        return;
      }
      if (message?.profiled === true) {
        profileWaiters.shift()?.();
        return;
      }
      if (typeof message?.listening !== 'number') {
        messages.push(message);
        return;
      }
      clearTimeout(timer);
      resolve({
        port: message.listening,
        process: child,
        messages,
        profile: (action, file) =>
          new Promise((done) => {
            profileWaiters.push(done);
            child.send({ profile: action, file });
          }),
        cpuMicros: () =>
          new Promise((done) => {
            cpuWaiters.push((t) => done(t.user + t.system));
            child.send('cpu');
          }),
        cpuTimes: () =>
          new Promise((done) => {
            cpuWaiters.push(done);
            child.send('cpu');
          }),
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/**
 * In a server script: tell the parent which port it listens on.
 * @example announce((app.server.address() as AddressInfo).port)
 */
export function announce(port: number): void {
  process.send?.({ listening: port });
  process.on('message', (message: unknown) => {
    if (message === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send?.({ cpu: { user, system } });
    } else if (typeof message === 'object' && message !== null && 'profile' in message) {
      void profileControl(message as ProfileMessage).then((done) => process.send?.(done));
    }
  });
  process.on('disconnect', () => process.exit(0)); // parent gone: never linger
  // A clean exit on SIGTERM lets --cpu-prof write its profile.
  process.on('SIGTERM', () => process.exit(0));
}

interface ProfileMessage {
  readonly profile: 'start' | 'stop';
  readonly file?: string;
}

let session: Session | undefined;

/** Server side of `ServerChild.profile`: the inspector's Profiler domain, sampled every 50 µs. */
async function profileControl(message: ProfileMessage): Promise<{ profiled: true }> {
  if (message.profile === 'start') {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 50 });
    await session.post('Profiler.start');
  } else if (session) {
    const { profile } = await session.post('Profiler.stop');
    if (message.file) writeFileSync(message.file, JSON.stringify(profile));
    session.disconnect();
    session = undefined;
  }
  return { profiled: true };
}
