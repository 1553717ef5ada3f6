import { parseArgs } from 'node:util';

/**
 * Where a command reads its context from and writes to; the bin passes the process's.
 * @example await main(['lint'], { cwd: process.cwd(), env: process.env, out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) })
 */
export interface Io {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  out(text: string): void;
  err(text: string): void;
}

/**
 * Exit codes, documented in `faultline --help`.
 * @example return breaking.length > 0 ? EXIT.findings : EXIT.ok;
 */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/**
 * A mistake in how the command was called (or in what it was pointed at): printed without a
 * stack, exit code 2.
 * @example throw new UsageError('missing <id>', 'explain');
 */
export class UsageError extends Error {
  /** The command whose usage line to print under the message, if any. */
  readonly command: string | undefined;
  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
  override get name(): string {
    return 'UsageError';
  }
}

/**
 * An option of a command, as `node:util` parseArgs takes it, plus its help line.
 * @example { out: { type: 'string', short: 'o', value: 'FILE', help: 'write to FILE' } }
 */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly value?: string;
  readonly help: string;
}

/**
 * One subcommand: its help text, options, and what it does.
 * @example const hello: Command = { name: 'hello', summary: 'greet', args: '', description: 'Greets.', options: {}, run: async (_, io) => (io.out('hi\n'), 0) };
 */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Positional arguments, as shown in the usage line, e.g. `<old> <new>`. */
  readonly args: string;
  readonly description: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  run(
    input: { values: Record<string, string | boolean | undefined>; positionals: string[] },
    io: Io,
  ): Promise<number>;
}

/**
 * Options every command takes.
 * @example parse(command, ['--catalog', './src/catalog.ts#signals'])
 */
export const COMMON_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  catalog: {
    type: 'string',
    value: 'MODULE[#EXPORT]',
    help: 'catalog module (default: "faultline.catalog" of the nearest package.json)',
  },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};

/**
 * Parses a command's arguments with `node:util` parseArgs, turning its errors into usage
 * errors that name the command and suggest the closest option.
 * @example parse(explainCommand, ['ih2005', '--json'])
 */
export function parse(command: Command, args: readonly string[]) {
  const specs = { ...command.options, ...COMMON_OPTIONS };
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [name, spec] of Object.entries(specs))
    options[name] = spec.short ? { type: spec.type, short: spec.short } : { type: spec.type };
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    // Node words these as "Unknown option '--otu'" and "Option '-o, --out <value>' argument missing".
    const flag = /'(?:-\w, )?(-{1,2}[^' ,]+)/.exec((error as Error).message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) {
      const near = suggest(flag.replace(/^-+/, ''), Object.keys(specs));
      throw new UsageError(
        `unknown option ${flag} for "faultline ${command.name}"${near ? ` (did you mean --${near}?)` : ''}`,
        command.name,
      );
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
      throw new UsageError(`option ${flag ?? ''} needs a value`.replace('  ', ' '), command.name);
    throw new UsageError((error as Error).message, command.name);
  }
}

/**
 * The closest candidate by edit distance, when it is close enough to be a likely typo.
 * @example suggest('ih2050', ['ih2005', 'ih4005']) // 'ih2005'
 */
export function suggest(input: string, candidates: readonly string[]): string | undefined {
  const wanted = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(wanted.length / 3)) ? best : undefined;
}

/** Damerau–Levenshtein (optimal string alignment): a swapped pair of digits counts as one typo. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [
    i,
    ...Array<number>(b.length).fill(0),
  ]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, d[i - 2]![j - 2]! + 1);
      d[i]![j] = value;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * Help text of a command: usage line, description, options.
 * @example io.out(helpOf(diffCommand))
 */
export function helpOf(command: Command): string {
  const specs = { ...command.options, ...COMMON_OPTIONS };
  const rows = Object.entries(specs).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.value ? ` ${spec.value}` : ''}`;
    return [flag, spec.help] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return [
    usageOf(command),
    '',
    command.description,
    '',
    'Options:',
    ...rows.map(([flag, help]) => `  ${flag.padEnd(width)}  ${help}`),
    '',
  ].join('\n');
}

/**
 * `usage: faultline diff [options] <old> <new>`.
 * @example usageOf(diffCommand) // 'usage: faultline diff [options] <old> <new>'
 */
export function usageOf(command: Command): string {
  return `usage: faultline ${command.name} [options]${command.args ? ` ${command.args}` : ''}`;
}
