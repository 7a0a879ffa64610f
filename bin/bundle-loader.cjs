'use strict';
/**
 * Loads the command-line bundle (copied into dist/bundle/ as load.cjs by bin/build.mjs) with the V8 code
 * caches the build made for it, so a start deserializes bytecode instead of compiling JavaScript. Node 20
 * has no compile cache of its own for ES modules (Node 22's `module.enableCompileCache` does this); a
 * cache made by another Node version is rejected by V8 and the source is compiled as usual.
 *
 * The bundle is two scripts: `epochlint.cjs`, the program and what every command needs (commander, the
 * options, the help), and `engine.cjs`, everything a command loads by `import()` (parsers, lint, zod
 * models, reporters), read only when a command first asks for one of its modules.
 */
const { readFileSync } = require('node:fs');
const { wrap } = require('node:module');
const { join } = require('node:path');
const { setFlagsFromString } = require('node:v8');
const { Script } = require('node:vm');

/**
 * Garbage collection on the thread that allocates, without V8's helper threads (set before anything is
 * allocated, and before any code cache is made or loaded: V8 tags a cache with its flags). A lint is
 * short, single-threaded and allocates in bursts; the helpers' marking and scavenging cost more CPU than
 * they save, and in a sweep they fight the lint workers for the cores. Measured on two cores: a --jobs 2
 * sweep of 1000 logs 7.7 -> 5.8 s (1.25x -> 1.7x the --jobs 1 time), the founding case 0.27 -> 0.24 s
 * of CPU, the lint of the 520 MB bench log 0.65 -> 0.58 s. (`--single-threaded-gc` itself crashes V8
 * when set after start-up.)
 */
setFlagsFromString('--no-parallel-scavenge --no-concurrent-marking');

const FRONT = join(__dirname, 'epochlint.cjs');
const ENGINE = join(__dirname, 'engine.cjs');

/** Runs one script of the bundle (with its cache when there is one); its exports and the script. */
function run(file) {
  const source = readFileSync(file, 'utf8');
  let cachedData;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    // no cache (a copy without one): compiled as usual
  }
  const script = new Script(wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const loaded = { exports: {} };
  script.runInThisContext()(loaded.exports, require, loaded, file, __dirname);
  return { exports: loaded.exports, script, file };
}

let front = null;
let engine = null;

/** The program's script (run once). */
function load() {
  front ??= run(FRONT);
  return front;
}

/** A module of the engine, by the key the build gave it (the engine is run on first use). */
function engineModule(key) {
  engine ??= run(ENGINE);
  return engine.exports.load(key);
}

/** The scripts run so far (the build writes their caches after a representative run). */
function loaded() {
  return [front, engine].filter((s) => s !== null);
}

module.exports = { load, engineModule, loaded };
