/**
 * `-o/--output-file`: checked before any input is read, written without ever blocking. The report
 * never overwrites an input (the probe's `-o train.log` destroyed the training log): the output is
 * compared by identity (dev/ino, so a symbolic or hard link to an input is caught too) with every
 * input, before reading and again on the opened descriptor, which is only then truncated. A named
 * pipe is opened non-blocking (no reader: a one-line error at once) and written through an
 * event-driven handle; a device is written in non-blocking writes.
 */
import { ftruncate } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Socket } from 'node:net';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import {
  closeQuietly,
  describeFsError,
  errorCode,
  identity,
  openForWriting,
  wouldBlock,
  writeSome,
  type OpenedFile,
} from './fd.js';

const ftruncateAsync = promisify(ftruncate);

/** Why the output cannot be written, as the tail of `epochlint: <path>: ...`. */
export const OUTPUT_IS_INPUT = 'is also an input: refusing to overwrite it with the report';

/**
 * What the inputs are: identities (`dev:ino`) of those that exist (`-` stands for stdin's, when
 * given), and the resolved paths of all of them (a followed file may not exist yet).
 */
export async function inputIdentities(
  files: readonly string[],
  cwd: string,
  stdinIdentity: string | null,
): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const file of files) {
    if (file === '-') {
      if (stdinIdentity !== null) ids.add(stdinIdentity);
      continue;
    }
    ids.add(`path:${resolve(cwd, file)}`);
    const info = await stat(resolve(cwd, file)).catch(() => null);
    if (info !== null) ids.add(identity(info));
  }
  return ids;
}

/**
 * A one-line problem with the output path, found before reading (null: it can be tried): an empty
 * name, a missing folder, a directory, an input.
 */
export async function checkOutputFile(
  shown: string,
  cwd: string,
  inputs: ReadonlySet<string>,
): Promise<string | null> {
  if (shown.length === 0) return '--output-file: needs a file name';
  const path = resolve(cwd, shown);
  if (inputs.has(`path:${path}`)) return `${shown}: ${OUTPUT_IS_INPUT}`;
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') return `${shown}: ${describeFsError(error, 'write')}`;
    const parent = await stat(dirname(path)).catch(() => null);
    if (parent === null) return `${shown}: no such directory`;
    if (!parent.isDirectory()) return `${shown}: a part of the path is not a directory`;
    return null;
  }
  if (info.isDirectory()) return `${shown}: is a directory`;
  if (inputs.has(identity(info))) return `${shown}: ${OUTPUT_IS_INPUT}`;
  return null;
}

/**
 * Writes `text` to the output file; returns null, or why it failed (one line). Truncates only a
 * regular file that is not an input, after opening it. `signal` abandons a write that waits for a
 * slow pipe reader.
 */
export async function writeOutputFile(
  path: string,
  text: string,
  inputs: ReadonlySet<string>,
  signal?: AbortSignal,
): Promise<string | null> {
  let opened: OpenedFile;
  try {
    opened = await openForWriting(path);
  } catch (error) {
    // the folder exists (checked before reading), yet no file can be made there (/proc, a lost mount)
    if (errorCode(error) === 'ENOENT') return 'no file can be created there';
    return describeFsError(error, 'write');
  }
  const bytes = Buffer.from(text);
  try {
    if (inputs.has(identity(opened.info))) return OUTPUT_IS_INPUT;
    switch (opened.kind) {
      case 'file':
        await ftruncateAsync(opened.fd, 0);
        await writeAll(opened.fd, bytes, signal);
        return null;
      case 'fifo':
        return await writeToPipe(opened, bytes, signal);
      case 'character-device':
        await writeAll(opened.fd, bytes, signal);
        return null;
      default:
        return 'is not a file that can be written';
    }
  } catch (error) {
    return describeFsError(error, 'write');
  } finally {
    // a pipe's socket owns its descriptor and closed it
    if (opened.kind !== 'fifo') await closeQuietly(opened.fd);
  }
}

/** Every byte, retrying a device that is not ready (`EAGAIN`) until `signal` is aborted. */
async function writeAll(fd: number, bytes: Uint8Array, signal: AbortSignal | undefined): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += await writeSome(fd, bytes, offset);
    } catch (error) {
      if (!wouldBlock(error) || signal?.aborted === true) throw error;
      await sleep(20, undefined, signal ? { signal } : {}).catch(() => undefined);
    }
  }
}

/** A named pipe with a reader, written through an event-driven handle (never a pool thread). */
function writeToPipe(
  opened: OpenedFile,
  bytes: Uint8Array,
  signal: AbortSignal | undefined,
): Promise<string | null> {
  return new Promise((done) => {
    const socket = new Socket({ fd: opened.fd, readable: false, writable: true });
    const abort = (): void => {
      socket.destroy();
      done('interrupted before the report was written');
    };
    signal?.addEventListener('abort', abort, { once: true });
    socket.on('error', (error) => {
      signal?.removeEventListener('abort', abort);
      socket.destroy();
      done(describeFsError(error, 'write'));
    });
    socket.end(bytes, () => {
      signal?.removeEventListener('abort', abort);
      socket.destroy();
      done(null);
    });
  });
}

/** A report file written as the report is printed (a sweep's report is never held whole). */
export interface OutputSink {
  /** Appends `text`; null, or why it failed (one line). */
  write(text: string): Promise<string | null>;
  /** Ends the file; null, or why it failed. */
  close(): Promise<string | null>;
}

/**
 * Opens the output file for {@link OutputSink} writes: the same checks as {@link writeOutputFile} (never
 * an input, by identity on the opened descriptor; a regular file truncated only then; a pipe through
 * an event-driven handle). Returns the sink, or why it cannot be written.
 */
export async function openOutputFile(
  path: string,
  inputs: ReadonlySet<string>,
  signal?: AbortSignal,
): Promise<OutputSink | string> {
  let opened: OpenedFile;
  try {
    opened = await openForWriting(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return 'no file can be created there';
    return describeFsError(error, 'write');
  }
  const { fd, kind } = opened;
  const refuse = async (problem: string): Promise<string> => {
    await closeQuietly(fd);
    return problem;
  };
  if (inputs.has(identity(opened.info))) return refuse(OUTPUT_IS_INPUT);
  if (kind === 'file') {
    try {
      await ftruncateAsync(fd, 0);
    } catch (error) {
      return refuse(describeFsError(error, 'write'));
    }
  } else if (kind !== 'fifo' && kind !== 'character-device')
    return refuse('is not a file that can be written');
  if (kind === 'fifo') return pipeSink(opened, signal);
  let failed: string | null = null;
  return {
    write: async (text) => {
      if (failed !== null) return failed;
      try {
        await writeAll(fd, Buffer.from(text), signal);
        return null;
      } catch (error) {
        failed = describeFsError(error, 'write');
        return failed;
      }
    },
    close: async () => {
      await closeQuietly(fd);
      return failed;
    },
  };
}

/** A named pipe with a reader as a sink: writes wait for the reader (never a pool thread). */
function pipeSink(opened: OpenedFile, signal: AbortSignal | undefined): OutputSink {
  const socket = new Socket({ fd: opened.fd, readable: false, writable: true });
  let failed: string | null = null;
  socket.on('error', (error) => {
    failed ??= describeFsError(error, 'write');
    socket.destroy();
  });
  const abort = (): void => {
    failed ??= 'interrupted before the report was written';
    socket.destroy();
  };
  signal?.addEventListener('abort', abort, { once: true });
  return {
    write: (text) =>
      new Promise((done) => {
        if (failed !== null || socket.destroyed) {
          done(failed ?? 'the reader of the pipe went away');
          return;
        }
        socket.write(text, (error) => done(error ? (failed ?? describeFsError(error, 'write')) : null));
      }),
    close: () =>
      new Promise((done) => {
        signal?.removeEventListener('abort', abort);
        if (socket.destroyed) {
          done(failed);
          return;
        }
        socket.end(() => {
          socket.destroy();
          done(failed);
        });
      }),
  };
}
