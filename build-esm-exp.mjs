#!/usr/bin/env node
/**
 * The build (`npm run build`, and `prepare` on install): the library with its type declarations by the
 * TypeScript compiler (`dist/index.js`, unchanged for importers), then the command line bundled by esbuild
 * into `dist/bundle/`: one entry (`cli.js`), the lint worker (`lint-worker.js`) and the chunks that
 * `import()` loads on demand. A bundle starts in a fraction of the time of ~170 separate modules (each one
 * resolved, read and compiled), and its lazy chunks keep `--version` and `--help` from evaluating the zod
 * models, the detectors, the diagnosis and the reporters.
 *
 * `node bin/build.mjs` builds both; `node bin/build.mjs --bundle-only [outdir]` only the bundle (the test
 * suite builds one of the current sources into a temporary folder this way).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(new URL('../package.json', import.meta.url));

/**
 * The bundle's entry points, by output name: the CLI and the worker a sweep lints its files on. Both
 * share chunks, so a worker loads the same code the main thread would.
 */
export const BUNDLE_ENTRIES = { cli: 'src/cli/main.ts', 'lint-worker': 'src/cli/bundle.ts' };

/** Builds the CLI bundle from `src/` into `outdir` (default `dist/bundle`); returns the folder. */
export async function buildBundle(outdir = fileURLToPath(new URL('../dist/bundle/', import.meta.url))) {
  const esbuild = await import('esbuild');
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  rmSync(outdir, { recursive: true, force: true });
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: BUNDLE_ENTRIES,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // whitespace and syntax only: names stay readable in a stack trace of an internal error
    minifyWhitespace: true,
    minifySyntax: true,
    chunkNames: 'chunk-[hash]',
    legalComments: 'none',
    logLevel: 'warning',
    define: { EPOCHLINT_VERSION: JSON.stringify(version) },
    // commander is CommonJS: its require() of node built-ins needs a real require in an ES module
    banner: {
      js: "import{createRequire as __epochlintRequire}from'node:module';const require=__epochlintRequire(import.meta.url);",
    },
  });
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
