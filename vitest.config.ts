import { defineConfig } from 'vitest/config';

// Slow tests (`*.slow.test.ts`: full corpora, heavy environments) run with MLE_SLOW=1
// (`npm run test:slow`) and in CI (CI=true), so a developer's `npm test` stays well under 15
// minutes on 2 cores while CI, with its 90 minutes, runs everything.
const slow = process.env.MLE_SLOW === '1' || process.env.CI === 'true';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'plugins/*/src/**/*.test.ts', 'plugins/*/test/**/*.test.ts', 'benchmarks/**/*.test.ts', 'datasets/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', ...(slow ? [] : ['**/*.slow.test.ts'])],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    reporters: ['default', './scripts/summary-reporter.ts'],
  },
});
