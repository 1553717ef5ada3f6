import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProberCheck, REFERENCE_FILE } from '../../src/media/prober.ts';
import { FFPROBE, scratchDir } from './helpers.ts';

describe('prober self-check', () => {
  it('passes with the shipped ffprobe on the shipped reference file', async () => {
    expect(REFERENCE_FILE).toMatch(/reference\.mp4$/);
    expect(await createProberCheck({ ffprobePath: FFPROBE }).check()).toMatchObject({ ok: true });
  });

  it('fails with a crashing or missing binary, and reuses one verdict within its time to live', async () => {
    const scratch = scratchDir();
    const dir = scratch.dir;
    const crasher = join(dir, 'crash');
    const count = join(dir, 'runs');
    writeFileSync(crasher, `#!/bin/sh\necho run >> '${count}'\nkill -SEGV $$\n`);
    chmodSync(crasher, 0o755);
    let now = 0;
    const prober = createProberCheck({ ffprobePath: crasher, ttlMs: 1000, now: () => now });
    const first = await prober.check();
    expect(first.ok).toBe(false);
    expect(first.detail).toMatch(/crashed/);
    now = 999;
    expect(await prober.check()).toBe(first);
    now = 1000;
    expect(await prober.check()).not.toBe(first);
    expect(readFileSync(count, 'utf8').trim().split('\n')).toHaveLength(2);
    expect((await createProberCheck({ ffprobePath: join(dir, 'absent') }).check()).ok).toBe(false);
    scratch.cleanup();
  });
});
