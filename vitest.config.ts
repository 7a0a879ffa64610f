import { defineConfig } from 'vitest/config';

/**
 * `npm test`: the unit and in-process CLI tests, against the sources (no build first). The global
 * installs and the headless-browser test are `npm run test:e2e` (vitest.e2e.config.ts).
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
  },
});
