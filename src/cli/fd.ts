/**
 * Opening inputs and outputs without ever blocking. A plain `open()` of a named pipe waits in the
 * libuv thread pool for the other end, and a process cannot exit while a pool thread is stuck: the
 * probe's FIFO input, FIFO `-o` and FIFO `--config` ignored Ctrl-C and SIGTERM. So everything is opened
 * with `O_NONBLOCK` (a no-op for regular files) and classified by `fstat` of the descriptor itself,
 * which also closes the window between checking a path and opening it.
 */
import {
  close,
  closeSync,
  constants,
  fstat,
  fstatSync,
  open,
  openSync,
  read,
  write,
  type Stats,
} from 'node:fs';
import { promisify } from 'node:util';

const openAsync = promisify(open);
const fstatAsync = promisify(fstat);
const closeAsync = promisify(close);

/** What an opened path is, as far as reading or writing it goes. */
export type FileKind =
  'file' | 'directory' | 'fifo' | 'character-device' | 'block-device' | 'socket' | 'other';

/** The kind of a file from its stats. */
export function kindOf(info: Stats): FileKind {
  if (info.isFile()) return 'file';
  if (info.isDirectory()) return 'directory';
  if (info.isFIFO()) return 'fifo';
  if (info.isCharacterDevice()) return 'character-device';
  if (info.isBlockDevice()) return 'block-device';
  if (info.isSocket()) return 'socket';
  return 'other';
}

/** How a kind is named in a one-line error (`is a named pipe`). */
export const KIND_NAME: Record<FileKind, string> = {
  file: 'a regular file',
  directory: 'a directory',
  fifo: 'a named pipe',
  'character-device': 'a character device',
  'block-device': 'a block device',
  socket: 'a socket',
  other: 'not a regular file',
};

/** An open descriptor with what it is. */
export interface OpenedFile {
  fd: number;
  info: Stats;
  kind: FileKind;
}

/** `O_NOCTTY`: opening a terminal device must not make it the controlling terminal. */
const NO_BLOCK = constants.O_NONBLOCK | (constants.O_NOCTTY ?? 0);

/** Opens `path` for reading without blocking, and says what it is. Throws the fs error. */
export function openForReading(path: string): OpenedFile {
  // opened and classified on this thread: with O_NONBLOCK neither call waits (a named pipe opens at
  // once), and two round trips through the libuv pool per input, with those of a small file's reads
  // (input.ts), were a tenth of a sweep of small logs on two cores, whose pool threads wait for a core
  // the lint workers hold
  const fd = openSync(path, constants.O_RDONLY | NO_BLOCK);
  try {
    const info = fstatSync(fd);
    return { fd, info, kind: kindOf(info) };
  } catch (error) {
    closeQuietlySync(fd);
    throw error;
  }
}

/**
 * Opens `path` for writing without blocking and without truncating it (the caller checks the
 * descriptor before it destroys anything). A named pipe with no reader fails with `ENXIO` at once.
 */
export async function openForWriting(path: string): Promise<OpenedFile> {
  const fd = await openAsync(path, constants.O_WRONLY | constants.O_CREAT | NO_BLOCK, 0o666);
  try {
    const info = await fstatAsync(fd);
    return { fd, info, kind: kindOf(info) };
  } catch (error) {
    await closeQuietly(fd);
    throw error;
  }
}

/** Closes a descriptor, ignoring errors (it is being abandoned). */
export async function closeQuietly(fd: number): Promise<void> {
  await closeAsync(fd).catch(() => undefined);
}

/** {@link closeQuietly} on this thread. */
export function closeQuietlySync(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // abandoned: nothing to do about a descriptor that does not close
  }
}

/** `read(2)` at `position` (null: the current position); resolves the byte count. */
export function readAt(
  fd: number,
  buffer: Uint8Array,
  length: number,
  position: number | null,
): Promise<number> {
  return new Promise((resolve, reject) => {
    read(fd, buffer, 0, length, position, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead)));
  });
}

/** `write(2)` at the current position; resolves the byte count written. */
export function writeSome(fd: number, buffer: Uint8Array, offset: number): Promise<number> {
  return new Promise((resolve, reject) => {
    write(fd, buffer, offset, buffer.length - offset, null, (error, written) =>
      error ? reject(error) : resolve(written),
    );
  });
}

/** The stats of an open descriptor. */
export function statOf(fd: number): Promise<Stats> {
  return fstatAsync(fd);
}

/** `dev:ino`: what makes two paths the same file. */
export function identity(info: Pick<Stats, 'dev' | 'ino'>): string {
  return `${info.dev}:${info.ino}`;
}

/** The error code of a thrown fs error, if any. */
export function errorCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

/** Whether a non-blocking call only said "not now" (`EAGAIN`/`EWOULDBLOCK`). */
export function wouldBlock(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'EAGAIN' || code === 'EWOULDBLOCK';
}

/** A one-line reason for an fs error (the message of Node repeats the path, unbounded). */
export function describeFsError(error: unknown, action: 'read' | 'write' = 'read'): string {
  switch (errorCode(error)) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENAMETOOLONG':
      return 'file name too long';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'EIO':
      return 'input/output error';
    case 'ENXIO':
      return 'no process is reading this named pipe (or it is a socket)';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EROFS':
      return 'read-only file system';
    case 'EPIPE':
      return 'the reader went away before the end';
    case 'ETXTBSY':
      return 'text file busy';
    default: {
      const code = errorCode(error);
      const what = action === 'read' ? 'cannot be read' : 'cannot be written';
      return code === null ? `${what}` : `${what} (${code})`;
    }
  }
}
