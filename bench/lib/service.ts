import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pinned } from './child.ts';

/**
 * The young-generation cap `npm start` runs the service with (package.json). Benches give their
 * bare baselines the same one, so a ratio compares code, not V8 settings.
 */
export const YOUNG_GENERATION_CAP = '--max-semi-space-size=16';

const root = join(import.meta.dirname, '..', '..');

/** The real signals-api, started as `npm start` starts it, plus a byte-counting preload. */
export interface Service {
  readonly url: string;
  readonly port: number;
  /** The development key printed on first start. */
  readonly key: { readonly key_id: string; readonly key_secret: string };
  /** `{socketRead, remotePort}` records from bench/servers/count-read.ts. */
  readonly messages: unknown[];
  /** The process, for signals and IPC. */
  readonly child: ChildProcess;
  /** Its scratch directory (database, temp files). */
  readonly dir: string;
  /** A bearer token for `scopes`, from the real POST /v0/auth. */
  token(scopes: readonly string[]): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts `apps/signals-api/src/cli/bin.ts serve` on 127.0.0.1 with a fresh SQLite file in a
 * scratch directory under `parent`, pinned to `cpu`; resolves once it printed its URL and key.
 * @example const service = await startService('bench/.tmp', 1);
 */
export function startService(
  parent: string,
  cpu?: number,
  extra: {
    readonly env?: Readonly<Record<string, string>>;
    readonly nodeArgs?: readonly string[];
    /** Load the byte-counting preload (default true); it keeps a listener per connection. */
    readonly countRead?: boolean;
  } = {},
): Promise<Service> {
  const dir = mkdtempSync(join(parent, 'service-'));
  const env = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? dir,
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: `sqlite:${join(dir, 'signals.db')}`,
    SIGNALS_JWT_SECRET: randomBytes(32).toString('hex'),
    SIGNALS_TMP_DIR: join(dir, 'tmp'),
    SIGNALS_DATA_DIR: join(dir, 'data'),
    LOG_LEVEL: 'warn',
    ...extra.env,
  };
  const preload = join(root, 'bench/servers/count-read.ts');
  const bin = join(root, 'apps/signals-api/src/cli/bin.ts');
  const [command, args] = pinned(cpu, process.execPath, [
    // npm start's flags (package.json): the young-generation cap is part of how the service runs.
    '--conditions=development',
    YOUNG_GENERATION_CAP,
    // After them: a flag given here again overrides npm start's.
    ...(extra.nodeArgs ?? []),
    // Honoured: the preload keeps a listener, a closure and the peer address per connection,
    // which a per-session memory figure must not count.
    ...(extra.countRead === false ? [] : ['--import', preload]),
    bin,
    'serve',
  ]);
  const child = spawn(command, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const messages: unknown[] = [];
  child.on('message', (m) => messages.push(m));
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const stop = () => stopChild(child, dir);
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      void stop();
      reject(new Error(`signals-api ${why}\nstdout: ${out}\nstderr: ${err}`));
    };
    const timer = setTimeout(() => fail('did not print its URL and key in 30 s'), 30_000);
    child.once('exit', (code) => fail(`exited with ${code}`));
    const check = () => {
      const url = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(out);
      const keyId = /key_id:\s+(\S+)/.exec(out);
      const secret = /key_secret:\s+(\S+)/.exec(out);
      if (!url || !keyId || !secret) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout!.off('data', check);
      const key = { key_id: keyId[1]!, key_secret: secret[1]! };
      resolve({
        url: url[1]!,
        port: Number(url[2]),
        key,
        messages,
        child,
        dir,
        async token(scopes) {
          const response = await fetch(`${url[1]}/v0/auth`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ ...key, scopes }),
          });
          const body = (await response.json()) as { access_token?: string };
          if (!body.access_token)
            throw new Error(`POST /v0/auth answered ${response.status} ${JSON.stringify(body)}`);
          return body.access_token;
        },
        stop,
      });
    };
    child.stdout!.on('data', check);
  });
}

function stopChild(child: ChildProcess, dir: string): Promise<void> {
  return new Promise((done) => {
    const finish = () => {
      rmSync(dir, { recursive: true, force: true });
      done();
    };
    if (child.exitCode !== null || child.signalCode !== null) return finish();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      finish();
    });
    child.kill('SIGTERM');
  });
}
