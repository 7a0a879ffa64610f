/**
 * Builds the command line from the current sources before the tests run (esbuild, under a second),
 * into a temporary folder laid out like an install: `bin/epochlint.js`, `dist/bundle/`, `package.json` and
 * `node_modules` (a link to the checkout's).
 * The few spawned tests run that binary, and in-process sweeps use its lint worker, so `npm test` never
 * needs `npm run build` and never runs a stale `dist/`.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { buildBundle } from '../bin/build.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder of the freshly built command line. */
    cliRoot: string;
  }
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export default async function setup(project: TestProject): Promise<() => void> {
  const folder = mkdtempSync(join(tmpdir(), 'epochlint-cli-'));
  await buildBundle(join(folder, 'dist', 'bundle'));
  mkdirSync(join(folder, 'bin'));
  copyFileSync(join(ROOT, 'bin', 'epochlint.js'), join(folder, 'bin', 'epochlint.js'));
  copyFileSync(join(ROOT, 'package.json'), join(folder, 'package.json'));
  // what the bundle loads at run time rather than bundling (the protobuf reader of tfevents files)
  symlinkSync(join(ROOT, 'node_modules'), join(folder, 'node_modules'), 'dir');
  project.provide('cliRoot', folder);
  return () => rmSync(folder, { recursive: true, force: true });
}
