import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built binary, run the way a user runs it. `npm test` builds before testing. */
export const BIN = fileURLToPath(new URL('../../bin/epochlint.js', import.meta.url));
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `epochlint args...` from the repository root (or `cwd`), with `input` on stdin. */
export function runCli(
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
