import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, cleanEnv, NODE, ROOT } from './helpers.ts';

// `faultline openapi | head`: the reader takes a few lines and closes the pipe. A Unix tool
// stops quietly with exit 0; it must not die on EPIPE with a stack trace on stderr.
describe('a closed stdout (EPIPE)', () => {
  it.each([['openapi'], ['docs', '--format', 'html']])(
    'faultline %s stops quietly with exit 0 when the reader goes away',
    async (...args: string[]) => {
      const child = spawn(NODE, [BIN, ...args], {
        cwd: ROOT,
        env: cleanEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      // Read one chunk (as `head` reads its lines), then close our end of the pipe.
      await new Promise<void>((done) => child.stdout.once('data', () => done()));
      child.stdout.destroy();
      const code = await new Promise<number | null>((done) => child.once('close', (c) => done(c)));
      expect(stderr).toBe('');
      expect(code).toBe(0);
    },
  );
});
