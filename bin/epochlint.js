#!/usr/bin/env node
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let cli;
try {
  cli = require('../dist/bundle/load.cjs').load().exports;
} catch (error) {
  // a checkout that was linked or copied without its build: one line saying what to do, not a stack trace
  if (error?.code !== 'MODULE_NOT_FOUND' || !String(error.message).includes('dist')) throw error;
  const folder = new URL('..', import.meta.url).pathname;
  process.stderr.write(`epochlint: not built (no dist/ in ${folder}): run \`npm install\` there\n`);
  process.exit(2);
}
await cli.run();
