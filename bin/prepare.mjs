#!/usr/bin/env node
/**
 * `prepare`: builds dist/ in a checkout, for every way of installing from one: `npm install` in a clone,
 * `npm install --global ./epochlint` (which links the folder without installing its devDependencies, so
 * the TypeScript compiler is not there yet: this installs them first), and `npm pack`. An install from the
 * registry or from a packed tarball never runs it: the package ships dist/. The build itself is
 * `bin/build.mjs` (the library by tsc, the command line bundled by esbuild).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(new URL('../package.json', import.meta.url));

/** Whether the build tools (the TypeScript compiler and esbuild) are installed. */
function buildTools() {
  try {
    require.resolve('typescript/bin/tsc');
    require.resolve('esbuild');
    return true;
  } catch {
    return false;
  }
}

/**
 * The settings npm hands its scripts that would turn the nested install into a global one, or into one
 * somewhere else, or one without devDependencies; the rest (registry, cache, proxy) is kept.
 */
const REDIRECTING =
  /^npm_config_(global|location|prefix|omit|include|production|only|install_links|save.*|package_lock_only|dry_run|ignore_scripts)$/i;

function fail(message) {
  process.stderr.write(`epochlint prepare: ${message}\n`);
  process.exit(1);
}

if (!buildTools()) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !REDIRECTING.test(key)));
  const fresh = !existsSync(new URL('../node_modules', import.meta.url));
  // exactly the lockfile's versions in a fresh checkout; --ignore-scripts: this script is not run again
  const args = [
    fresh ? 'ci' : 'install',
    '--include=dev',
    '--ignore-scripts',
    '--no-audit',
    '--no-fund',
    ...(fresh ? [] : ['--no-save']),
  ];
  const npm = process.env.npm_execpath;
  const result =
    npm !== undefined && npm.endsWith('.js')
      ? spawnSync(process.execPath, [npm, ...args], { cwd: root, env, stdio: 'inherit' })
      : spawnSync('npm', args, { cwd: root, env, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) fail(`installing the build tools failed (npm ${args.join(' ')})`);
}
if (!buildTools()) fail('the build tools are still missing after installing the devDependencies');
const build = spawnSync(process.execPath, [fileURLToPath(new URL('./build.mjs', import.meta.url))], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) fail('the build failed (node bin/build.mjs)');
