/**
 * A worker thread of a sweep (`--jobs N`): lints the files the main thread sends it, one at a time, and
 * posts each outcome back. The main thread prints them in the order of the inputs. An interrupt reaches
 * it twice: as a flag in shared memory (polled between chunks) and as a message that aborts a read
 * waiting for data. The build's `lint-worker.cjs` loads the bundle and calls {@link startLintWorker}.
 */
import { Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { lintFile } from './lint-file.js';
import type { WorkerData, WorkerReply, WorkerRequest } from './pool.js';
import { internalErrorOutcome, interruptOf } from './pool.js';

/** Serves the main thread's requests until it ends the worker. */
export function startLintWorker(): void {
  const port = parentPort;
  if (port === null) throw new Error('the lint worker runs as a worker thread of epochlint');
  const data = workerData as WorkerData;
  const flag = new Int32Array(data.interrupt);
  const controller = new AbortController();
  // a worker never reads stdin (the main thread lints `-` itself)
  const noStdin = Readable.from([]);
  // files are linted one at a time, in the order they came: the main thread sends the next before the
  // current one is done, so a worker never waits for it between two files
  const waiting: Array<Extract<WorkerRequest, { kind: 'lint' }>> = [];
  let busy = false;
  const next = (): void => {
    const message = waiting.shift();
    if (message === undefined) {
      busy = false;
      return;
    }
    busy = true;
    const { id, job } = message;
    const progress = (read: number, total: number | null): void => {
      const reply: WorkerReply = { kind: 'progress', id, read, total };
      port.postMessage(reply);
    };
    lintFile(job, data.plan, {
      cwd: data.cwd,
      stdin: noStdin,
      stop: () => interruptOf(flag) !== null,
      interruption: () => interruptOf(flag),
      signal: controller.signal,
      ...(data.progress ? { onProgress: progress } : {}),
    })
      .catch((error: unknown) => internalErrorOutcome(job.file, error))
      .then((outcome) => {
        const reply: WorkerReply = { kind: 'outcome', id, outcome };
        port.postMessage(reply);
      })
      .catch(() => {
        // the main thread is gone: nothing is left to tell
      })
      .finally(next);
  };
  port.on('message', (message: WorkerRequest) => {
    if (message.kind === 'interrupt') {
      controller.abort();
      return;
    }
    waiting.push(message);
    if (!busy) next();
  });
}
