import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * `npm test`: the unit and in-process CLI tests, against the sources (no build first). The global
 * installs and the headless-browser test are `npm run test:e2e` (test/e2e/vitest.config.ts).
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    // test files share their worker's module cache: importing the models, detectors and reporters once
    // per worker instead of once per file takes two thirds off the suite (tests keep no global state)
    isolate: false,
    // one worker per core: vitest's default in a run is the cores less one, which on a 2-core machine is a
    // single worker running every file in turn while the other core idles
    maxWorkers: availableParallelism(),
    testTimeout: 30_000,
  },
});
