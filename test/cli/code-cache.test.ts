import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { CLI_ROOT } from './run-cli.js';

// The build writes a V8 code cache of each script of the bundle; V8 rejects a cache made under other
// flags without a word (a large lint sets --expose-gc), and every start then compiles ~1 MB of JavaScript.
test('the code caches of the built bundle are accepted by a fresh process', () => {
  const loader = JSON.stringify(join(CLI_ROOT, 'dist', 'bundle', 'load.cjs'));
  const program = `
    const l = require(${loader});
    l.load();
    l.engineModule('src/cli/lint-plan.ts');
    console.log(JSON.stringify(l.loaded().map((s) => s.script.cachedDataRejected)));`;
  const result = spawnSync(process.execPath, ['-e', program], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(JSON.parse(result.stdout)).toEqual([false, false]);
});

// A sweep's workers run under another flag (bin/bundle-loader.cjs) and load the caches the build made in
// a worker thread: started after the main thread has loaded the bundle, as a sweep starts them.
test('the worker caches are accepted by a sweep worker', () => {
  const loader = JSON.stringify(join(CLI_ROOT, 'dist', 'bundle', 'load.cjs'));
  const inWorker = `
    const l = require(${loader});
    l.load();
    l.engineModule('src/cli/lint-file.ts');
    require('node:worker_threads').parentPort.postMessage(l.loaded().map((s) => s.script.cachedDataRejected));`;
  const program = `
    const l = require(${loader});
    l.load();
    l.engineModule('src/cli/lint-plan.ts');
    const { Worker } = require('node:worker_threads');
    new Worker(${JSON.stringify(inWorker)}, { eval: true }).on('message', (m) => console.log(JSON.stringify(m)));`;
  const result = spawnSync(process.execPath, ['-e', program], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(JSON.parse(result.stdout)).toEqual([false, false]);
});
