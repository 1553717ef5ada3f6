import { defineConfig } from 'vitest/config';

// `development` resolves faultline's exports to its TypeScript sources (packages/faultline/src),
// so tests never need a build; the published package has no such condition.
// Vite already adds it outside production; stating it keeps NODE_ENV=production runs on src too.
const conditions = ['development', 'module', 'node'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    typecheck: { enabled: false },
    // With FAULTLINE_COVERAGE set (npm test), every adapter in a test process reports the errors it sends.
    setupFiles: ['packages/faultline/src/testing/register.ts'],
  },
});
