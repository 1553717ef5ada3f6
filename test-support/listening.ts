import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

/** A server process the tests started, up and listening. */
export interface Listening {
  readonly child: ChildProcess;
  /** The `http://…` it printed. */
  readonly url: string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code once the process exits. */
  readonly exited: Promise<number | null>;
  /** Sends `signal` (SIGKILL after 10 s), waits for the exit, removes `dir`; the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Spawns a server in `dir` (its scratch directory, removed when it stops or fails to start),
 * keeps reading both pipes (a full pipe would block its writes), and resolves once it prints
 * `listening on <url>`; rejects with its output if it exits first or says nothing for 20 s.
 * @example const server = await startListening('signals-api serve', process.execPath, [bin, 'serve'], { dir, env });
 */
export async function startListening(
  what: string,
  command: string,
  args: readonly string[],
  options: { readonly dir: string; readonly env: Readonly<Record<string, string>> },
): Promise<Listening> {
  const { dir, env } = options;
  const child = spawn(command, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const stdout = () => out;
  const stderr = () => err;
  let url: string;
  try {
    url = await waitForUrl(what, child, stdout, stderr);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    child,
    url,
    stdout,
    stderr,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}

function waitForUrl(
  what: string,
  child: ChildProcess,
  stdout: () => string,
  stderr: () => string,
): Promise<string> {
  return new Promise((done, fail) => {
    const check = () => {
      const match = /listening on (http:\/\/\S+)/.exec(stdout());
      if (match) {
        cleanup();
        done(match[1]!);
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      fail(new Error(`${what} exited (${code}) before listening:\n${stderr()}${stdout()}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      fail(new Error(`${what} did not print its URL within 20 s:\n${stderr()}${stdout()}`));
    }, 20_000);
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', check);
    child.once('exit', onExit);
    check();
  });
}
