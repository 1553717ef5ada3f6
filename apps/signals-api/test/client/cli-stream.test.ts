import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signals } from '../../src/catalog.ts';
import { fixturePath } from '../fixtures/index.ts';
import { unlimitedPlan } from '../support/plans.ts';
import {
  type CreatedKey,
  LEGACY_UNTIL,
  NODE,
  REPO_ROOT,
  startServer,
  type TestServer,
} from '../support/server.ts';

/**
 * `signals stream` end to end against a running signals-api (the bin as npm links it): live
 * events on stdout, the decoded refusal with its explanation on stderr, exit codes 0/1/2.
 */
const SIGNALS_BIN = join(REPO_ROOT, 'apps/signals-api/src/client/cli/bin.ts');
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

let server: TestServer;
let key: CreatedKey;
beforeAll(async () => {
  server = await startServer({ SIGNALS_LEGACY_UNTIL: LEGACY_UNTIL.structured });
  key = await server.createKey(['interhumanai.stream'], await unlimitedPlan(server));
});
afterAll(async () => {
  await server?.stop();
});

function run(args: readonly string[], credentials: { key_id: string; key_secret: string } = key) {
  const child = spawn(NODE, [SIGNALS_BIN, ...args], {
    env: {
      PATH: process.env['PATH'] ?? '',
      SIGNALS_URL: server.url,
      SIGNALS_KEY_ID: credentials.key_id,
      SIGNALS_KEY_SECRET: credentials.key_secret,
      SIGNALS_CONFIG: '/nonexistent/config.json',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) =>
    child.once('close', (code) => done({ code, stdout, stderr })),
  );
}

describe('signals stream', () => {
  it('prints every event as one JSON line when stdout is not a terminal, and exits 0', async () => {
    const result = await run([
      'stream',
      fixturePath('good.mp4'),
      '--include',
      'conversation_quality_overall',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    // Clean lines for scripts: JSON only, no escape sequences.
    expect(result.stdout.includes('\x1b')).toBe(false);
    const events = lines.map((line) => JSON.parse(line) as { type: string; data: Record<string, unknown> });
    expect(events[0]!.type).toBe('session.ready');
    expect(events.find((e) => e.type === 'session.updated')!.data).toEqual({
      include: ['conversation_quality_overall'],
    });
    expect(events.at(-1)).toMatchObject({ type: 'segment.completed', data: { segment: 1 } });
    expect(result.stderr).toContain('1 segment(s) analysed, 0 refused, 0 reconnect(s)');
  });

  it('a refused session (inactive subscription): the decoded error, its explanation and correlation id, exit 1', async () => {
    const inactive = await server.createKey(['interhumanai.stream']);
    expect((await server.cli(['accounts', 'set-subscription', inactive.key_id, 'inactive'])).code).toBe(0);
    const result = await run(['stream', fixturePath('good.mp4')], inactive);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const entry = signals.get('ih3005')!;
    expect(result.stderr).toContain(`error ih3005: ${entry.title} (HTTP 402)`);
    expect(result.stderr).toContain('How to fix:');
    expect(result.stderr).toContain(entry.fix[0]!);
    expect(result.stderr).toMatch(new RegExp(`Correlation id: ${UUID.source}`));
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a wrong key secret: ih2006 explained, exit 1, nothing streamed', async () => {
    const result = await run(['stream', fixturePath('good.mp4')], {
      key_id: key.key_id,
      key_secret: 'sk_wrong',
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('error ih2006');
    expect(result.stderr).toContain('How to fix:');
    expect(result.stderr).toMatch(new RegExp(`Correlation id: ${UUID.source}`));
  });

  it('usage errors exit 2', async () => {
    expect((await run(['stream'])).code).toBe(2);
    expect((await run(['stream', 'missing.mp4'])).code).toBe(2);
  });
});
