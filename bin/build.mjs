#!/usr/bin/env node
/**
 * The build (`npm run build`, and `prepare` on install): the library with its type declarations by the
 * TypeScript compiler (`dist/index.js`, unchanged for importers), then the command line bundled by esbuild
 * into `dist/bundle/`:
 * - `epochlint.cjs`: the whole CLI in one script. What a command does not use is never evaluated (every
 *   `import()` of the sources stays a lazy module initialiser), so `--version` and `--help` evaluate no
 *   zod model, detector or reporter;
 * - `epochlint.cjs.cache`: V8's code cache of that script, written after a representative run (the
 *   founding case linted, `--help`, a parse), so a start deserializes the bytecode instead of compiling
 *   ~1 MB of JavaScript; a cache from another Node version is rejected by V8 and ignored;
 * - `load.cjs` (bin/bundle-loader.cjs) loads the script with its cache; `lint-worker.cjs` is a sweep's
 *   worker thread.
 * One script with a code cache measured faster than ES-module chunks loaded on demand (Node 20 caches no
 * ES module code): the founding case in about three quarters of the CPU time, `--version` the same.
 *
 * `node bin/build.mjs` builds both; `node bin/build.mjs --bundle-only [outdir]` only the bundle (the test
 * suite builds one of the current sources into a temporary folder this way).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
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
 * cache. Without the fixtures (a copy without them), the cache covers the start only.
 */
function writeCodeCache(outdir) {
  const commands = TRAINING.filter((argv) =>
    argv.every((a) => a.startsWith('-') || a === 'parse' || existsSync(join(root, a))),
  );
  const program = `
    const { writeFileSync } = require('node:fs');
    const { Readable } = require('node:stream');
    const { load, FILE } = require(${JSON.stringify(join(outdir, 'load.cjs'))});
    const { exports, script } = load();
    const sink = { write: () => true, isTTY: false };
    const io = () => ({ stdout: sink, stderr: sink, stdin: Object.assign(Readable.from([]), { isTTY: true }),
      env: { NO_COLOR: '1' }, cwd: ${JSON.stringify(root)}, interrupted: () => false, workerScript: null });
    (async () => {
      for (const argv of ${JSON.stringify(commands)}) await exports.main(argv, io());
      writeFileSync(FILE + '.cache', script.createCachedData());
    })();`;
  const result = spawnSync(process.execPath, ['-e', program], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) throw new Error('writing the code cache failed');
}

/** Builds the CLI bundle from `src/` into `outdir` (default `dist/bundle`); returns the folder. */
export async function buildBundle(outdir = fileURLToPath(new URL('../dist/bundle/', import.meta.url))) {
  const esbuild = await import('esbuild');
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['src/cli/bundle.ts'],
    outfile: join(outdir, 'epochlint.cjs'),
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
    // the sources are ES modules: import.meta.url is the bundle's own URL
    banner: { js: "const __epochlintUrl=require('node:url').pathToFileURL(__filename).href;" },
  });
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
