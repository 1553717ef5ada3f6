#!/usr/bin/env node
// The `faultline` command. All logic lives in main.ts so it can be tested in-process too.
import { main } from './main.ts';

// `faultline openapi | head`: the reader closed the pipe and wants no more. Like any Unix tool
// stop writing quietly with exit 0, instead of dying on an unhandled EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

process.exitCode = await main(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
