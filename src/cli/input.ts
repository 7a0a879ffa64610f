/**
 * Reading one input (a file or stdin) into the streaming parser. Chunks go to the parser as they
 * arrive, so memory does not grow with the file size; failures become a one-line reason.
 *
 * Every file is opened without blocking and read according to what it is: a regular file in chunks
 * (with `follow`, like `tail -F`, see `follow.ts`), a named pipe as a stream (on an event-driven
 * handle, so an interrupt ends it at once even when no writer ever comes), a character device in
 * bounded non-blocking reads (`/dev/urandom` has no end); directories, block devices and sockets are
 * refused with one line.
 */
import { readSync } from 'node:fs';
import { Socket } from 'node:net';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Epoch, ParseIssue, Run } from '../model/index.js';
import { createParser, type InputFormat, type ParseSummary, type Parser } from '../parse/index.js';
import {
  KIND_NAME,
  closeQuietly,
  closeQuietlySync,
  describeFsError,
  errorCode,
  openForReading,
  readAt,
  wouldBlock,
  type OpenedFile,
} from './fd.js';
import type { FollowNoticeKind } from './follow.js';
import { reclaim } from './reclaim.js';

/** The reading loop offers a collection every 2^22 bytes (4 MiB) read… */
const RECLAIM_SHIFT = 22;
/** …taken when the heap has grown by 16 MB and by half of what was live after the last one. */
const RECLAIM_FACTOR = 1.5;

/** Everything read from one input. */
export interface InputResult {
  file: string;
  runs: Run[];
  issues: ParseIssue[];
  summary: ParseSummary | null;
  /** A one-line reason when the input could not be read at all. */
  error: string | null;
  /** Reading ended because `stop` said so (or the signal was aborted) before the input ended. */
  stopped: boolean;
}

/** Something that happened to the input while it was read (`--follow`), as it happened. */
export interface InputNotice {
  kind: FollowNoticeKind;
  /** The line of the parsed stream where the new content starts (null: before any). */
  line: number | null;
  message: string;
}

/** Options of {@link readInput}. */
export interface ReadInputOptions {
  inputFormat: InputFormat;
  stdin: Readable;
  /** Each finished epoch, as soon as the parser has it (live status). */
  onEpoch?: (epoch: Epoch, run: number) => void;
  /** Every chunk as read, unchanged (`--tee`); valid only during the call (copy what is kept). */
  onChunk?: (chunk: Uint8Array) => void;
  /** Bytes read so far and the file size (null for stdin), for a progress bar. */
  onProgress?: (read: number, total: number | null) => void;
  /**
   * A followed file was rotated, truncated, rewritten or removed, or does not exist yet. The changes
   * are also kept in `issues` (kinds `file-replaced`, `file-truncated`).
   */
  onNotice?: (notice: InputNotice) => void;
  /** Keep reading a file as it grows until `stop` says so (`--follow`). */
  follow?: boolean;
  /** Polled between chunks: true ends reading (interrupt, `--fail-fast`). */
  stop?: () => boolean;
  /** How often a followed file (or an idle device) is polled for new bytes. */
  pollMs?: number;
  /** Aborted on interrupt: a stream that has no data to deliver (idle stdin, a pipe) is closed at once. */
  signal?: AbortSignal;
  /** Directory a relative `file` is read from (the process's own when unset); `file` stays as named. */
  cwd?: string;
  /**
   * `--metric` names: what a bare list of values is called, given to the parser so every record (and
   * the live status line) carries the name from the start.
   */
  metricNames?: readonly string[];
}

const CHUNK_BYTES = 1 << 20;
/** Regular files shorter than this are read on this thread (see {@link readFile}). */
const SYNC_READ_BYTES = 1 << 20;
/** A character device never ends (`/dev/urandom`, a terminal left open): reading stops at this size. */
export const MAX_DEVICE_BYTES = 64 << 20;

/** Reads `file` (`-` for stdin) through the parser. Never throws. */
export async function readInput(file: string, options: ReadInputOptions): Promise<InputResult> {
  const runs: Run[] = [];
  const issues: ParseIssue[] = [];
  const result: InputResult = { file, runs, issues, summary: null, error: null, stopped: false };
  const path = file === '-' || options.cwd === undefined ? file : resolve(options.cwd, file);
  const stop = options.stop ?? (() => false);
  const follow = options.follow === true;
  let opened: OpenedFile | null = null;
  if (file !== '-') {
    try {
      opened = openForReading(path);
    } catch (error) {
      // `--follow` on a file that does not exist yet waits for it, like `tail -F`
      if (!(follow && errorCode(error) === 'ENOENT')) return { ...result, error: describeFsError(error) };
    }
    const refusal = opened === null ? null : refuse(opened);
    if (refusal !== null) {
      if (opened !== null) await closeQuietly(opened.fd);
      return { ...result, error: refusal };
    }
  }

  const newParser = (): Parser =>
    createParser({
      file,
      inputFormat: options.inputFormat,
      ...(options.metricNames === undefined ? {} : { metricNames: options.metricNames }),
      onRun: (run) => runs.push(run),
      onIssue: (issue) => issues.push(issue),
      ...(options.onEpoch ? { onEpoch: options.onEpoch } : {}),
    });
  let parser = newParser();
  const size = opened?.kind === 'file' && !follow ? opened.info.size : null;
  let read = 0;
  /** Line breaks fed since the parser started (followed files only: notices carry a line). */
  let lineBreaks = 0;
  const take = (chunk: Uint8Array): void => {
    options.onChunk?.(chunk);
    parser.feed(chunk);
    // text the reader has dropped (a long line without records, frames drawn over) is garbage V8 lets
    // pile up in the old generation: a 200 MB line of random text peaked at 240 MB with 30 MB live
    if ((read + chunk.length) >>> RECLAIM_SHIFT !== read >>> RECLAIM_SHIFT) reclaim(RECLAIM_FACTOR);
    read += chunk.length;
    if (follow) {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lineBreaks += 1;
    }
    options.onProgress?.(read, size);
  };
  const notice = (kind: FollowNoticeKind, message: string, restart: boolean): void => {
    const line = read === 0 ? null : lineBreaks + 1;
    if (kind !== 'waiting-for-file') issues.push({ kind, line, message: `the followed file ${message}` });
    options.onNotice?.({ kind, line, message });
    // a JSON or CSV document that was rewritten is parsed anew: the old one was replaced, not continued
    // (so is a head whose format was not decided yet: its bytes were replaced before they were read)
    if (restart && parser.readsWhole() !== false) {
      parser = newParser();
      lineBreaks = 0;
    }
  };
  const stopReading = (): boolean => stop() || parser.failed();

  try {
    if (file === '-') {
      result.stopped = await readStream(options.stdin, take, stopReading, options.signal, false);
    } else if (opened === null || (opened.kind === 'file' && follow)) {
      // loaded when followed only: it needs node:crypto, whose load is ~2 ms of every other lint
      const { followFile } = await import('./follow.js');
      await followFile({
        path,
        opened,
        take,
        notice,
        stop: stopReading,
        pollMs: options.pollMs ?? 250,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      result.stopped = stop();
    } else if (opened.kind === 'file') {
      result.stopped = await readFile(opened.fd, opened.info.size, take, stopReading, options.signal);
    } else if (opened.kind === 'fifo') {
      // an event-driven pipe handle: waiting for a writer or for data never occupies a pool thread
      const stream = new Socket({ fd: opened.fd, readable: true, writable: false });
      result.stopped = await readStream(stream, take, stopReading, options.signal, true);
    } else {
      const outcome = await readDevice(opened.fd, take, stopReading, options);
      if (outcome === 'too-long') {
        return {
          ...result,
          error: `a character device that gave more than ${MAX_DEVICE_BYTES >> 20} MiB without an end; not a log file (pipe it in if it is one)`,
        };
      }
      result.stopped = outcome === 'stopped';
    }
  } catch (error) {
    return { ...result, error: describeFsError(error) };
  }
  result.stopped = result.stopped && !parser.failed();
  // stopped before a single byte came (a pipe nobody wrote to): not an "empty input", just unread
  if (result.stopped && read === 0) {
    result.summary = { dialect: null, runs: 0, epochs: 0, fatal: null };
    return result;
  }
  return finish(result, parser);
}

/** Why a kind of file is not read (null: it is). */
function refuse(opened: OpenedFile): string | null {
  switch (opened.kind) {
    case 'file':
    case 'fifo':
    case 'character-device':
      return null;
    case 'directory':
      return 'is a directory';
    default:
      return `is ${KIND_NAME[opened.kind]}, not a log file`;
  }
}

/**
 * Reads a stream to its end or until `stop`; an aborted `signal` destroys it at once (an idle pipe
 * delivers nothing to poll `stop` on). True when reading stopped before the end.
 */
async function readStream(
  stream: Readable,
  take: (chunk: Uint8Array) => void,
  stop: () => boolean,
  signal: AbortSignal | undefined,
  owned: boolean,
): Promise<boolean> {
  let stopped = false;
  const abort = (): void => {
    stopped = true;
    stream.destroy();
  };
  if (signal?.aborted === true) abort();
  signal?.addEventListener('abort', abort, { once: true });
  try {
    for await (const chunk of stream) {
      take(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array));
      // /dev/zero or /dev/urandom never end: once the data is known to be unreadable, stop
      if (stop()) {
        stopped = true;
        break;
      }
    }
  } catch (error) {
    if (!stopped) throw error;
  } finally {
    signal?.removeEventListener('abort', abort);
    if (owned) stream.destroy();
  }
  return stopped;
}

/**
 * Reads a regular file into two buffers in turn: while `take` parses one chunk, the next is read into
 * the other (the read waits in the thread pool, not in the parse). `take` sees each chunk only while
 * it runs; whatever keeps bytes copies them. A stream's fresh 1 MiB chunk per read piled up outside the
 * heap until V8 collected them: the 520 MB bench log peaked 25 MB higher that way, and read slower.
 * A file under {@link SYNC_READ_BYTES} is read on this thread instead. Resolves true when reading stopped
 * before the end.
 */
async function readFile(
  fd: number,
  size: number,
  take: (chunk: Uint8Array) => void,
  stop: () => boolean,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  // a small file gets small buffers: a sweep of 20,000 logs must not allocate 40 GB of chunks
  const length = Math.min(CHUNK_BYTES, Math.max(16 * 1024, size + 1));
  let position = 0;
  let pending: Promise<number> | null = null;
  try {
    if (size < SYNC_READ_BYTES) {
      // A small file is read on this thread: a read of the page cache is shorter than the trip through
      // the libuv pool, whose threads wait for a core on a busy machine (a sweep of 1000 small logs on
      // two cores: --jobs 2 4.34 -> 3.83 s, --jobs 1 6.81 -> 6.12 s). One that grows past the bound while
      // it is read (a training writing it) goes on below, where an interrupt is heard between reads.
      const buffer = Buffer.allocUnsafe(length);
      while (position < SYNC_READ_BYTES) {
        const n = readSync(fd, buffer, 0, length, position);
        if (n === 0) return false;
        position += n;
        if (signal?.aborted === true) return true;
        take(buffer.subarray(0, n));
        if (stop()) return true;
      }
    }
    // a long file: the next read under way while the parser takes the last
    let current = Buffer.allocUnsafe(length);
    let next = Buffer.allocUnsafe(length);
    pending = readAt(fd, current, length, position);
    for (;;) {
      const n = await pending;
      pending = null;
      if (n === 0) return false;
      position += n;
      if (signal?.aborted === true) return true;
      pending = readAt(fd, next, length, position);
      take(current.subarray(0, n));
      if (stop()) return true;
      [current, next] = [next, current];
    }
  } finally {
    // the read under way finishes before its descriptor closes
    await pending?.catch(() => 0);
    closeQuietlySync(fd);
  }
}

/** Non-blocking reads of a character device: `EAGAIN` waits a poll; a device that never ends is cut. */
async function readDevice(
  fd: number,
  take: (chunk: Uint8Array) => void,
  stop: () => boolean,
  options: ReadInputOptions,
): Promise<'end' | 'stopped' | 'too-long'> {
  const buffer = Buffer.alloc(64 * 1024);
  let total = 0;
  try {
    for (;;) {
      if (stop() || options.signal?.aborted === true) return 'stopped';
      let n: number;
      try {
        n = await readAt(fd, buffer, buffer.length, null);
      } catch (error) {
        if (!wouldBlock(error)) throw error;
        try {
          await sleep(options.pollMs ?? 50, undefined, options.signal ? { signal: options.signal } : {});
        } catch {
          // aborted: the next turn stops
        }
        continue;
      }
      if (n === 0) return 'end';
      take(Buffer.from(buffer.subarray(0, n)));
      total += n;
      if (total > MAX_DEVICE_BYTES) return 'too-long';
    }
  } finally {
    await closeQuietly(fd);
  }
}

function finish(result: InputResult, parser: Parser): InputResult {
  const summary = parser.end();
  result.summary = summary;
  if (summary.fatal !== null) result.error = summary.fatal;
  return result;
}
