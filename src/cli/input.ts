/**
 * Reading one input (a file or stdin) into the streaming parser. Chunks go to the parser as they
 * arrive, so memory does not grow with the file size; failures become a one-line reason.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { ParseIssue, Run } from '../model/index.js';
import { createParser, type InputFormat, type ParseSummary } from '../parse/index.js';

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
  /** Called with each finished run as soon as it is complete (for `--follow`-style consumers). */
  onRun?: (run: Run) => void;
}

const CHUNK_BYTES = 1 << 20;

/** Reads `file` (`-` for stdin) through the parser. Never throws. */
export async function readInput(file: string, options: ReadInputOptions): Promise<InputResult> {
  const runs: Run[] = [];
  const issues: ParseIssue[] = [];
  const result: InputResult = { file, runs, issues, summary: null, error: null };
  if (file !== '-') {
    const problem = await checkFile(file);
    if (problem !== null) return { ...result, error: problem };
  }
  const parser = createParser({
    file,
    inputFormat: options.inputFormat,
    onRun: (run) => {
      runs.push(run);
      options.onRun?.(run);
    },
    onIssue: (issue) => issues.push(issue),
  });
  try {
    const stream = file === '-' ? options.stdin : createReadStream(file, { highWaterMark: CHUNK_BYTES });
    for await (const chunk of stream) {
      parser.feed(typeof chunk === 'string' ? chunk : (chunk as Uint8Array));
    }
  } catch (error) {
    return { ...result, error: describeError(error) };
  }
  const summary = parser.end();
  result.summary = summary;
  if (summary.fatal !== null) result.error = summary.fatal;
  return result;
}

async function checkFile(file: string): Promise<string | null> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) return 'is a directory';
    return null;
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
    default:
      return error instanceof Error ? (error.message.split('\n')[0] ?? 'read error') : 'read error';
  }
}
