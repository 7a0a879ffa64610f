/**
 * The worker threads of a sweep (`--jobs N`): each lints one file at a time (`lint-worker.ts`), the
 * pool hands the next file to the first idle worker, and {@link inOrder} gives the outcomes back in the
 * order of the inputs while a bounded number of files is linted ahead. So the output has the same bytes
 * as with one worker, and memory holds a few files' results, never the sweep's.
 */
import { Worker } from 'node:worker_threads';
import type { FileJob, FileOutcome, FilePlan } from './lint-file.js';
import type { InterruptSignal } from './signals.js';

/** What a worker starts with. */
export interface WorkerData {
  plan: FilePlan;
  cwd: string;
  /** One Int32: 0, or the interrupt (1 SIGINT, 2 SIGTERM); polled between chunks. */
  interrupt: SharedArrayBuffer;
  /** Whether to post the bytes read of a file (a progress bar on a terminal). */
  progress: boolean;
}

/** Main thread → worker. */
export type WorkerRequest = { kind: 'lint'; id: number; job: FileJob } | { kind: 'interrupt' };

/** Worker → main thread. */
export type WorkerReply =
  | { kind: 'outcome'; id: number; outcome: FileOutcome }
  | { kind: 'progress'; id: number; read: number; total: number | null };

/**
 * The heap of one lint worker. V8 sizes a worker's heap like a process's (young generation up to 48 MB,
 * old generation up to 4 GB) and grows it long before it collects: two workers beside the main thread
 * took a sweep of 2,000 small logs to 275 MB. A small young generation and an old one that fits the
 * largest input the parser keeps ({@link PARSE_LIMITS}) hold a sweep near one lint's memory per worker.
 */
export const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 160 };

const SIGNAL_CODES: Record<InterruptSignal, number> = { SIGINT: 1, SIGTERM: 2 };

/**
 * The outcome of a file whose lint threw (a bug, never bad input): failed, with the error in its report and
 * one message, wherever it ran (a worker, or the main thread reading stdin during a sweep).
 */
export function internalErrorOutcome(name: string, error: unknown): FileOutcome {
  return failedOutcome(name, `internal error: ${error instanceof Error ? error.message : String(error)}`);
}

/** The outcome of a file whose lint needed more heap than a worker has ({@link WORKER_LIMITS}). */
export function outOfMemoryOutcome(name: string, heapMb: number): FileOutcome {
  return failedOutcome(
    name,
    `needs more than the ${heapMb} MB of memory a lint worker has: not linted; lint it with --jobs 1`,
  );
}

/** A file that was not linted: its report holds only the error, with one message naming the file. */
function failedOutcome(name: string, message: string): FileOutcome {
  return {
    name,
    report: {
      file: name,
      format: null,
      runs: [],
      findings: [],
      diagnoses: [],
      contexts: [],
      issues: [],
      error: message,
    },
    skipped: false,
    failed: true,
    cut: false,
    messages: [`${name}: ${message}`],
  };
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

/** The interrupt recorded in the shared flag, or null. */
export function interruptOf(flag: Int32Array): InterruptSignal | null {
  const code = Atomics.load(flag, 0);
  return code === 1 ? 'SIGINT' : code === 2 ? 'SIGTERM' : null;
}

/** Options of {@link createLintPool}. */
export interface PoolOptions {
  /** Worker threads to start. */
  size: number;
  /** The worker's module (`lint-worker.js` of the build). */
  script: URL | string;
  plan: FilePlan;
  cwd: string;
  progress: boolean;
  /** The old generation of each worker's heap, in MB (default {@link WORKER_LIMITS}). */
  heapMb?: number;
}

/** A set of lint workers. */
export interface LintPool {
  /** Lints `job` on the first idle worker; `onProgress` hears the bytes read. */
  lint(job: FileJob, onProgress?: (read: number, total: number | null) => void): Promise<FileOutcome>;
  /** Tells every worker to stop reading: the files in progress end with what was read. */
  interrupt(signal: InterruptSignal): void;
  /** Ends the workers. */
  close(): Promise<void>;
}

interface Task {
  id: number;
  job: FileJob;
  onProgress: ((read: number, total: number | null) => void) | undefined;
  resolve(outcome: FileOutcome): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker | null;
  /** The files sent to the worker, in the order it lints them: the first is the one under way. */
  tasks: Task[];
  alive: boolean;
}

/**
 * Files a worker holds at once: the one it lints and the next, so it starts that one as soon as it posts
 * an outcome instead of waiting for the main thread (busy printing, or off the core) to send it one.
 */
const TASKS_PER_WORKER = 2;

/** Starts `size` workers (they load the lint code once each, in parallel with the main thread). */
export function createLintPool(options: PoolOptions): LintPool {
  const interrupt = new SharedArrayBuffer(4);
  const flag = new Int32Array(interrupt);
  const data: WorkerData = { plan: options.plan, cwd: options.cwd, interrupt, progress: options.progress };
  const queue: Task[] = [];
  const slots: Slot[] = [];
  let nextId = 0;
  let closed = false;
  const limits = {
    ...WORKER_LIMITS,
    maxOldGenerationSizeMb: options.heapMb ?? WORKER_LIMITS.maxOldGenerationSizeMb,
  };

  const dispatch = (): void => {
    // every worker gets a file before any gets a second
    for (let depth = 1; depth <= TASKS_PER_WORKER; depth += 1) {
      for (const slot of slots) {
        if (!slot.alive || slot.tasks.length >= depth) continue;
        const task = queue.shift();
        if (task === undefined) return;
        slot.tasks.push(task);
        const request: WorkerRequest = { kind: 'lint', id: task.id, job: task.job };
        slot.worker?.postMessage(request);
      }
    }
    if (queue.length > 0 && !slots.some((s) => s.alive)) {
      // every worker died: what is left cannot be linted
      for (const task of queue.splice(0)) task.reject(new Error('the lint workers stopped'));
    }
  };

  const fail = (slot: Slot, error: Error): void => {
    slot.alive = false;
    for (const task of slot.tasks.splice(0)) task.reject(error);
    dispatch();
  };

  /** Starts the worker of `slot` (again, after one ran out of its heap). */
  const start = (slot: Slot): void => {
    const worker = new Worker(options.script, { workerData: data, resourceLimits: limits });
    slot.worker = worker;
    slot.alive = true;
    worker.on('message', (reply: WorkerReply) => {
      const at = slot.tasks.findIndex((t) => t.id === reply.id);
      const task = slot.tasks[at];
      if (task === undefined) return;
      if (reply.kind === 'progress') {
        task.onProgress?.(reply.read, reply.total);
        return;
      }
      slot.tasks.splice(at, 1);
      task.resolve(reply.outcome);
      dispatch();
    });
    worker.on('error', (error) => {
      if (slot.worker !== worker) return;
      const task = slot.tasks[0];
      if (errorCode(error) !== 'ERR_WORKER_OUT_OF_MEMORY' || task === undefined || closed) {
        fail(slot, error);
        return;
      }
      // one file too large for a worker's heap: that file fails with one line, the sweep goes on; the
      // files sent after it go back to the front of the queue for the new worker (or another)
      const waiting = slot.tasks.splice(0).slice(1);
      task.resolve(outOfMemoryOutcome(task.job.file, limits.maxOldGenerationSizeMb));
      queue.unshift(...waiting);
      start(slot);
      dispatch();
    });
    worker.on('exit', (code) => {
      if (!closed && slot.worker === worker) fail(slot, new Error(`a lint worker exited with code ${code}`));
    });
  };

  for (let i = 0; i < options.size; i += 1) {
    const slot: Slot = { worker: null, tasks: [], alive: false };
    start(slot);
    slots.push(slot);
  }

  return {
    lint: (job, onProgress) =>
      new Promise<FileOutcome>((resolve, reject) => {
        queue.push({ id: nextId++, job, onProgress, resolve, reject });
        dispatch();
      }),
    interrupt: (signal) => {
      Atomics.store(flag, 0, SIGNAL_CODES[signal]);
      const request: WorkerRequest = { kind: 'interrupt' };
      for (const slot of slots) if (slot.alive) slot.worker?.postMessage(request);
    },
    close: async () => {
      closed = true;
      for (const task of queue.splice(0)) task.reject(new Error('the lint pool was closed'));
      await Promise.all(slots.map((slot) => slot.worker?.terminate() ?? Promise.resolve(0)));
    },
  };
}

/**
 * Runs `start` on each item, at most `ahead` of them started before the one being waited for, and
 * yields the results in the order of the items. `stop` is asked before each start.
 */
export async function* inOrder<T, R>(
  items: readonly T[],
  ahead: number,
  start: (item: T) => Promise<R>,
  stop: () => boolean = () => false,
): AsyncGenerator<R> {
  const started: Array<Promise<R>> = [];
  let next = 0;
  const fill = (): void => {
    while (next < items.length && started.length < ahead && !stop()) {
      const item = items[next] as T;
      next += 1;
      const promise = start(item);
      // a rejection is handled when its turn comes; until then it must not count as unhandled
      promise.catch(() => undefined);
      started.push(promise);
    }
  };
  fill();
  while (started.length > 0) {
    const head = started.shift() as Promise<R>;
    const result = await head;
    fill();
    yield result;
  }
}
