import { spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main, type Io } from '../../src/cli/main.js';

/** The built binary, run the way a user runs it (only the few spawned tests need a build). */
export const BIN = fileURLToPath(new URL('../../bin/epochlint.js', import.meta.url));
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
}

/**
 * Runs `epochlint args...` in this process through `main(argv, io)` with a fake io: the same code path
 * as the binary apart from signal handling and the process exit, at a fraction of a spawn's cost.
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
