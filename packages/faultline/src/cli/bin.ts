#!/usr/bin/env node
// The `faultline` command. All logic lives in main.ts so it can be tested in-process too.
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
