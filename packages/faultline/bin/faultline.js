#!/usr/bin/env node
// The `faultline` command: loads the built CLI (dist/cli/bin.js) through the package's own
// `#faultline-cli` import. Plain JavaScript in git, not build output, so `npm ci` can link it on
// a fresh clone before anything is built; inside the monorepo, where npm scripts run Node with
// `--conditions=development`, the same import loads the TypeScript sources instead.
import '#faultline-cli';
