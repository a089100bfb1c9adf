import { defineConfig } from 'vitest/config';

// Three layers (DESIGN.md): core (pure), integration (real HTTP on PGlite, or PostgreSQL when
// DATABASE_URL is set), browser (Chromium; run by `npm run test:browser`).
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'core', include: ['src/core/**/*.test.ts', 'src/shared/**/*.test.ts', 'src/**/*.unit.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
          globalSetup: ['test/support/global-setup.ts'],
          // fails a test whose code calls a URL no test expected (test/support/outbound-guard.ts)
          setupFiles: ['test/support/outbound-guard.setup.ts'],
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          testTimeout: 90_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
