import { execFile } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startListening } from '../../test-support/listening.ts';

// Shared by the example tests (not a workspace: no package.json). Starts an example exactly as
// its README says (`node examples/<name>/src/main.ts`), on PORT=0 with a fresh data directory.

/**
 * The repository root.
 * @example join(REPO_ROOT, 'examples/agents-api')
 */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');
/**
 * The Node 24 the project pins (the system `node` may be older).
 * @example spawn(NODE, ['examples/reels-api/src/main.ts'])
 */
export const NODE = join(REPO_ROOT, 'node_modules/.bin/node');

/**
 * A running example server.
 * @example const server = await startExample('agents-api', { API_KEY: 'k1' }); await server.stop();
 */
export interface ExampleServer {
  /** Origin, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Its data directory (removed on stop). */
  readonly dir: string;
  stdout(): string;
  stop(): Promise<number | null>;
}

/**
 * Spawns `node examples/<name>/src/main.ts` with a clean environment plus `env`, and resolves
 * once it prints `listening on <url>`.
 * @example const server = await startExample('reels-api', { JOB_SECONDS: '1' });
 */
export async function startExample(
  name: string,
  env: Readonly<Record<string, string>> = {},
): Promise<ExampleServer> {
  const dir = mkdtempSync(join(tmpdir(), `${name}-test-`));
  const fullEnv: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? tmpdir(),
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_PATH: join(dir, 'data.db'),
    LOG_LEVEL: 'fatal',
    ...env,
  };
  // The catalog coverage run collects the ids servers produce; pass its file through.
  const coverage = process.env['FAULTLINE_COVERAGE'];
  if (coverage) fullEnv['FAULTLINE_COVERAGE'] = coverage;
  // faultline from its sources (as npm scripts run it) and, in a coverage run, the error recorder.
  const flags = ['--conditions=development'];
  if (coverage) flags.push('--import', join(REPO_ROOT, 'packages/faultline/src/testing/register.ts'));
  const server = await startListening(
    name,
    NODE,
    [...flags, join(REPO_ROOT, 'examples', name, 'src/main.ts')],
    {
      dir,
      env: fullEnv,
    },
  );
  return { url: server.url, dir, stdout: server.stdout, stop: () => server.stop() };
}

/**
 * Starts an example before the file's tests and stops it after them (`startExample` with
 * Vitest's `beforeAll`/`afterAll`). Its `url` is read once the server is up.
 * @example const server = useExample('clips-api', { API_KEY: 'k1' }); await call(server.url, '/openapi.json');
 */
export function useExample(
  name: string,
  env: Readonly<Record<string, string>> = {},
): { readonly url: string } {
  let server: ExampleServer | undefined;
  beforeAll(async () => {
    server = await startExample(name, env);
  });
  afterAll(async () => {
    await server?.stop();
  });
  return {
    get url(): string {
      if (!server) throw new Error(`${name} is not running (read url inside a test)`);
      return server.url;
    },
  };
}

/**
 * One HTTP exchange, read completely: status, headers and the parsed JSON body.
 * @example const { status, body } = await call(server.url, '/v1/account', { headers: { 'api-secret': key } });
 */
export async function call(
  base: string,
  path: string,
  init: RequestInit & { json?: unknown } = {},
): Promise<{ status: number; headers: Headers; body: unknown; text: string }> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (json !== undefined) headers.set('content-type', 'application/json');
  const response = await fetch(base + path, {
    ...rest,
    headers,
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body, text };
}

/**
 * Polls `check` until it returns a value other than undefined (event-free waits for jobs that
 * finish on the server's clock); fails after `timeoutMs`.
 * @example const done = await until(async () => ((await get()).status === 'ready' ? true : undefined));
 */
export async function until<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  everyMs = 150,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * A warning an example accepts, by rule and location (JSON pointer), each with its reason in a
 * comment beside the list.
 * @example const JUSTIFIED: Justified[] = [['no-unused-components', /^#\/components\/responses\/Error404$/]];
 */
export type Justified = readonly [rule: string, pointer: RegExp];

/**
 * Runs Redocly CLI's `lint` on a document (written to a temp file) under the repository's
 * redocly.yaml and returns its errors and the warnings `justified` does not cover.
 * @example expect(await redoclyLint(doc, JUSTIFIED)).toEqual({ errors: [], warnings: [] });
 */
export async function redoclyLint(
  document: unknown,
  justified: readonly Justified[] = [],
): Promise<{ errors: string[]; warnings: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'redocly-'));
  const file = join(dir, 'openapi.json');
  writeFileSync(file, JSON.stringify(document, null, 2));
  const cli = realpathSync(join(REPO_ROOT, 'node_modules/.bin/redocly'));
  const config = join(REPO_ROOT, 'redocly.yaml');
  const stdout = await new Promise<string>((done) => {
    execFile(
      NODE,
      [cli, 'lint', file, '--config', config, '--format=json'],
      {
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        maxBuffer: 16 * 1024 * 1024,
      },
      (_error, out) => done(out),
    );
  });
  rmSync(dir, { recursive: true, force: true });
  const report = JSON.parse(stdout) as {
    problems: { ruleId: string; severity: string; message: string; location?: { pointer?: string }[] }[];
  };
  const line = (p: (typeof report.problems)[number]) =>
    `${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer ?? '?'}`;
  return {
    errors: report.problems.filter((p) => p.severity === 'error').map(line),
    warnings: report.problems
      .filter(
        (p) =>
          p.severity !== 'error' &&
          !justified.some(
            ([rule, pointer]) => p.ruleId === rule && pointer.test(p.location?.[0]?.pointer ?? ''),
          ),
      )
      .map(line),
  };
}
