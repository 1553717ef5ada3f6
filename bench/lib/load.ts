import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { hasCommand, pinned } from './child.ts';

/** Which load generator runs: wrk when installed, else autocannon (`BENCH_LOAD=autocannon` forces it). */
export const loadTool: 'wrk' | 'autocannon' =
  process.env['BENCH_LOAD'] !== 'autocannon' && hasCommand('wrk') ? 'wrk' : 'autocannon';

/** What one load run measured. */
export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly requests: number;
  /** Responses that were not the expected status class (wrk: non-2xx/3xx; see `expectErrors`). */
  readonly non2xx: number;
  /** Socket errors and timeouts. */
  readonly errors: number;
}

/** Options of one load run. */
export interface LoadOptions {
  readonly url: string;
  readonly seconds: number;
  readonly connections: number;
  /** CPU to pin the load generator to. */
  readonly cpu?: number | undefined;
}

/**
 * Drives `url` (always 127.0.0.1) with 1 thread and N keep-alive connections for `seconds`.
 * @example const { requestsPerSecond } = await load({ url: 'http://127.0.0.1:3000/x', seconds: 5, connections: 50, cpu: 0 });
 */
export async function load(options: LoadOptions): Promise<LoadResult> {
  if (!new URL(options.url).hostname.startsWith('127.0.0.1')) throw new Error('load only targets 127.0.0.1');
  return loadTool === 'wrk' ? wrk(options) : autocannon(options);
}

async function wrk(o: LoadOptions): Promise<LoadResult> {
  const text = await run(...pinned(o.cpu, 'wrk', ['-t1', `-c${o.connections}`, `-d${o.seconds}s`, o.url]));
  const num = (re: RegExp) => Number(re.exec(text)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  return {
    requestsPerSecond: num(/Requests\/sec:\s+([\d.]+)/),
    requests: num(/(\d+) requests in/),
    non2xx: num(/Non-2xx or 3xx responses: (\d+)/),
    errors: socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
  };
}

async function autocannon(o: LoadOptions): Promise<LoadResult> {
  const bin = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  const args = [bin, '-c', String(o.connections), '-d', String(o.seconds), '-j', o.url];
  const report = JSON.parse(await run(...pinned(o.cpu, process.execPath, args))) as {
    requests: { average: number; total: number };
    non2xx: number;
    errors: number;
    timeouts: number;
  };
  return {
    requestsPerSecond: report.requests.average,
    requests: report.requests.total,
    non2xx: report.non2xx,
    errors: report.errors + report.timeouts,
  };
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} failed: ${err || out}`)),
    );
  });
}
