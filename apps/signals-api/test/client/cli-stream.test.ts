import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/index.ts';
import { NODE, REPO_ROOT } from '../support/server.ts';
import { type FakeStreamServer, fakeStreamServer } from './fake-stream-server.ts';

/**
 * `signals stream` end to end against the protocol-faithful server (the real route is being
 * built elsewhere): a token from POST /v0/auth, one segment per file, events on stdout.
 */
const SIGNALS_BIN = join(REPO_ROOT, 'apps/signals-api/src/client/cli/bin.ts');

let srv: FakeStreamServer;
beforeAll(async () => {
  srv = await fakeStreamServer();
});
afterAll(() => srv.close());

function run(args: readonly string[]) {
  const child = spawn(NODE, [SIGNALS_BIN, ...args], {
    env: {
      PATH: process.env['PATH'] ?? '',
      SIGNALS_URL: srv.url,
      SIGNALS_KEY_ID: 'key_x',
      SIGNALS_KEY_SECRET: 'sk_x',
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
  it('prints every event as one JSON line when stdout is not a terminal, and survives a server going away', async () => {
    srv.plans.push({ goAwayOnSegment: { segment: 2 } });
    const result = await run([
      'stream',
      fixturePath('good.mp4'),
      fixturePath('good.webm'),
      '--include',
      'conversation_quality_overall',
    ]);
    expect(result.code).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string });
    expect(events.filter((e) => e.type === 'segment.completed')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'session.ready')).toHaveLength(2);
    expect(events.some((e) => e.type === 'error')).toBe(true);
    expect(result.stderr).toContain('2 segment(s) analysed, 0 refused, 1 reconnect(s)');
    expect(srv.sessions[0]!.texts[0]).toEqual({
      type: 'session.config',
      include: ['conversation_quality_overall'],
    });
  });

  it('usage errors exit 2', async () => {
    expect((await run(['stream'])).code).toBe(2);
    expect((await run(['stream', 'missing.mp4'])).code).toBe(2);
  });
});
