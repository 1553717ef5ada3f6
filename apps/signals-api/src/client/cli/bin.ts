#!/usr/bin/env node
/**
 * `signals`: the command line client of signals-api (the `signals-api` bin is the server's
 * admin CLI). Exit codes: 0 success, 1 API error (decoded and explained on stderr), 2 usage error.
 * @example
 * // npx signals login --key-id key_… --key-secret …
 * // npx signals upload meeting.mp4
 */
import { ResponseError } from 'faultline/client';
import { UsageError } from '../../cli/args.ts';
import { type CliIo, login, stream, upload } from './commands.ts';
import { resolveSettings } from './config.ts';
import { explainError } from './report.ts';

const HELP = `usage: signals <command>

  login [--key-id ID --key-secret SECRET]   check a key and save it (~/.config/signals/config.json, mode 0600);
                                            or pipe the JSON of \`signals-api keys create\` into it
  upload FILE [--include a,b] [--json]      upload a video, show progress, print its analysis
  stream FILE [FILE…] [--include a,b]       send segments over the streaming API, print events live

options: --url URL (default SIGNALS_URL, the saved URL, or http://127.0.0.1:8080)
environment: SIGNALS_KEY_ID and SIGNALS_KEY_SECRET override the saved key; SIGNALS_CONFIG moves the file
--include values: conversation_quality_overall, conversation_quality_timeline`;

const COMMANDS: Record<string, (argv: readonly string[], io: CliIo) => Promise<void>> = {
  login,
  upload,
  stream,
};

async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    io.stdout.write(`${HELP}\n`);
    return 0;
  }
  const run = command === undefined ? undefined : COMMANDS[command];
  if (!run)
    throw new UsageError(
      `${command === undefined ? 'a command is required' : `unknown command "${command}"`}\n${HELP}`,
    );
  await run(rest, io);
  return 0;
}

const io: CliIo = { env: process.env, stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };
main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  async (error: unknown) => {
    if (error instanceof UsageError) {
      io.stderr.write(`signals: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    if (error instanceof ResponseError) {
      const { url } = await resolveSettings(io.env, urlFlag(process.argv));
      io.stderr.write(explainError(error.error, url));
      process.exitCode = 1;
      return;
    }
    // Anything else (a file that vanished, a segment over 20 MB): its message, never a stack.
    io.stderr.write(`signals: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);

function urlFlag(argv: readonly string[]): string | undefined {
  const i = argv.indexOf('--url');
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith('--url='))?.slice('--url='.length);
}
