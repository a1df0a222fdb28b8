import { defineConfig } from 'vitest/config';

// Slow tests (`*.slow.test.ts`: full corpora, real environments) run with MLE_SLOW=1
// (`npm run test:slow`), so the default `npm test` stays well under 15 minutes on 2 cores.
const slow = process.env.MLE_SLOW === '1';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'plugins/*/src/**/*.test.ts', 'plugins/*/test/**/*.test.ts', 'benchmarks/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', ...(slow ? [] : ['**/*.slow.test.ts'])],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    reporters: ['default', './scripts/summary-reporter.ts'],
  },
});
