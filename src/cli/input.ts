/**
 * Reading one input (a file or stdin) into the streaming parser. Chunks go to the parser as they
 * arrive, so memory does not grow with the file size; failures become a one-line reason. With
 * `follow`, a file is read like `tail -f`: after its end, new bytes are polled for until stopped.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Epoch, ParseIssue, Run } from '../model/index.js';
import { createParser, type InputFormat, type ParseSummary, type Parser } from '../parse/index.js';

/** Everything read from one input. */
export interface InputResult {
  file: string;
  runs: Run[];
  issues: ParseIssue[];
  summary: ParseSummary | null;
  /** A one-line reason when the input could not be read at all. */
  error: string | null;
}

/** Options of {@link readInput}. */
export interface ReadInputOptions {
  inputFormat: InputFormat;
  stdin: Readable;
  /** Each finished epoch, as soon as the parser has it (live status). */
  onEpoch?: (epoch: Epoch, run: number) => void;
  /** Every chunk as read, unchanged (`--tee`). */
  onChunk?: (chunk: Uint8Array) => void;
  /** Bytes read so far and the file size (null for stdin), for a progress bar. */
  onProgress?: (read: number, total: number | null) => void;
  /** Keep reading a file as it grows until `stop` says so (`--follow`). */
  follow?: boolean;
  /** Polled between chunks: true ends reading (interrupt, `--fail-fast`). */
  stop?: () => boolean;
  /** How often a followed file is polled for new bytes. */
  pollMs?: number;
  /** Aborted on interrupt: a stream that has no data to deliver (idle stdin) is closed at once. */
  signal?: AbortSignal;
  /** Directory a relative `file` is read from (the process's own when unset); `file` stays as named. */
  cwd?: string;
}

const CHUNK_BYTES = 1 << 20;

/** Reads `file` (`-` for stdin) through the parser. Never throws. */
export async function readInput(file: string, options: ReadInputOptions): Promise<InputResult> {
  const runs: Run[] = [];
  const issues: ParseIssue[] = [];
  const result: InputResult = { file, runs, issues, summary: null, error: null };
  let size: number | null = null;
  const path = file === '-' || options.cwd === undefined ? file : resolve(options.cwd, file);
  if (file !== '-') {
    const checked = await checkFile(path);
    if (typeof checked === 'string') return { ...result, error: checked };
    size = checked;
  }
  const parser = createParser({
    file,
    inputFormat: options.inputFormat,
    onRun: (run) => runs.push(run),
    onIssue: (issue) => issues.push(issue),
    ...(options.onEpoch ? { onEpoch: options.onEpoch } : {}),
  });
  const stop = options.stop ?? (() => false);
  let read = 0;
  const take = (chunk: Uint8Array): void => {
    options.onChunk?.(chunk);
    parser.feed(chunk);
    read += chunk.length;
    options.onProgress?.(read, size);
  };
  try {
    if (file !== '-' && options.follow === true) {
      await followFile(path, take, () => stop() || parser.failed(), options.pollMs ?? 250);
    } else {
      const stream = file === '-' ? options.stdin : createReadStream(path, { highWaterMark: CHUNK_BYTES });
      const abort = (): void => {
        stream.destroy();
      };
      options.signal?.addEventListener('abort', abort, { once: true });
      try {
        for await (const chunk of stream) {
          take(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array));
          // /dev/zero or /dev/urandom never end: once the data is known to be unreadable, stop
          if (stop() || parser.failed()) break;
        }
      } catch (error) {
        if (!(options.signal?.aborted ?? false)) throw error;
      } finally {
        options.signal?.removeEventListener('abort', abort);
        if (file !== '-') stream.destroy();
      }
    }
  } catch (error) {
    return { ...result, error: describeError(error) };
  }
  return finish(result, parser);
}

function finish(result: InputResult, parser: Parser): InputResult {
  const summary = parser.end();
  result.summary = summary;
  if (summary.fatal !== null) result.error = summary.fatal;
  return result;
}

/** `tail -f`: read to the end, then poll for growth; a file that shrinks was rewritten: read it again. */
async function followFile(
  file: string,
  take: (chunk: Uint8Array) => void,
  stop: () => boolean,
  pollMs: number,
): Promise<void> {
  const handle = await open(file, 'r');
  try {
    let offset = 0;
    const buffer = Buffer.alloc(CHUNK_BYTES);
    while (!stop()) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
      if (bytesRead > 0) {
        offset += bytesRead;
        take(Buffer.from(buffer.subarray(0, bytesRead)));
        continue;
      }
      const info = await handle.stat();
      if (info.size < offset) offset = 0;
      else await sleep(pollMs);
    }
  } finally {
    await handle.close();
  }
}

async function checkFile(file: string): Promise<number | string> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) return 'is a directory';
    return info.size;
  } catch (error) {
    return describeError(error);
  }
}

function describeError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  switch (code) {
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
    default:
      // Node's messages quote the path again (unbounded): the code says enough
      return typeof code === 'string' ? `cannot be read (${code})` : 'read error';
  }
}
