import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli, startServer } from '../support/server.ts';

let dir: string;
let env: Record<string, string>;
const cli = (...args: string[]): Promise<CliResult> => runCli(args, env, dir);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'signals-cli-'));
  env = { DATABASE_URL: `sqlite:${join(dir, 'signals.db')}` };
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('keys create', () => {
  it('prints exactly one JSON object and nothing else', async () => {
    const result = await cli('keys', 'create', '--scopes', 'interhumanai.upload,interhumanai.stream');
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.endsWith('\n')).toBe(true);
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(1);
    const key = JSON.parse(result.stdout);
    expect(Object.keys(key)).toEqual(['key_id', 'key_secret', 'scopes', 'plan']);
    expect(key).toEqual({
      key_id: expect.stringMatching(/^key_[\w-]{16}$/),
      key_secret: expect.stringMatching(/^sk_[\w-]{43}$/),
      scopes: ['interhumanai.upload', 'interhumanai.stream'],
      plan: 'dev',
    });
  });

  it('puts a key on a plan made with plans set, and refuses unknown plans', async () => {
    const plan = await cli(
      'plans',
      'set',
      'pro',
      '--rpm',
      '600',
      '--concurrency',
      '8',
      '--period-minutes',
      '6000',
      '--daily-minutes',
      '600',
    );
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.stdout)).toEqual({
      name: 'pro',
      rpm: 600,
      concurrency: 8,
      period_minutes: 6000,
      daily_minutes: 600,
    });
    const key = await cli('keys', 'create', '--scopes', 'interhumanai.stream', '--plan', 'pro');
    expect(JSON.parse(key.stdout)).toMatchObject({ scopes: ['interhumanai.stream'], plan: 'pro' });

    const unknown = await cli('keys', 'create', '--scopes', 'interhumanai.stream', '--plan', 'gold');
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toMatch(/plan "gold" does not exist.*plans set gold/);

    const plans = await cli('plans', 'list');
    expect(
      plans.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).name),
    ).toEqual(['default', 'dev', 'pro']);
  });
});

describe('keys list, revoke and accounts set-subscription', () => {
  it('lists keys without secrets or hashes, and shows revocation and subscription', async () => {
    const created = JSON.parse((await cli('keys', 'create', '--scopes', 'interhumanai.upload')).stdout);
    expect((await cli('accounts', 'set-subscription', created.key_id, 'inactive')).code).toBe(0);
    const revoke = await cli('keys', 'revoke', created.key_id);
    expect(revoke.code).toBe(0);
    const revokedAt = JSON.parse(revoke.stdout).revoked_at;
    expect(JSON.parse(revoke.stdout)).toEqual({ key_id: created.key_id, revoked_at: expect.any(String) });

    const list = await cli('keys', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).not.toContain(created.key_secret);
    expect(list.stdout).not.toContain('scrypt');
    const rows = list.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const row = rows.find((r) => r.key_id === created.key_id);
    expect(row).toEqual({
      key_id: created.key_id,
      scopes: ['interhumanai.upload'],
      plan: 'dev',
      subscription: 'inactive',
      created_at: expect.any(String),
      revoked_at: revokedAt,
    });
    for (const r of rows) expect(Object.keys(r)).not.toContain('key_secret');
  });

  it('fails with exit 1 for keys that do not exist', async () => {
    const revoke = await cli('keys', 'revoke', 'key_nope');
    expect(revoke).toMatchObject({ code: 1, stdout: '' });
    expect(revoke.stderr).toContain('no key with id "key_nope"');
    const sub = await cli('accounts', 'set-subscription', 'key_nope', 'active');
    expect(sub).toMatchObject({ code: 1, stdout: '' });
  });
});

describe('usage and configuration errors exit 2 with a clear message', () => {
  const cases: [string[], RegExp][] = [
    [[], /a command is required/],
    [['launch'], /unknown command "launch"/],
    [['keys'], /unknown command "keys"/],
    [['keys', 'create'], /--scopes is required/],
    [
      ['keys', 'create', '--scopes', 'interhumanai.upload,admin'],
      /unknown scope "admin".*interhumanai\.upload, interhumanai\.stream/,
    ],
    [['keys', 'create', '--scopes', ' , '], /at least one/],
    [['keys', 'create', '--scopes', 'interhumanai.upload', '--color'], /Unknown option '--color'/],
    [['keys', 'revoke'], /missing KEY_ID/],
    [['keys', 'list', 'extra'], /unexpected argument "extra"/],
    [['plans', 'set', 'pro', '--rpm', '10'], /--concurrency is required/],
    [
      [
        'plans',
        'set',
        'pro',
        '--rpm',
        'ten',
        '--concurrency',
        '1',
        '--period-minutes',
        '1',
        '--daily-minutes',
        '1',
      ],
      /--rpm must be a whole number/,
    ],
    [
      [
        'plans',
        'set',
        'bad name',
        '--rpm',
        '1',
        '--concurrency',
        '1',
        '--period-minutes',
        '1',
        '--daily-minutes',
        '1',
      ],
      /plan name/,
    ],
    [['accounts', 'set-subscription', 'key_x', 'paused'], /"active" or "inactive"/],
  ];
  // Independent processes: run them side by side.
  it.concurrent.for(cases)('%j', async ([args, message], { expect }) => {
    const result = await cli(...args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });

  it('names bad environment variables', async () => {
    const result = await runCli(['serve'], { ...env, PORT: 'eighty', SIGNALS_LEGACY_UNTIL: 'soon' }, dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/PORT must be a whole number/);
    expect(result.stderr).toMatch(/SIGNALS_LEGACY_UNTIL must be an ISO 8601 date/);
  });

  it('says plainly when the PostgreSQL database cannot be opened, without the password', async () => {
    const result = await runCli(
      ['keys', 'list'],
      { DATABASE_URL: 'postgres://u:secret@127.0.0.1:1/db' },
      dir,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot open the PostgreSQL database/);
    expect(result.stderr).not.toContain('secret@');
  });

  it('prints help on request', async () => {
    const result = await cli('--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('keys create --scopes');
  });
});

describe('serve', () => {
  it('provisions a development key once, prints a curl line that works, and stops cleanly on SIGTERM', async () => {
    const first = await startServer(env);
    try {
      const banner = first.stdout();
      expect(banner).toContain(`listening on ${first.url}`);
      expect(banner).toContain(`error docs: ${first.url}/docs/errors`);
      const curl = /curl -sS -X POST '([^']+)' -H 'Content-Type: application\/json' -d '([^']+)'/.exec(
        banner,
      );
      expect(curl).not.toBeNull();
      const [, target, body] = curl!;
      expect(target).toBe(`${first.url}/v0/auth`);
      const res = await fetch(target!, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: body!,
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ scope: 'interhumanai.upload interhumanai.stream' });
    } finally {
      expect(await first.stop()).toBe(0);
    }

    const second = await startServer(env);
    try {
      expect(second.stdout()).toContain('listening on');
      expect(second.stdout()).not.toContain('development key');
      expect(second.stdout()).not.toContain('curl');
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it('stops cleanly on SIGINT too (Ctrl-C)', async () => {
    const server = await startServer();
    expect(await server.stop('SIGINT')).toBe(0);
  });
});
