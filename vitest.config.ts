import { defineConfig } from 'vitest/config';

// CI asks for a JSON report too, so it can print the runner's own pass/fail counts.
const report = process.env.LEADFLOW_TEST_REPORT;

export default defineConfig({
  test: {
    pool: 'forks',
    setupFiles: ['test/setup/env.ts'],
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
    // Every project shares the root's setup (test/setup/env.ts: the identity key, the capture floor).
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/handlers/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
