/**
 * The only module that touches the process: argv, environment, stdin, stdout, stderr and the exit
 * code. `main` returns the code; nothing calls `process.exit()` mid-run.
 */
import { fstatSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { Chalk, type ChalkInstance } from 'chalk';
import { CommanderError } from 'commander';
import { createHeadCollector, readTrainingCode } from '../context/index.js';
import { lintRuns, type LintSettings } from '../lint.js';
import { createLiveLinter } from '../live.js';
import {
  REPORT_SCHEMA_VERSION,
  type Epoch,
  type FileReport,
  type ParseIssue,
  type Report,
  type Run,
  type Severity,
} from '../model/index.js';
import { quoteInput, shorten } from '../report/escape.js';
import { renderExplain, renderRules, suggestId } from '../report/help.js';
import { REPORTERS, type FormatName } from '../report/index.js';
import { jsonSchemas } from '../report/json-schema.js';
import { CLI_MESSAGES, SEVERITY_ORDER, meetsFailOn } from '../report/prose.js';
import { attachSeries } from '../report/series.js';
import { nameSeries } from '../parse/bare-list.js';
import { renderStatus } from '../report/status.js';
import {
  renderRecordsCsv,
  renderRecordsJson,
  renderRecordsTable,
  type FileRecords,
} from '../report/records.js';
import { countFindings } from '../report/counts.js';
import { loadConfig, suggest, toRuleSettings, type ConfigSource } from './config.js';
import { identity } from './fd.js';
import { readScript } from './script.js';
import { hintsFromOptions, parseWholeNumber } from './hints.js';
import { readInput, type InputNotice, type InputResult } from './input.js';
import { expandInputs } from './inputs.js';
import { checkOutputFile, inputIdentities, writeOutputFile } from './output.js';
import { COMMANDS, buildProgram, type LintCommandOptions, type ParseCommandOptions } from './program.js';
import { INTERRUPT_EXIT_CODES, installInterrupts, type InterruptSignal } from './signals.js';

/** The process surface `main` works against (replaced in tests). */
export interface Io {
  stdout: { write(data: string | Uint8Array): unknown; isTTY?: boolean };
  stderr: { write(data: string): unknown; isTTY?: boolean };
  stdin: Readable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
  /** Terminal width of stdout, when it is a terminal. */
  columns?: number;
  /** True once the user interrupted (Ctrl-C): reading stops and the report so far is printed. */
  interrupted(): boolean;
  /** Which interrupt it was (SIGINT when unset): decides the exit code, 130 or 143. */
  interruptedBy?(): InterruptSignal | null;
  /** Aborted on the first interrupt, so a stream waiting for data is closed at once. */
  interruptSignal?: AbortSignal;
  /** `dev:ino` of stdin when it is a regular file (`< train.log`), so `-o train.log` is refused. */
  stdinIdentity?: string | null;
}

/** Longest `epochlint: ...` line; a longer quoted input loses its middle. */
const MAX_MESSAGE_CHARS = 1200;

/** Commander's usage errors quote argv, which may be megabytes long: each line is bounded. */
function boundLines(text: string): string {
  return text
    .split('\n')
    .map((line) => shorten(line, MAX_MESSAGE_CHARS))
    .join('\n');
}

/** Exit codes (design: CLI contract). */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_FAILURE = 2;

/** Width to wrap help-like output to: the terminal's, within reason; 80 when not a terminal. */
function terminalWidth(io: Io): number {
  return Math.min(Math.max(io.columns ?? 80, 40), 120);
}

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
  // every message may quote input (file names, parse errors, config keys): one escaped, bounded line
  const fail = (message: string): void => {
    io.stderr.write(`epochlint: ${quoteInput(message, MAX_MESSAGE_CHARS)}\n`);
  };
  const { program, result } = buildProgram({
    version: packageVersion(),
    write: (text) => io.stdout.write(text),
    writeError: (text) => io.stderr.write(boundLines(text)),
    parse: (files, options) => runParse(files, options, io, fail),
    lint: (files, options) => runLint(files, options, io, fail),
    rules: () => {
      // one line per id in a pipe (`epochlint rules | grep ...`); wrapped to the terminal otherwise
      io.stdout.write(renderRules(io.columns === undefined ? Number.POSITIVE_INFINITY : terminalWidth(io)));
      return EXIT_OK;
    },
    schema: (which) => {
      io.stdout.write(`${JSON.stringify(jsonSchemas()[which], null, 2)}\n`);
      return EXIT_OK;
    },
    explain: (id) => {
      const text = renderExplain(id, terminalWidth(io));
      if (text === null) {
        fail(CLI_MESSAGES.unknownId(id, suggestId(id, suggest)));
        return EXIT_FAILURE;
      }
      io.stdout.write(text);
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
  for (const entry of await expandInputs(inputs, io.cwd, { stop: () => io.interrupted() })) {
    if (io.interrupted()) break;
    if ('problem' in entry) {
      fail(`${entry.input}: ${entry.problem}`);
      code = EXIT_FAILURE;
      continue;
    }
    const file = entry.file;
    const input = await readInput(file, {
      cwd: io.cwd,
      inputFormat: options.inputFormat,
      stdin: io.stdin,
      stop: () => io.interrupted(),
      ...(io.interruptSignal === undefined ? {} : { signal: io.interruptSignal }),
    });
    const cut = markInterrupted(input, io);
    if (input.error !== null) {
      fail(`${file}: ${input.error}`);
      code = EXIT_FAILURE;
      continue;
    }
    if ((input.summary?.epochs ?? 0) === 0 && !cut) {
      fail(`${file}: ${misreadMessage(input.issues)}`);
      code = EXIT_FAILURE;
    }
    const runs = input.runs.map((run) => selectMetrics(run, options.metric, options.ignoreMetric));
    records.push({ file, format: input.summary?.dialect ?? null, runs, issues: input.issues });
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
  const signal = interruption(io);
  if (signal !== null) {
    fail(`interrupted (${signal}): the records are partial`);
    return INTERRUPT_EXIT_CODES[signal];
  }
  return code;
}

/** The interrupt that stopped this run, or null. */
function interruption(io: Io): InterruptSignal | null {
  return io.interrupted() ? (io.interruptedBy?.() ?? 'SIGINT') : null;
}

/**
 * When an interrupt cut `input` short, says so in its own issues (so a file of records or a report
 * read later shows where it stops); true when it did.
 */
function markInterrupted(input: InputResult, io: Io): boolean {
  const signal = interruption(io);
  if (signal === null || !input.stopped) return false;
  input.issues.push({
    kind: 'interrupted',
    line: null,
    message: `reading was interrupted (${signal}) before the input ended: the records stop here`,
  });
  return true;
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

/**
 * What to say about an input that gave no record: the parser's own sentence (which shapes it saw, or
 * that nothing looked like a training log), never a silent "no findings".
 */
function misreadMessage(issues: readonly ParseIssue[]): string {
  const said = issues.find((i) => i.kind === 'not-a-log' || i.kind === 'no-epochs');
  return said === undefined ? 'no completed epoch found' : said.message;
}

/** `--metric` names a bare list's series and keeps only the named metrics; `--ignore-metric` drops some. */
function selectMetrics(run: Run, metrics: readonly string[], ignore: readonly string[]): Run {
  const named = metrics[0] === undefined ? run : nameSeries(run, metrics[0]);
  if (metrics.length === 0 && ignore.length === 0) return named;
  const keep = (name: string): boolean =>
    !ignore.includes(name) &&
    (metrics.length === 0 || metrics.some((m) => name === m || name.startsWith(`${m}[`)));
  return {
    ...named,
    epochs: named.epochs.map((e) => ({
      ...e,
      metrics: Object.fromEntries(Object.entries(e.metrics).filter(([k]) => keep(k))),
    })),
  };
}

interface LintPlan {
  inputFormat: string;
  format: FormatName;
  failOn: Severity | 'never';
  maxWarnings: number | null;
  settings: LintSettings;
  /** The config file used, as the report names it. */
  config: ConfigSource | null;
}

/** Merges flags over the config file; flags win. Problems are one line each. */
function planLint(options: LintCommandOptions, io: Io): { plan: LintPlan } | { problems: string[] } {
  const problems: string[] = [];
  const loaded = loadConfig({
    cwd: io.cwd,
    ...(typeof options.config === 'string' ? { configPath: options.config } : {}),
    noConfig: options.config === false,
  });
  if (!loaded.ok) return { problems: loaded.problems };
  const config = loaded.loaded.config;
  const configPath = loaded.loaded.path;
  const { hints, problems: hintProblems } = hintsFromOptions(options);
  problems.push(...hintProblems);
  let maxWarnings: number | null = config.maxWarnings ?? null;
  if (options.maxWarnings !== undefined) {
    const n = parseWholeNumber(options.maxWarnings);
    if (n === null)
      problems.push(`--max-warnings: expected a whole number >= 0, got '${options.maxWarnings}'`);
    else maxWarnings = n;
  }
  if (problems.length > 0) return { problems };
  const metrics = options.metric.length > 0 ? options.metric : (config.metrics ?? []);
  return {
    plan: {
      inputFormat: options.inputFormat ?? config.inputFormat ?? 'auto',
      format: (options.format ?? config.format ?? 'text') as FormatName,
      failOn: (options.failOn ?? config.failOn ?? 'error') as Severity | 'never',
      maxWarnings,
      settings: {
        rules: toRuleSettings(config),
        ignoreMetrics: [...(config.ignoreMetrics ?? []), ...options.ignoreMetric],
        metrics,
        hints: { ...(config.context ?? {}), ...hints },
      },
      config: loaded.loaded.source,
    },
  };
}

/** Exit code 1 when a finding is at or above `failOn`, or warnings exceed `maxWarnings`. */
export function exitCodeFor(report: Report, failOn: Severity | 'never', maxWarnings: number | null): number {
  const counts = countFindings(report);
  if (maxWarnings !== null && counts.warning > maxWarnings) return EXIT_FINDINGS;
  const hit = SEVERITY_ORDER.some((s) => counts[s] > 0 && meetsFailOn(s, failOn));
  return hit ? EXIT_FINDINGS : EXIT_OK;
}

async function runLint(
  files: string[],
  options: LintCommandOptions,
  io: Io,
  fail: (message: string) => void,
): Promise<number> {
  const planned = planLint(options, io);
  if ('problems' in planned) {
    for (const p of planned.problems) fail(p);
    return EXIT_FAILURE;
  }
  const { plan } = planned;
  if (plan.config?.discovered === true && plan.config.outsideProject) {
    // a config anyone could have left in an ancestor (/tmp) must not change results in silence
    fail(
      `warning: using the config file ${plan.config.shown}, found outside this project (above ${plan.config.projectRoot}); --no-config ignores it`,
    );
  }
  if (files.length === 0 && io.stdin.isTTY === true) {
    fail('no input: give a log file, or pipe a log into epochlint (see --help)');
    return EXIT_FAILURE;
  }
  const follow = options.follow === true;
  const expanded = await expandInputs(files.length > 0 ? files : ['-'], io.cwd, {
    stop: () => io.interrupted(),
  });
  if (follow && expanded.length > 1) {
    fail('--follow reads one input (a growing file or a stream); give one file');
    return EXIT_FAILURE;
  }
  // the output is checked before anything is read: a report must never replace one of its inputs
  const inputIds =
    options.outputFile === undefined
      ? new Set<string>()
      : await inputIdentities(
          expanded.flatMap((e) => ('file' in e ? [e.file] : [])),
          io.cwd,
          io.stdinIdentity ?? null,
        );
  if (options.outputFile !== undefined) {
    const problem = await checkOutputFile(options.outputFile, io.cwd, inputIds);
    if (problem !== null) {
      fail(problem);
      return EXIT_FAILURE;
    }
  }
  // the training code the diagnosis reads: --script, read once for every input
  let script: { text: string; file: string } | null = null;
  if (options.script !== undefined) {
    const read = await readScript(resolve(io.cwd, options.script));
    if (typeof read !== 'string') {
      fail(`--script ${quoteInput(options.script, 200)}: ${read.problem}`);
      return EXIT_FAILURE;
    }
    script = { text: read, file: options.script };
  }
  const chalk = chalkFor(io, options.color);
  const errChalk = chalkFor({ ...io, stdout: io.stderr }, options.color);
  const live = options.follow === true || options.failFast === true;
  const reports: FileReport[] = [];
  const skipped: string[] = [];
  let failed = false;
  let stoppedAt: number | null = null;
  let stoppedEarly = false;
  // the name piped input is reported under (`--stdin-filename`), in every format and error line
  const shown = (file: string): string =>
    file === '-' && options.stdinFilename !== undefined ? options.stdinFilename : file;
  for (const input of expanded) {
    // an interrupt ends a run's reading; a follow is ended by one, and then reports as usual
    if (io.interrupted()) break;
    if ('problem' in input) {
      fail(`${input.input}: ${input.problem}`);
      failed = true;
      continue;
    }
    const file = input.file;
    const name = shown(file);
    const linter = live ? createLiveLinter(plan.settings) : null;
    let established = false;
    // whether the log passed through to stdout (--tee) last stopped inside a line: a status line on the
    // same terminal must then start on a fresh line, never in the middle of a progress bar
    let midLine = false;
    const progress = createProgress(io, errChalk, name, live);
    const head = createHeadCollector();
    const result = await readInput(file, {
      cwd: io.cwd,
      inputFormat: plan.inputFormat,
      stdin: io.stdin,
      follow,
      onNotice: (notice: InputNotice) =>
        fail(`${file}: ${notice.line === null ? '' : `line ${notice.line}: `}${notice.message}`),
      stop: () => (options.failFast === true && established) || io.interrupted(),
      ...(io.interruptSignal === undefined ? {} : { signal: io.interruptSignal }),
      onChunk: (chunk: Uint8Array) => {
        head.push(chunk);
        if (options.tee !== true) return;
        io.stdout.write(chunk);
        if (chunk.length > 0) midLine = chunk[chunk.length - 1] !== 0x0a;
      },
      ...(progress === null ? {} : { onProgress: progress.update }),
      ...(linter === null
        ? {}
        : {
            onEpoch: (epoch: Epoch, run: number) => {
              // after --fail-fast has decided, the rest of the chunk is read but not announced
              if (established && options.failFast === true) return;
              const update = linter.add(epoch, run);
              io.stderr.write(
                `${midLine ? '\n' : ''}${renderStatus(epoch, run, update.newFindings, errChalk)}\n`,
              );
              midLine = false;
              if (update.hasError) {
                established = true;
                stoppedAt = epoch.epoch;
              }
            },
          }),
    });
    progress?.done();
    const cut = !follow && markInterrupted(result, io);
    if (established && options.failFast === true) stoppedEarly = true;
    // readable but not a training log (params.json, package.json, notes): skipped; an unreadable, binary
    // or malformed log is still a failure
    const notALog =
      (result.error === null && (result.summary?.epochs ?? 0) === 0) ||
      (result.error !== null && result.error.includes('no metric lists found'));
    if (input.fromDirectory === true && notALog && !stoppedEarly && !cut) {
      // a sweep folder also holds configs and notes (params.json, package.json): not training logs
      skipped.push(file);
      continue;
    }
    if (result.error !== null) {
      fail(`${name}: ${result.error}${commandHint(file, result.error)}`);
      failed = true;
      reports.push({
        file: name,
        format: null,
        runs: [],
        findings: [],
        diagnoses: [],
        contexts: [],
        issues: [],
        error: result.error,
      });
      continue;
    }
    if ((result.summary?.epochs ?? 0) === 0 && !cut) {
      // never "no findings" for a log that could not be read: one line, exit 2, and the report says why
      const message = misreadMessage(result.issues);
      fail(`${name}: ${message}`);
      failed = true;
      reports.push({
        file: name,
        format: null,
        runs: [],
        findings: [],
        diagnoses: [],
        contexts: [],
        issues: [],
        error: message,
      });
      continue;
    }
    // --fail-fast stopped reading on purpose: the epoch it was inside is not a truncated log
    const issues = stoppedEarly ? result.issues.filter((i) => i.kind !== 'truncated-epoch') : result.issues;
    const series = plan.settings.metrics?.[0];
    const runs = series === undefined ? result.runs : result.runs.map((r) => nameSeries(r, series));
    const code = await readTrainingCode({ text: head.text(), file: null }, script);
    const linted = lintRuns(name, result.summary?.dialect ?? null, runs, issues, plan.settings, code);
    reports.push(attachSeries(linted, runs));
    if (stoppedEarly) break;
  }
  if (skipped.length > 0) {
    const names = skipped
      .slice(0, 5)
      .map((name) => quoteInput(name, 200))
      .join(', ');
    fail(CLI_MESSAGES.skipped(skipped.length, `${names}${skipped.length > 5 ? ', ...' : ''}`));
  }
  const signal = follow ? null : interruption(io);
  if (reports.length === 0 && !failed && signal === null) {
    fail('no training log found in the inputs');
    return EXIT_FAILURE;
  }
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    files: reports,
    interrupted: signal,
    config:
      plan.config === null ? null : { path: plan.config.shown, outsideProject: plan.config.outsideProject },
  };
  // the text report lays out --quiet itself (the runs table keeps every run's verdict); documents keep errors
  const quiet = options.quiet === true;
  const rendered = quiet && plan.format !== 'text' ? onlyErrors(report) : report;
  const text = REPORTERS[plan.format](rendered, {
    chalk: options.outputFile === undefined && options.tee !== true ? chalk : chalkFor(io, false),
    version: packageVersion(),
    failOn: plan.failOn,
    width: Math.min(Math.max(io.columns ?? 80, 60), 120),
    verbose: options.verbose === true,
    quiet,
    chart: options.chart !== false,
  });
  if (options.outputFile !== undefined) {
    // identities again: a followed file that did not exist at the start does now
    const inputsNow = await inputIdentities(
      expanded.flatMap((e) => ('file' in e ? [e.file] : [])),
      io.cwd,
      io.stdinIdentity ?? null,
    );
    const written = await writeOutputFile(resolve(io.cwd, options.outputFile), text, inputsNow);
    if (written !== null) {
      fail(`${options.outputFile}: ${written}`);
      return EXIT_FAILURE;
    }
  } else if (options.tee === true) io.stderr.write(text);
  else io.stdout.write(text);
  if (signal !== null) {
    fail(`interrupted (${signal}): the report covers only what was read before`);
    return INTERRUPT_EXIT_CODES[signal];
  }
  if (stoppedEarly) {
    fail(CLI_MESSAGES.stoppedEarly(stoppedAt));
    return EXIT_FINDINGS;
  }
  if (failed) return EXIT_FAILURE;
  const code = exitCodeFor(report, plan.failOn, plan.maxWarnings);
  const warnings = countFindings(report).warning;
  if (plan.maxWarnings !== null && warnings > plan.maxWarnings)
    fail(CLI_MESSAGES.maxWarnings(warnings, plan.maxWarnings));
  return code;
}

/** A missing file named like a command (`epochlint rulez`): the user probably meant the command. */
function commandHint(file: string, error: string): string {
  if (error !== 'no such file' || /[/\\.]/.test(file)) return '';
  const command = suggest(file, COMMANDS);
  return command === null ? '' : `; ${CLI_MESSAGES.noSuchCommand(command)}`;
}

function onlyErrors(report: Report): Report {
  return {
    ...report,
    files: report.files.map((f) => ({ ...f, findings: f.findings.filter((x) => x.severity === 'error') })),
  };
}

const PROGRESS_MIN_BYTES = 32 * 1024 * 1024;

/** A progress bar on stderr, only on a TTY and only for large files. */
function createProgress(io: Io, chalk: ChalkInstance, file: string, live: boolean) {
  if (live || io.stderr.isTTY !== true || file === '-') return null;
  let shown = false;
  let lastPercent = -1;
  return {
    update: (read: number, total: number | null): void => {
      if (total === null || total < PROGRESS_MIN_BYTES) return;
      const percent = Math.floor((100 * read) / total);
      if (percent === lastPercent) return;
      lastPercent = percent;
      shown = true;
      const width = 30;
      const filled = Math.round((width * percent) / 100);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
      io.stderr.write(
        `\r${chalk.dim(`reading ${quoteInput(file, 60)}`)} ${bar} ${String(percent).padStart(3)}%`,
      );
    },
    done: (): void => {
      if (shown) io.stderr.write('\r\u001b[2K');
    },
  };
}

/** Entry point used by `bin/epochlint.js`. */
export async function run(): Promise<void> {
  const interrupts = installInterrupts();
  // `epochlint ... | head`, `--tee | head`: the reader went away. That is not our failure: output to
  // it stops, reading and the report (on stderr with --tee) go on, and the exit code is the lint's.
  // Any other write error (EIO, a closed descriptor) leaves stdout as unusable: the same holds.
  let stdoutClosed = false;
  process.stdout.on('error', () => {
    stdoutClosed = true;
  });
  process.stderr.on('error', () => {
    // nowhere left to say anything: the exit code still tells
  });
  process.exitCode = await main(process.argv.slice(2), {
    stdout: {
      write: (data) => (stdoutClosed ? true : process.stdout.write(data)),
      isTTY: process.stdout.isTTY,
    },
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    ...(process.stdout.columns === undefined ? {} : { columns: process.stdout.columns }),
    interrupted: () => interrupts.signal() !== null,
    interruptedBy: () => interrupts.signal(),
    interruptSignal: interrupts.abortSignal,
    stdinIdentity: regularFileIdentity(0),
  });
  interrupts.dispose();
}

/** `dev:ino` of a descriptor when it is a regular file (stdin redirected from a file), else null. */
function regularFileIdentity(fd: number): string | null {
  try {
    const info = fstatSync(fd);
    return info.isFile() ? identity(info) : null;
  } catch {
    return null;
  }
}
