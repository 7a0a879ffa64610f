/**
 * The only module that touches the process: argv, environment, stdin, stdout, stderr and the exit
 * code. `main` returns the code; nothing calls `process.exit()` mid-run.
 */
import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { CommanderError } from 'commander';
import {
  renderRecordsCsv,
  renderRecordsJson,
  renderRecordsTable,
  type FileRecords,
} from '../report/records.js';
import { escapeControl } from '../report/escape.js';
import { readInput } from './input.js';
import { buildProgram, type ParseCommandOptions } from './program.js';

/** The process surface `main` works against (replaced in tests). */
export interface Io {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  stdin: Readable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
}

/** Exit codes (design: CLI contract). */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_FAILURE = 2;

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Runs epochlint with `argv` (without `node` and the script) and returns the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  const fail = (message: string): void => {
    io.stderr.write(`epochlint: ${message}\n`);
  };
  const { program, result } = buildProgram({
    version: packageVersion(),
    write: (text) => io.stdout.write(text),
    writeError: (text) => io.stderr.write(text),
    parse: (files, options) => runParse(files, options, io, fail),
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return result.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version exit with 0; usage errors were already printed by commander
      return error.exitCode === 0 ? EXIT_OK : EXIT_FAILURE;
    }
    fail(`internal error: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_FAILURE;
  }
}

async function runParse(
  files: string[],
  options: ParseCommandOptions,
  io: Io,
  fail: (message: string) => void,
): Promise<number> {
  const inputs = files.length > 0 ? files : ['-'];
  if (inputs.includes('-') && files.length === 0 && io.stdin.isTTY === true) {
    fail('no input: give a log file, or pipe a log into epochlint (see --help)');
    return EXIT_FAILURE;
  }
  const records: FileRecords[] = [];
  let code = EXIT_OK;
  for (const file of inputs) {
    const input = await readInput(file, { inputFormat: options.inputFormat, stdin: io.stdin });
    if (input.error !== null) {
      fail(`${escapeControl(file)}: ${input.error}`);
      code = EXIT_FAILURE;
      continue;
    }
    if ((input.summary?.epochs ?? 0) === 0) {
      fail(`${escapeControl(file)}: no completed epoch found`);
      code = EXIT_FAILURE;
    }
    records.push({ file, format: input.summary?.dialect ?? null, runs: input.runs, issues: input.issues });
  }
  if (records.length > 0) {
    const render =
      options.format === 'table'
        ? renderRecordsTable
        : options.format === 'csv'
          ? renderRecordsCsv
          : renderRecordsJson;
    io.stdout.write(render(records));
  }
  return code;
}

/** Entry point used by `bin/epochlint.js`. */
export async function run(): Promise<void> {
  process.exitCode = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
  });
}
