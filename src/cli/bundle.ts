/**
 * The entry point of the command-line bundle (`bin/build.mjs`): the CLI, and the lint worker, which is
 * loaded only in a worker thread (everything past the program is evaluated on first use).
 */
export { main, run } from './main.js';

/** Starts a sweep's worker thread (`lint-worker.cjs` of the build calls it). */
export async function startLintWorker(): Promise<void> {
  (await import('./lint-worker.js')).startLintWorker();
}
