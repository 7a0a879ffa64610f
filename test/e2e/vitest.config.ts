import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * `npm run test:e2e`: what needs the world outside the process: global installs from a clean copy of
 * the checkout (npm, a temporary prefix) and the HTML report in headless chromium.
 */
export default defineConfig({
  // the checkout, so the paths below read as in the main config
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 300_000,
    // removing a temporary install (node_modules of a clone) takes longer than the default 10 s under load
    hookTimeout: 120_000,
  },
});
