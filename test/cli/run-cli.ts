import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inject } from 'vitest';
import { main, type Io } from '../../src/cli/main.js';

/**
 * The command line built from the current sources by `test/global-setup.ts`, laid out like a checkout:
 * run the way a user runs it (only the few spawned tests use it).
 */
export const CLI_ROOT = inject('cliRoot');
export const BIN = join(CLI_ROOT, 'bin', 'epochlint.js');
/** The lint worker of that build: in-process sweeps lint on worker threads with it. */
export const WORKER = pathToFileURL(join(CLI_ROOT, 'dist', 'bundle', 'lint-worker.cjs'));
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  input?: string | Buffer;
  env?: Record<string, string>;
  cwd?: string;
  /** Terminal width of stdout (a TTY when set). */
  columns?: number;
  /** Cores a sweep may use when `--jobs` is not given (default 1: one thread, unless a test asks). */
  cores?: number;
}

/**
 * Runs `epochlint args...` in this process through `main(argv, io)` with a fake io: the same code path
 * as the binary apart from signal handling and the process exit, at a fraction of a spawn's cost.
 * `--jobs 2` lints on two worker threads of the test build.
 */
export async function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const decoder = new TextDecoder();
  const input = options.input ?? '';
  const stdin = Readable.from(
    input.length === 0 ? [] : [typeof input === 'string' ? Buffer.from(input) : input],
  );
  const io: Io = {
    stdout: {
      write: (data: string | Uint8Array) => out.push(typeof data === 'string' ? data : decoder.decode(data)),
      isTTY: options.columns !== undefined,
    },
    stderr: { write: (data: string) => err.push(data), isTTY: false },
    stdin: Object.assign(stdin, { isTTY: false }),
    env: { NO_COLOR: '1', ...options.env },
    cwd: options.cwd ?? ROOT,
    ...(options.columns === undefined ? {} : { columns: options.columns }),
    interrupted: () => false,
    workerScript: WORKER,
    cores: options.cores ?? 1,
  };
  const code = await main(args, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** Runs the built binary as a child process: for signals, EPIPE, real stdin and the shipped entry point. */
export function runBin(
  args: string[],
  options: { input?: string | Buffer; env?: Record<string, string>; cwd?: string } = {},
): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input ?? '',
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
