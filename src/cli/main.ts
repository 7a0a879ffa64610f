/**
 * The only module that touches the process: argv, environment, stdin, stdout, stderr and the exit
 * code. `main` returns the code; nothing calls `process.exit()` mid-run.
 */
import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { Chalk, type ChalkInstance } from 'chalk';
import { CommanderError } from 'commander';
import { DETECTORS, findDetector } from '../detect/index.js';
import { lintRuns } from '../lint.js';
import { REPORT_SCHEMA_VERSION, type FileReport, type Report } from '../model/index.js';
import { escapeControl } from '../report/escape.js';
import { renderJson } from '../report/lint-json.js';
import {
  renderRecordsCsv,
  renderRecordsJson,
  renderRecordsTable,
  type FileRecords,
} from '../report/records.js';
import { countFindings, renderText } from '../report/text.js';
import { hintsFromOptions } from './hints.js';
import { readInput } from './input.js';
import { buildProgram, type LintCommandOptions, type ParseCommandOptions } from './program.js';

/** The process surface `main` works against (replaced in tests). */
export interface Io {
  stdout: { write(text: string): unknown; isTTY?: boolean };
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
    lint: (files, options) => runLint(files, options, io, fail),
    rules: () => {
      io.stdout.write(renderRules());
      return EXIT_OK;
    },
    explain: (id) => {
      const detector = findDetector(id);
      if (detector === undefined) {
        fail(`unknown rule '${escapeControl(id)}' (see: epochlint rules)`);
        return EXIT_FAILURE;
      }
      io.stdout.write(renderExplain(id));
      return EXIT_OK;
    },
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

/**
 * Colour level: `--color`/`--no-color` first, then `FORCE_COLOR` (the Node ecosystem's override, which
 * wins over `NO_COLOR` when both are set), then `NO_COLOR`, then whether stdout is a TTY.
 */
export function chalkFor(io: Io, flag: boolean | undefined): ChalkInstance {
  const force = io.env.FORCE_COLOR;
  const noColor = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '';
  let level: 0 | 1 | 2 | 3;
  if (flag === false) level = 0;
  else if (flag === true) level = 1;
  else if (force !== undefined) level = forceLevel(force);
  else if (noColor) level = 0;
  else level = io.stdout.isTTY === true && io.env.TERM !== 'dumb' ? 1 : 0;
  return new Chalk({ level });
}

function forceLevel(force: string): 0 | 1 | 2 | 3 {
  if (force === '0' || force === 'false') return 0;
  if (force === '2') return 2;
  if (force === '3') return 3;
  return 1;
}

async function runLint(
  files: string[],
  options: LintCommandOptions,
  io: Io,
  fail: (message: string) => void,
): Promise<number> {
  const { hints, problems } = hintsFromOptions(options);
  if (problems.length > 0) {
    for (const p of problems) fail(p);
    return EXIT_FAILURE;
  }
  const inputs = files.length > 0 ? files : ['-'];
  if (files.length === 0 && io.stdin.isTTY === true) {
    fail('no input: give a log file, or pipe a log into epochlint (see --help)');
    return EXIT_FAILURE;
  }
  const reports: FileReport[] = [];
  let failed = false;
  for (const file of inputs) {
    const input = await readInput(file, { inputFormat: options.inputFormat, stdin: io.stdin });
    if (input.error !== null) {
      fail(`${escapeControl(file)}: ${input.error}`);
      failed = true;
      reports.push({
        file,
        format: null,
        runs: [],
        findings: [],
        diagnoses: [],
        issues: [],
        error: input.error,
      });
      continue;
    }
    if ((input.summary?.epochs ?? 0) === 0) {
      fail(`${escapeControl(file)}: no completed epoch found`);
      failed = true;
    }
    reports.push(
      lintRuns(file, input.summary?.dialect ?? null, input.runs, input.issues, {
        rules: {},
        ignoreMetrics: [],
        hints,
      }),
    );
  }
  const report: Report = { schemaVersion: REPORT_SCHEMA_VERSION, files: reports };
  io.stdout.write(
    options.format === 'json' ? renderJson(report) : renderText(report, chalkFor(io, options.color)),
  );
  if (failed) return EXIT_FAILURE;
  return countFindings(report).error > 0 ? EXIT_FINDINGS : EXIT_OK;
}

function renderRules(): string {
  const width = Math.max(...DETECTORS.map((d) => d.id.length));
  const lines = DETECTORS.map((d) => `${d.id.padEnd(width)}  ${d.defaultSeverity.padEnd(7)}  ${d.title}`);
  return `${lines.join('\n')}\n`;
}

function renderExplain(id: string): string {
  const d = findDetector(id);
  if (d === undefined) return '';
  return [
    `${d.id} — ${d.title}`,
    `default severity: ${d.defaultSeverity}`,
    '',
    'What it checks',
    `  ${d.docs.what}`,
    '',
    'Why it matters',
    `  ${d.docs.why}`,
    '',
    'Example',
    ...d.docs.example.split('\n').map((l) => `  ${l}`),
    '',
  ].join('\n');
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
