import { type ParseArgsConfig, parseArgs } from 'node:util';

/**
 * A command line that cannot be run as written; the CLI prints it and exits 2.
 * @example throw new UsageError('--scopes is required');
 */
export class UsageError extends Error {
  override get name(): string {
    return 'UsageError';
  }
}

/**
 * Options of one command, in `node:util` parseArgs terms.
 * @example const options = { plan: { type: 'string' } } satisfies OptionSpec;
 */
export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/**
 * `parseArgs` with our error type: unknown flags and missing values become usage errors.
 * @example const { values, positionals } = parse(argv, { scopes: { type: 'string' } });
 */
export function parse<O extends OptionSpec>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * A whole number flag within bounds, or a usage error naming it.
 * @example wholeNumber('12', '--rpm', 1) // 12
 */
export function wholeNumber(text: string | undefined, flag: string, min: number): number {
  if (text === undefined) throw new UsageError(`${flag} is required`);
  if (!/^\d+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text)))
    throw new UsageError(`${flag} must be a whole number of at least ${min} (got "${text}")`);
  return Number(text);
}

/**
 * Fails unless exactly `count` positionals were given.
 * @example expectPositionals(positionals, ['KEY_ID'], 'keys revoke KEY_ID')
 */
export function expectPositionals(
  positionals: readonly string[],
  names: readonly string[],
  usage: string,
): void {
  if (positionals.length !== names.length)
    throw new UsageError(
      positionals.length < names.length
        ? `missing ${names.slice(positionals.length).join(' ')}; usage: signals-api ${usage}`
        : `unexpected argument "${positionals[names.length]}"; usage: signals-api ${usage}`,
    );
}

/**
 * Writes one line to stdout (the channel scripts read).
 * @example out(JSON.stringify(key));
 */
export function out(line: string): void {
  process.stdout.write(`${line}\n`);
}
