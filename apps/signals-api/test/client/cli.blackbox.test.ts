import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signals } from '../../src/catalog.ts';
import { fixturePath } from '../fixtures/index.ts';
import { type CreatedKey, NODE, REPO_ROOT, startServer, type TestServer } from '../support/server.ts';

/** The `signals` bin, run as npm links it. */
const SIGNALS_BIN = join(REPO_ROOT, 'apps/signals-api/src/client/cli/bin.ts');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(args: readonly string[], env: Record<string, string>, stdin?: string): Promise<Run> {
  const child = spawn(NODE, [SIGNALS_BIN, ...args], {
    env: { PATH: process.env['PATH'] ?? '', HOME: home, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  child.stdin.end(stdin ?? '');
  return new Promise((done) => child.once('close', (code) => done({ code, stdout, stderr })));
}

/** Runs the CLI under a pseudo-terminal (util-linux `script`): stdout and stderr are the pty. */
function runInPty(args: readonly string[], env: Record<string, string>): Promise<Run> {
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const command = [NODE, SIGNALS_BIN, ...args].map(quote).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    env: { PATH: process.env['PATH'] ?? '', HOME: home, TERM: 'xterm', COLUMNS: '100', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
  });
  child.stderr.resume();
  return new Promise((done) => child.once('close', (code) => done({ code, stdout, stderr: '' })));
}

let server: TestServer;
let key: CreatedKey;
let home: string;
let env: Record<string, string>;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'signals-cli-'));
  server = await startServer();
  key = await server.createKey(['interhumanai.upload', 'interhumanai.stream']);
  env = { SIGNALS_URL: server.url, SIGNALS_CONFIG: join(home, 'cfg', 'config.json') };
});
afterAll(async () => {
  await server?.stop();
  rmSync(home, { recursive: true, force: true });
});

describe('signals CLI against a running signals-api', () => {
  it('login: checks the key, then saves it with mode 0600; a wrong secret saves nothing and exits 1', async () => {
    const bad = await run(['login', '--key-id', key.key_id, '--key-secret', 'sk_wrong'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('error ih2006');
    expect(() => statSync(env['SIGNALS_CONFIG']!)).toThrow();
    // The JSON `signals-api keys create` prints, piped in.
    const good = await run(['login'], env, JSON.stringify(key));
    expect(good.code).toBe(0);
    expect(statSync(env['SIGNALS_CONFIG']!).mode & 0o777).toBe(0o600);
  });

  it('upload under a pseudo-terminal: a progress bar (bytes, rate, ETA), then a readable summary', async () => {
    const result = await runInPty(['upload', fixturePath('good.mp4')], env);
    expect(result.code).toBe(0);
    const screen = result.stdout;
    // The bar is redrawn in place (carriage return + erase line) and ends full.
    expect(screen).toContain('\r\x1b[2K');
    expect(screen).toMatch(/good\.mp4 \[-+\]\s+0% 0 B\/64\.\d KiB/);
    expect(screen).toMatch(/\[#+\] 100% 64\.\d KiB\/64\.\d KiB [\d.]+ (B|KiB|MiB)\/s ETA 0s/);
    expect(screen).toContain('analyzing');
    expect(screen).toMatch(/good\.mp4 \(64\.\d KiB\): 8\.0 s, mp4 h264\/aac 320×240/);
    expect(screen).toMatch(/correlation id: [0-9a-f-]{36}/);
  });

  it('upload without a terminal: stdout is the analysis JSON alone, stderr plain lines without escapes', async () => {
    const result = await run(
      ['upload', fixturePath('good.mp4'), '--include', 'conversation_quality_overall'],
      env,
    );
    expect(result.code).toBe(0);
    const analysis = JSON.parse(result.stdout) as { correlation_id: string; video: { container: string } };
    expect(analysis.video.container).toBe('mp4');
    expect(analysis).toHaveProperty('conversation_quality');
    expect(result.stderr).not.toContain('\r');
    expect(result.stderr).not.toContain('\x1b');
    expect(result.stderr.split('\n')[0]).toMatch(/^uploading good\.mp4 \(64\.\d KiB\)$/);
    expect(result.stderr).toMatch(/uploaded 64\.\d KiB in \d+s; analyzing/);
  });

  it('an API error prints the decoded error, its explain text and the correlation id, and exits 1', async () => {
    const result = await run(['upload', fixturePath('not-a-video.mp4')], env);
    expect(result.code).toBe(1);
    const entry = signals.get('ih4002')!;
    expect(result.stderr).toContain(`error ih4002: ${entry.title} (HTTP 400)`);
    expect(result.stderr).toContain(entry.fix[0]!);
    expect(result.stderr).toContain(`Docs: ${server.url}/docs/errors#${entry.slug}`);
    expect(result.stderr).toMatch(/Correlation id: [0-9a-f-]{36}/);
    expect(result.stdout).toBe('');
  });

  it('credentials from the environment override the saved ones', async () => {
    const result = await run(['upload', fixturePath('good.mp4')], {
      ...env,
      SIGNALS_KEY_ID: key.key_id,
      SIGNALS_KEY_SECRET: 'sk_not_the_secret',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error ih2006');
  });

  it('usage errors exit 2 before any request', async () => {
    for (const args of [
      [],
      ['upload'],
      ['upload', 'missing.mp4'],
      ['upload', fixturePath('good.mp4'), '--include', 'mood'],
      ['frobnicate'],
    ]) {
      const result = await run(args, env);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^signals: /);
    }
    const unreachable = await run(['upload', fixturePath('good.mp4'), '--url', 'http://127.0.0.1:1'], env);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('cannot reach http://127.0.0.1:1');
  });

  it('the startup banner shows one command that uploads a video, and it works as printed', async () => {
    const fresh = await startServer();
    try {
      const line =
        /^\s+(SIGNALS_URL=\S+ SIGNALS_KEY_ID=\S+ SIGNALS_KEY_SECRET=\S+) npx signals upload path\/to\/video\.mp4$/m.exec(
          fresh.stdout(),
        );
      expect(line).not.toBeNull();
      const vars = Object.fromEntries(
        line![1]!.split(' ').map((pair) => pair.split('=') as [string, string]),
      );
      const result = await run(['upload', fixturePath('good.mp4')], {
        ...vars,
        SIGNALS_CONFIG: join(home, 'none.json'),
      });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toHaveProperty('video');
    } finally {
      await fresh.stop();
    }
  });
});
