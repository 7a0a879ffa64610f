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
  port.on('message', (message: WorkerRequest) => {
    if (message.kind === 'interrupt') {
      controller.abort();
      return;
    }
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
      });
  });
}
