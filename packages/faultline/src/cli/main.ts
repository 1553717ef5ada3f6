import { readFileSync } from 'node:fs';
import { coverageCommand } from './coverage.ts';
import { diffCommand } from './diff.ts';
import { docsCommand } from './docs.ts';
import { explainCommand } from './explain.ts';
import { type Command, EXIT, helpOf, type Io, parse, suggest, UsageError, usageOf } from './io.ts';
import { lintCommand } from './lint.ts';
import { openapiCommand } from './openapi.ts';

/**
 * The subcommands, in the order `--help` lists them.
 * @example COMMANDS.map((c) => c.name) // ['explain', 'docs', 'openapi', 'lint', 'diff', 'coverage']
 */
export const COMMANDS: readonly Command[] = [
  explainCommand,
  docsCommand,
  openapiCommand,
  lintCommand,
  diffCommand,
  coverageCommand,
];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: faultline <command> [options]',
    '',
    'The error catalog as a tool: explain an error, write its docs and OpenAPI, check it.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'The catalog is --catalog MODULE[#EXPORT], else "faultline": {"catalog": "..."} in the',
    'nearest package.json (also "docsBase", "format", "legacyUntil").',
    '',
    'Exit codes: 0 ok, 1 findings (lint errors, breaking changes, errors never produced),',
    '2 usage error (unknown command, option or id, missing argument, unloadable catalog).',
    '',
    'Run "faultline <command> --help" for the options of a command.',
    '',
  ].join('\n');
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/**
 * Runs the CLI with the given arguments; resolves to the exit code instead of exiting.
 * @example process.exitCode = await main(process.argv.slice(2), io)
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h') {
    if (first === undefined) io.err(overview());
    else io.out(overview());
    return first === undefined ? EXIT.usage : EXIT.ok;
  }
  if (first === '--version' || first === '-v') {
    io.out(`${version()}\n`);
    return EXIT.ok;
  }
  let name = first;
  let args = rest;
  if (first === 'help') {
    if (rest[0] === undefined) {
      io.out(overview());
      return EXIT.ok;
    }
    name = rest[0];
    args = ['--help'];
  }
  const command = COMMANDS.find((c) => c.name === name);
  try {
    if (!command) {
      const near = suggest(
        name,
        COMMANDS.map((c) => c.name),
      );
      throw new UsageError(
        `unknown command "${name}"${near ? ` (did you mean "${near}"?)` : ''}; commands: ${COMMANDS.map((c) => c.name).join(', ')}`,
      );
    }
    const parsed = parse(command, args);
    if (parsed.values['help']) {
      io.out(helpOf(command));
      return EXIT.ok;
    }
    return await command.run(parsed as Parameters<Command['run']>[0], io);
  } catch (error) {
    if (error instanceof UsageError) {
      const usage = error.command ? COMMANDS.find((c) => c.name === error.command) : undefined;
      io.err(`faultline: ${error.message}\n${usage ? `${usageOf(usage)}\n` : ''}`);
      return EXIT.usage;
    }
    // Anything else is a bug of ours or of the catalog module: say what, without a stack unless asked.
    const detail = io.env['FAULTLINE_DEBUG'] ? (error as Error).stack : (error as Error).message;
    io.err(`faultline: ${detail}\n`);
    return EXIT.usage;
  }
}
