import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startListening } from '../../../../test-support/listening.ts';
import { checkContract, unrecordedFetch, watchOrigin } from './contract.ts';

export { recordResponse } from './contract.ts';
export { expectCatalogError, type TransitionMode } from './expect-error.ts';

/**
 * Repository root, from this file's place in apps/signals-api/test/support.
 * @example join(REPO_ROOT, 'apps/signals-api/test/fixtures')
 */
export const REPO_ROOT = resolve(import.meta.dirname, '../../../..');
/**
 * The Node 24 the project pins (the system `node` may be older).
 * @example spawn(NODE, [BIN, 'keys', 'list'])
 */
export const NODE = join(REPO_ROOT, 'node_modules/.bin/node');
/**
 * The CLI entry, run exactly as `npm start` runs it.
 * @example spawn(NODE, [...NODE_FLAGS, BIN, 'serve'], { env })
 */
export const BIN = join(REPO_ROOT, 'apps/signals-api/src/cli/bin.ts');
/**
 * Node flags of every child: faultline from its TypeScript sources (the `development` export
 * condition, as npm scripts set it), and, in a coverage run, the recorder of the errors it sends.
 * @example spawn(NODE, [...NODE_FLAGS, BIN, 'serve'])
 */
export const NODE_FLAGS: readonly string[] = [
  '--conditions=development',
  ...(process.env['FAULTLINE_COVERAGE']
    ? ['--import', join(REPO_ROOT, 'packages/faultline/src/testing/register.ts')]
    : []),
];
/**
 * Signing secret of test servers, so tests can forge tokens (expired, other alg) on purpose.
 * @example await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(TEST_JWT_SECRET));
 */
export const TEST_JWT_SECRET = 'test-secret-for-signals-api-black-box-tests-0123456789';
/**
 * A sunset in the future (legacy fields present) and one in the past (structured only).
 * @example await startServer({ SIGNALS_LEGACY_UNTIL: LEGACY_UNTIL.legacy });
 */
export const LEGACY_UNTIL = { legacy: '2999-01-01T00:00:00Z', structured: '2000-01-01T00:00:00Z' } as const;

/**
 * A key as `keys create` prints it.
 * @example const key: CreatedKey = await server.createKey(['interhumanai.upload']);
 */
export interface CreatedKey {
  readonly key_id: string;
  readonly key_secret: string;
  readonly scopes: string[];
  readonly plan: string;
}

/**
 * Outcome of one CLI run.
 * @example const { code, stdout, stderr }: CliResult = await server.cli(['keys', 'list']);
 */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A running `signals-api serve`.
 * @example const server: TestServer = await startServer(); await fetch(`${server.url}/healthz`); await server.stop();
 */
export interface TestServer {
  /** Origin, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  readonly url: string;
  /** The `DATABASE_URL` it uses, for CLI runs against the same database. */
  readonly databaseUrl: string;
  /** The environment it was started with. */
  readonly env: Readonly<Record<string, string>>;
  /** Everything it printed on stdout so far. */
  stdout(): string;
  /**
   * Sends SIGTERM (or `signal`), waits for exit, removes its temp dir; resolves to the exit
   * code. Rejects when an answer the tests received breaks the server's own OpenAPI (see
   * contract.ts): every black-box suite checks the contract this way.
   */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Sends `signal` and returns at once (drain tests watch what follows). */
  kill(signal: NodeJS.Signals): void;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
  /** Runs the real `keys create` CLI against the server's database. */
  createKey(scopes: readonly string[], plan?: string): Promise<CreatedKey>;
  /** Runs any CLI command with the server's environment. */
  cli(args: readonly string[]): Promise<CliResult>;
}

/**
 * Starts the service as a user does (`node apps/signals-api/src/cli/bin.ts serve`) on PORT=0
 * with a fresh SQLite file, and resolves once it prints its URL. `env` overrides the defaults
 * (e.g. `SIGNALS_LEGACY_UNTIL`, `SIGNALS_MAINTENANCE`, `DATABASE_URL`).
 * @example
 * const server = await startServer({ SIGNALS_LEGACY_UNTIL: LEGACY_UNTIL.structured });
 * const key = await server.createKey(['interhumanai.upload']);
 * const res = await fetch(`${server.url}/v0/auth`, { method: 'POST', … });
 * await server.stop();
 */
export async function startServer(env: Readonly<Record<string, string>> = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'signals-test-'));
  const fullEnv = serverEnv(dir, env);
  const server = await startListening('signals-api serve', NODE, [...NODE_FLAGS, BIN, 'serve'], {
    dir,
    env: fullEnv,
  });
  const { url, child, exited } = server;

  // The contract every answer is checked against: this server's own document, fetched now,
  // while the server surely runs (a test may kill it before stop()).
  watchOrigin(url);
  const contract = unrecordedFetch(`${url}/openapi.json`)
    .then((res) => (res.ok ? (res.json() as Promise<Record<string, unknown>>) : undefined))
    .catch(() => undefined);

  const cli = (args: readonly string[]) => runCli(args, fullEnv, dir);
  return {
    url,
    databaseUrl: fullEnv['DATABASE_URL']!,
    env: fullEnv,
    stdout: server.stdout,
    kill(signal) {
      child.kill(signal);
    },
    exited,
    async stop(signal = 'SIGTERM') {
      const problems = await checkContract(url, await contract);
      const code = await server.stop(signal);
      if (problems.length > 0)
        throw new Error(
          `answers that break ${url}/openapi.json:\n${problems.map((p) => `- ${p}`).join('\n')}`,
        );
      return code;
    },
    async createKey(scopes, plan) {
      const args = ['keys', 'create', '--scopes', scopes.join(',')];
      if (plan !== undefined) args.push('--plan', plan);
      const result = await cli(args);
      if (result.code !== 0) throw new Error(`keys create failed (${result.code}): ${result.stderr}`);
      return JSON.parse(result.stdout) as CreatedKey;
    },
    cli,
  };
}

/**
 * Runs the CLI (`bin.ts <args>`) to completion with exactly `env` (plus PATH/HOME).
 * @example const { code, stdout } = await runCli(['keys', 'list'], { DATABASE_URL: 'sqlite:/tmp/x.db' });
 */
export function runCli(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  cwd: string = tmpdir(),
): Promise<CliResult> {
  const child = spawn(NODE, [...NODE_FLAGS, BIN, ...args], {
    cwd,
    env: { ...baseEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}

/** The environment of a test server: a clean one, so the runner's own variables never leak in. */
function serverEnv(dir: string, env: Readonly<Record<string, string>>): Record<string, string> {
  return {
    ...baseEnv(),
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: `sqlite:${join(dir, 'signals.db')}`,
    SIGNALS_JWT_SECRET: TEST_JWT_SECRET,
    SIGNALS_TMP_DIR: join(dir, 'tmp'),
    SIGNALS_DATA_DIR: join(dir, 'data'),
    LOG_LEVEL: process.env['SIGNALS_TEST_LOG_LEVEL'] ?? 'warn',
    ...env,
  };
}

function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? tmpdir(),
  };
  // The catalog coverage run collects the ids servers produce; pass its file through.
  const coverage = process.env['FAULTLINE_COVERAGE'];
  if (coverage) env['FAULTLINE_COVERAGE'] = coverage;
  return env;
}
