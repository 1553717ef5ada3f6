import { describe, expect, it } from 'vitest';
import { faultline } from './helpers.ts';

const COMMANDS = ['explain', 'docs', 'openapi', 'lint', 'diff', 'coverage'];

describe('faultline usage', () => {
  it('prints the overview with --help (exit 0) and without a command (exit 2)', async () => {
    const help = await faultline(['--help']);
    expect(help.code).toBe(0);
    for (const name of COMMANDS) expect(help.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    expect(help.stdout).toContain('Exit codes: 0 ok, 1 findings');
    const bare = await faultline([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('usage: faultline <command> [options]');
  });

  it.each(COMMANDS)('documents "%s" with --help and "help %s"', async (name) => {
    const run = await faultline([name, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^usage: faultline ${name} \\[options\\]`));
    expect(run.stdout).toContain('--catalog MODULE[#EXPORT]');
    expect((await faultline(['help', name])).stdout).toBe(run.stdout);
  });

  it('suggests the closest command or option', async () => {
    const command = await faultline(['opneapi']);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command "opneapi" (did you mean "openapi"?)');
    const option = await faultline(['docs', '--otu', 'x.html']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain('unknown option --otu for "faultline docs" (did you mean --out?)');
    expect(option.stderr).toContain('usage: faultline docs [options]');
    const value = await faultline(['docs', '--out']);
    expect(value.code).toBe(2);
    expect(value.stderr).toContain('option --out needs a value');
  });

  it('prints its version', async () => {
    const run = await faultline(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
