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
const { isMainThread } = require('node:worker_threads');

/**
 * V8 flags for a short, single-threaded program, set before anything is allocated and before any code
 * cache is made or loaded (V8 tags a cache with its flags; the build makes the caches under these):
 * - garbage collection on the thread that allocates, without V8's helper threads (marking, scavenging,
 *   sweeping) and without incremental marking: a lint allocates in bursts, the helpers cost more CPU
 *   than they save, and in a sweep they fight the lint workers for the cores (`--single-threaded-gc`
 *   itself crashes V8 when set after start-up);
 * - `--interrupt-budget` raised from V8's 66 KB of bytecode to 1 MB before a function's feedback is
 *   checked for tiering up: most of a small lint's functions run a few times, and the early compiles
 *   (and their checks) cost more than they win;
 * - the young generation kept at its first size (`--semi-space-growth-factor=1`): V8 doubles it, up to
 *   2 x 16 MB, while much of what it allocates survives (loading the engine takes it to 8 MB, a long
 *   input streaming through the parser further), and a lint holds that memory to its end.
 * Measured on two cores against the first two flags alone, medians of interleaved runs: the founding case
 * 0.230 -> 0.172 s of CPU and 83 -> 65 MB; the lint of the 520 MB bench log 0.80 -> 0.57 s and 117 ->
 * 104 MB, its parse 0.32 -> 0.26 s and 82 -> 67 MB; the lint of the 1 GB log 130 -> 94 MB; a sweep of
 * 1000 logs with --jobs 1 10.5 -> 8.3 s. Sweeping on the main thread too: the founding case 0.145 ->
 * 0.142 s of CPU, the others unchanged. (A larger budget, 2 MB, took 4% off the founding case and added
 * 11% to the lint of the bench log.)
 */
const INTERRUPT_BUDGET = 1000000;
const FLAGS = `--no-parallel-scavenge --no-concurrent-marking --no-incremental-marking --no-concurrent-sweeping --no-concurrent-array-buffer-sweeping --interrupt-budget=${INTERRUPT_BUDGET} --semi-space-growth-factor=1`;

/**
 * A sweep's worker thread lints many small files: held at its first size, its young generation was
 * collected so often that the workers spent a sixth of their time in the collector (a --jobs 2 sweep
 * of 1000 logs 4.64 s, 4.34 s with V8's growth), so a worker gives V8 its growth back (bounded by the
 * pool's resourceLimits). Flags are the process's: the main thread, which only prints a sweep's
 * reports by then, runs under it too. V8 tags a cache with the flags it was made under, so the build
 * makes a second set of caches in a worker thread, `*.worker-cache`, which the workers load.
 */
const WORKER_FLAGS = '--semi-space-growth-factor=2';

setFlagsFromString(isMainThread ? FLAGS : WORKER_FLAGS);

/**
 * The interrupt budget the process runs under, for the lint of a long run to lower while its detectors run
 * (src/cli/reclaim.ts, `tieringForLongRuns`) and to set back after: a library user's process has none of this.
 */
globalThis[Symbol.for('epochlint.interruptBudget')] = INTERRUPT_BUDGET;

/** Which of the build's code caches this thread loads. */
const CACHE = isMainThread ? '.cache' : '.worker-cache';

const FRONT = join(__dirname, 'epochlint.cjs');
const ENGINE = join(__dirname, 'engine.cjs');

/**
 * Runs one script of the bundle (with its cache when there is one); its exports and the script. The build
 * writes the scripts in ASCII only (non-ASCII characters escaped), so Latin-1 reads them as they are, one
 * byte per character, without a UTF-8 decode.
 */
function run(file) {
  const source = readFileSync(file, 'latin1');
  let cachedData;
  try {
    cachedData = readFileSync(file + CACHE);
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

module.exports = { load, engineModule, loaded, CACHE };
