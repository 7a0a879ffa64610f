'use strict';
/**
 * Loads the command-line bundle (`epochlint.cjs` beside this file, once copied into dist/bundle/ by
 * bin/build.mjs) with the V8 code cache the build made for it: the bytecode of every function a lint
 * runs, so a start compiles next to nothing. Node 20 has no compile cache of its own for ES modules
 * (Node 22's `module.enableCompileCache` does this); a cache made by another Node version is rejected
 * by V8 and the source is compiled as usual. With `produce`, returns the script so the build can write
 * its cache after a representative run.
 */
const { readFileSync } = require('node:fs');
const { wrap } = require('node:module');
const { join } = require('node:path');
const { Script } = require('node:vm');

const FILE = join(__dirname, 'epochlint.cjs');

/** The bundle's exports (and its script, for the build). */
function load() {
  const source = readFileSync(FILE, 'utf8');
  let cachedData;
  try {
    cachedData = readFileSync(`${FILE}.cache`);
  } catch {
    // no cache (a bundle built for the tests without one): compiled as usual
  }
  const script = new Script(wrap(source), { filename: FILE, ...(cachedData ? { cachedData } : {}) });
  const bundle = { exports: {} };
  script.runInThisContext()(bundle.exports, require, bundle, FILE, __dirname);
  return { exports: bundle.exports, script };
}

module.exports = { load, FILE };
