import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    // The skip reporter counts comparisons skipped for missing tools (test/skips.ts).
    reporters: ['default', './test/skip-reporter.ts'],
  },
});
