#!/usr/bin/env node
/**
 * The build (`npm run build`, and `prepare` on install): the library with its type declarations by the
 * TypeScript compiler (`dist/index.js`, unchanged for importers), then the command line bundled by esbuild
 * into `dist/bundle/` as two scripts:
 * - `epochlint.cjs`: the program, what every command needs (commander, the options and help, and the
 *   `--input-format` choices as a list worked out from the readers table at build time, ~90 KB);
 * - `engine.cjs`: every module the sources load by `import()` (the lint, zod models, config, reporters),
 *   read and run only when a command first asks for one; it uses the program's own copy of a module both
 *   need. So `--version` and `--help` neither read nor evaluate the zod models, detectors or reporters;
 * - a V8 code cache of each (`*.cjs.cache`), written after a representative run (the founding case linted,
 *   `--help`, a parse), so a start deserializes the bytecode instead of compiling ~1 MB of JavaScript, and
 *   a second one made in a worker thread for a sweep's workers (`*.cjs.worker-cache`, other V8 flags); a
 *   cache from another Node version is rejected by V8 and ignored;
 * - `load.cjs` (bin/bundle-loader.cjs) runs the scripts with their caches; `lint-worker.cjs` is a sweep's
 *   worker thread.
 * Measured against ES-module chunks loaded on demand (Node 20 caches no ES module code): the founding case
 * in about three quarters of the CPU time; against one script with one cache, `--version` in 0.86 of it
 * and the founding case the same.
 *
 * `node bin/build.mjs` builds both; `node bin/build.mjs --bundle-only [outdir]` only the bundle (the test
 * suite builds one of the current sources into a temporary folder this way).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(new URL('../package.json', import.meta.url));

/** What the representative run does before the code cache is written (each an argv of the CLI). */
const TRAINING = [
  ['--version'],
  ['--help'],
  ['fixtures/real/crossvalidated-416172.txt'],
  ['fixtures/real/crossvalidated-416172.txt', '--format', 'json'],
  ['fixtures/real/satellite-unet-jaccard-history.json', '--format', 'github'],
  ['parse', 'fixtures/real/bloodgroup-lr-training_log.csv', '--format', 'csv'],
];

/**
 * Runs the bundle in a child process on the training commands (output discarded) and writes its code
 * caches: on the main thread (`*.cache`), then again in a worker thread (`*.worker-cache`, made under
 * the flags of a sweep's workers, see bin/bundle-loader.cjs). Without the fixtures (a copy without them),
 * the caches cover the start only.
 */
function writeCodeCache(outdir) {
  const commands = TRAINING.filter((argv) =>
    argv.every((a) => a.startsWith('-') || a === 'parse' || existsSync(join(root, a))),
  );
  const train = `
    const { writeFileSync } = require('node:fs');
    const { Readable } = require('node:stream');
    const { load, loaded, CACHE } = require(${JSON.stringify(join(outdir, 'load.cjs'))});
    const { exports } = load();
    const sink = { write: () => true, isTTY: false };
    const io = () => ({ stdout: sink, stderr: sink, stdin: Object.assign(Readable.from([]), { isTTY: true }),
      env: { NO_COLOR: '1' }, cwd: ${JSON.stringify(root)}, interrupted: () => false, workerScript: null });
    module.exports = (async () => {
      for (const argv of ${JSON.stringify(commands)}) await exports.main(argv, io());
      // a large lint sets --expose-gc (src/cli/reclaim.ts); V8 tags a cache with the flags of its making
      // and rejects it under others, so the defaults are restored before the caches are made
      require('node:v8').setFlagsFromString('--no-expose-gc');
      for (const { script, file } of loaded()) writeFileSync(file + CACHE, script.createCachedData());
    })();`;
  const program = `
    const { Worker } = require('node:worker_threads');
    const train = ${JSON.stringify(train)};
    (0, eval)('(function (module, require) {' + train + '})')(module, require);
    module.exports.then(() => new Promise((resolve, reject) => {
      const worker = new Worker(
        'const m = { exports: null }; (function (module, require) {' + train + '})(m, require); m.exports.catch((e) => { throw e; });',
        { eval: true },
      );
      worker.on('error', reject);
      worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error('worker exit ' + code))));
    })).catch((error) => { console.error(error); process.exit(1); });`;
  const result = spawnSync(process.execPath, ['-e', program], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) throw new Error('writing the code cache failed');
}

/**
 * commander requires node:child_process when it loads, for executable subcommands, which epochlint has
 * none of: its load (with net and dgram, ~2 ms) was a sixth of what `--version` costs beyond a bare node
 * start. In the bundle commander gets the module on its first use instead.
 */
function lazyChildProcess() {
  return {
    name: 'epochlint-lazy-child-process',
    setup(build) {
      build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
        /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer)
          ? { path: 'child_process', namespace: 'lazy-child-process' }
          : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'lazy-child-process' }, () => ({
        contents: `let loaded;\nmodule.exports = new Proxy({}, { get: (_, key) => (loaded ??= require('node:child_process'))[key] });\n`,
        loader: 'js',
      }));
    },
  };
}

/** What both scripts of the bundle are built with. */
function common(version) {
  return {
    absWorkingDir: root,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // whitespace and syntax only: names stay readable in a stack trace of an internal error
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
    define: { EPOCHLINT_VERSION: JSON.stringify(version), 'import.meta.url': '__epochlintUrl' },
    // the Python grammar's runtime finds its .wasm files next to its own script: it stays in node_modules
    external: ['web-tree-sitter', 'tree-sitter-python'],
    // the sources are ES modules: import.meta.url is the bundle's own URL
    banner: { js: "const __epochlintUrl=require('node:url').pathToFileURL(__filename).href;" },
  };
}

/**
 * The program's script: every `import()` in the sources becomes a request to the engine script, by a
 * key (the module's path in the checkout, or a package name); the keys met are collected for the engine.
 */
function frontPlugin(keys) {
  return {
    name: 'epochlint-engine-imports',
    setup(build) {
      build.onResolve({ filter: /^\.\/load\.cjs$/ }, () => ({ path: './load.cjs', external: true }));
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind !== 'dynamic-import' || args.namespace !== 'file') return undefined;
        const bare = !args.path.startsWith('.');
        const key = bare
          ? args.path
          : relative(root, join(args.resolveDir, args.path)).replace(/\.js$/, '.ts').split(sep).join('/');
        keys.add(key);
        return { path: key, namespace: 'engine' };
      });
      build.onLoad({ filter: /.*/, namespace: 'engine' }, (args) => ({
        contents: `module.exports = require('./load.cjs').engineModule(${JSON.stringify(args.path)});`,
        loader: 'js',
      }));
    },
  };
}

/**
 * The `--input-format` choices, computed once at build time from the readers table (the table bundled on
 * its own and run), so the program's script holds the list instead of every reader and the zod models
 * behind them; `--version` and `--help` then evaluate neither. The sources, run as they are (tests), import
 * the table itself; a test compares the built binary's choices with it.
 */
async function inputFormats(esbuild, version) {
  const result = await esbuild.build({
    ...common(version),
    entryPoints: ['src/parse/readers.ts'],
    write: false,
    outfile: 'readers.cjs',
  });
  const loaded = { exports: {} };
  new Function('module', 'exports', 'require', '__filename', result.outputFiles[0].text)(
    loaded,
    loaded.exports,
    require,
    join(root, 'readers.cjs'),
  );
  return loaded.exports.INPUT_FORMATS;
}

/** In the program's script, `readers.js` imported by `program.ts` is the list of its input formats. */
function inputFormatsPlugin(formats) {
  return {
    name: 'epochlint-input-formats',
    setup(build) {
      build.onResolve({ filter: /\/readers\.js$/ }, (args) =>
        args.importer.endsWith(join('src', 'cli', 'program.ts'))
          ? { path: 'input-formats', namespace: 'input-formats' }
          : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'input-formats' }, () => ({
        contents: `export const INPUT_FORMATS = ${JSON.stringify(formats)};`,
        loader: 'js',
      }));
    },
  };
}

/** A `switch` from key to a `require` of the module (evaluated on its first request). */
function requireByKey(keys) {
  const cases = [...keys]
    .sort()
    .map((key) => {
      const target = key.startsWith('src/') ? `./${key}` : key;
      return `    case ${JSON.stringify(key)}: return require(${JSON.stringify(target)});`;
    })
    .join('\n');
  return `(key) => {\n  switch (key) {\n${cases}\n  }\n  throw new Error('epochlint: no module ' + key + ' in the bundle');\n}`;
}

/** The program's entry: src/cli/bundle.ts, and its own source modules by key for the engine. */
function frontEntry(shared) {
  return `module.exports = { ...require('./src/cli/bundle.ts'), shared: ${requireByKey(shared)} };\n`;
}

/** In the engine, a module the program has is the program's (one instance, compiled once). */
function sharedPlugin(shared) {
  return {
    name: 'epochlint-shared-modules',
    setup(build) {
      build.onResolve({ filter: /^\.\/load\.cjs$/ }, () => ({ path: './load.cjs', external: true }));
      build.onResolve({ filter: /^\./ }, (args) => {
        if (args.namespace !== 'file' || args.kind === 'entry-point') return undefined;
        const key = relative(root, join(args.resolveDir, args.path))
          .replace(/\.js$/, '.ts')
          .split(sep)
          .join('/');
        return shared.has(key) && args.importer !== '<stdin>'
          ? { path: key, namespace: 'shared' }
          : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'shared' }, (args) => ({
        contents: `module.exports = require('./load.cjs').load().exports.shared(${JSON.stringify(args.path)});`,
        loader: 'js',
      }));
    },
  };
}

/** The engine's entry: `load(key)` requires the module of that key (evaluated on its first request). */
function engineEntry(keys) {
  return `exports.load = ${requireByKey(keys)};\n`;
}

/**
 * Rewrites a script of the bundle as ASCII only: esbuild escapes strings and templates but leaves the
 * characters of a regular expression literal as written (the box-drawing characters of the terminal
 * readers, the mojibake of a progress bar), and one such character makes the whole 1.2 MB source a
 * two-byte string, decoded from UTF-8 on every start (~4 ms of the founding case). A `\uXXXX` escape of
 * each UTF-16 unit means the same in a string, a template's cooked text and a regular expression (with or
 * without the u flag: an escaped surrogate pair is one code point there). The loader then reads the script
 * as Latin-1, a copy of its bytes.
 */
function asciiOnly(file) {
  const source = readFileSync(file, 'utf8');
  // after a backslash the escape would change meaning (an identity escape would become a literal `\\`)
  if (/\\[^\0-\x7f]/.test(source)) throw new Error(`${file}: a non-ASCII character after a backslash`);
  const ascii = source.replace(/[^\0-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  writeFileSync(file, ascii, 'latin1');
}

/** Builds the CLI bundle from `src/` into `outdir` (default `dist/bundle`); returns the folder. */
export async function buildBundle(outdir = fileURLToPath(new URL('../dist/bundle/', import.meta.url))) {
  const esbuild = await import('esbuild');
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const keys = new Set();
  const formats = inputFormatsPlugin(await inputFormats(esbuild, version));
  // the program's modules first (to learn which they are), then the program exposing them by key, so the
  // engine uses the program's instances instead of bundling a second copy (the parsers, commander)
  const probe = await esbuild.build({
    ...common(version),
    entryPoints: ['src/cli/bundle.ts'],
    write: false,
    outfile: join(outdir, 'epochlint.cjs'),
    metafile: true,
    plugins: [formats, frontPlugin(keys)],
  });
  const shared = Object.keys(probe.metafile.inputs).filter((path) => path.startsWith('src/'));
  await esbuild.build({
    ...common(version),
    stdin: { contents: frontEntry(shared), resolveDir: root, sourcefile: 'front-entry.js', loader: 'js' },
    outfile: join(outdir, 'epochlint.cjs'),
    plugins: [formats, frontPlugin(keys), lazyChildProcess()],
  });
  await esbuild.build({
    ...common(version),
    stdin: { contents: engineEntry(keys), resolveDir: root, sourcefile: 'engine-entry.js', loader: 'js' },
    outfile: join(outdir, 'engine.cjs'),
    plugins: [sharedPlugin(new Set(shared))],
  });
  for (const script of ['epochlint.cjs', 'engine.cjs']) asciiOnly(join(outdir, script));
  copyFileSync(join(root, 'bin', 'bundle-loader.cjs'), join(outdir, 'load.cjs'));
  copyFileSync(join(root, 'bin', 'lint-worker.cjs'), join(outdir, 'lint-worker.cjs'));
  writeCodeCache(outdir);
  return outdir;
}

function buildLibrary() {
  const tsc = require.resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('the library build failed (tsc -p tsconfig.build.json)');
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    if (process.argv[2] === '--bundle-only') await buildBundle(process.argv[3]);
    else {
      buildLibrary();
      await buildBundle();
    }
  } catch (error) {
    process.stderr.write(`epochlint build: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
