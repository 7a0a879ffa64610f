/**
 * The only module that touches the process: argv, environment, stdin, stdout, stderr and the exit
 * code. `main` returns the code; nothing calls `process.exit()` mid-run.
 *
 * It loads only what the command needs: the program and commander up front; the parsers, the lint,
 * the config schemas and the reporters by `import()` when a command that uses them runs, so
 * `--version` and `--help` evaluate none of the zod models.
 */
import { existsSync, fstatSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { ChalkInstance } from 'chalk';
import { CommanderError } from 'commander';
import { quoteInput, shorten } from '../report/escape.js';
import { identity } from './fd.js';
import type { FileJob, FileOutcome, FilePlan } from './lint-file.js';
import type { OutputSink } from './output.js';
import type { LintPool } from './pool.js';
import { buildProgram, type LintCommandOptions, type ParseCommandOptions } from './program.js';
import { INTERRUPT_EXIT_CODES, installInterrupts, type InterruptSignal } from './signals.js';
import { packageVersion } from './version.js';

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
  /**
   * The lint worker's module (`lint-worker.cjs` of the build). Unset: the one beside this module, when
   * there is one (sources run as they are, under a test runner, have none: sweeps then run on one thread).
   */
  workerScript?: URL | string | null;
  /** Cores to use when `--jobs` is not given (the machine's when unset). */
  cores?: number;
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
    rules: async () => {
      const { renderRules } = await import('../report/help.js');
      // one line per id in a pipe (`epochlint rules | grep ...`); wrapped to the terminal otherwise
      io.stdout.write(renderRules(io.columns === undefined ? Number.POSITIVE_INFINITY : terminalWidth(io)));
      return EXIT_OK;
    },
    schema: async (which) => {
      const { jsonSchemas } = await import('../report/json-schema.js');
      io.stdout.write(`${JSON.stringify(jsonSchemas()[which], null, 2)}\n`);
      return EXIT_OK;
    },
    explain: async (id) => {
      const [{ renderExplain, suggestId }, { suggest }, { CLI_MESSAGES }] = await Promise.all([
        import('../report/help.js'),
        import('./config.js'),
        import('../report/prose.js'),
      ]);
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
  const [{ expandInputs }, { readInput }, { markInterrupted, misreadMessage }, records, { selectMetrics }] =
    await Promise.all([
      import('./inputs.js'),
      import('./input.js'),
      import('./lint-file.js'),
      import('../report/records.js'),
      import('./select-metrics.js'),
    ]);
  const found: import('../report/records.js').FileRecords[] = [];
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
      // --metric names a bare list of values from its first record on
      ...(options.metric === undefined ? {} : { metricNames: options.metric }),
      stop: () => io.interrupted(),
      ...(io.interruptSignal === undefined ? {} : { signal: io.interruptSignal }),
    });
    const cut = markInterrupted(input, interruption(io));
    if (input.error !== null) {
      fail(`${file}: ${input.error}`);
      code = EXIT_FAILURE;
      continue;
    }
    const misread = (input.summary?.epochs ?? 0) === 0 && !cut;
    if (misread) {
      fail(`${file}: ${misreadMessage(input.issues)}`);
      code = EXIT_FAILURE;
    }
    // the CSV has no place for them: the parse issues go to stderr, a bounded list per file
    if (options.format === 'csv') {
      const shown = misread ? input.issues.filter((i) => i.kind !== 'no-epochs') : input.issues;
      for (const line of records.issueLines(file, shown)) fail(line);
    }
    const runs = input.runs.map((run) => selectMetrics(run, options.metric, options.ignoreMetric));
    found.push({ file, format: input.summary?.dialect ?? null, runs, issues: input.issues });
  }
  if (found.length > 0) {
    const render =
      options.format === 'table'
        ? records.renderRecordsTable
        : options.format === 'csv'
          ? records.renderRecordsCsv
          : records.renderRecordsJson;
    io.stdout.write(render(found));
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
 * Colour level: `--color`/`--no-color` first, then `FORCE_COLOR` (the Node ecosystem's override, which
 * wins over `NO_COLOR` when both are set), then `NO_COLOR`, then whether stdout is a TTY.
 */
export function colorLevel(io: Pick<Io, 'env' | 'stdout'>, flag: boolean | undefined): 0 | 1 | 2 | 3 {
  const force = io.env.FORCE_COLOR;
  const noColor = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '';
  if (flag === false) return 0;
  if (flag === true) return 1;
  if (force !== undefined) return forceLevel(force);
  if (noColor) return 0;
  return io.stdout.isTTY === true && io.env.TERM !== 'dumb' ? 1 : 0;
}

function forceLevel(force: string): 0 | 1 | 2 | 3 {
  if (force === '0' || force === 'false') return 0;
  if (force === '2') return 2;
  if (force === '3') return 3;
  return 1;
}

/** The lint worker beside this module (in the build), or null when there is none. */
function defaultWorkerScript(): URL | null {
  const url = new URL('./lint-worker.cjs', import.meta.url);
  return url.protocol === 'file:' && existsSync(url) ? url : null;
}

/** A worker thread loads the lint code anew: about a fifth of a second of CPU before its first file. */
const WORKER_START_SECONDS = 0.2;
/** Rough cost of linting a file: a fixed part, and its size at the parser's speed. */
const SECONDS_PER_FILE = 0.03;
const BYTES_PER_SECOND = 100 * 1024 * 1024;

/**
 * Workers for a sweep without `--jobs`: one per core, but only as many as have enough work to be worth
 * their start (each should get several times its start-up cost), so a handful of small logs is linted
 * on the main thread at once. The output does not depend on it.
 */
async function defaultWorkers(files: readonly string[], cwd: string, cores: number): Promise<number> {
  if (cores < 2 || files.length < 2) return 1;
  let seconds = 0;
  for (const file of files) {
    const info = await stat(resolve(cwd, file)).catch(() => null);
    seconds += SECONDS_PER_FILE + (info?.isFile() === true ? info.size / BYTES_PER_SECOND : 0);
    if (seconds > cores * 4 * WORKER_START_SECONDS) return Math.min(cores, files.length);
  }
  return Math.max(1, Math.min(cores, files.length, Math.floor(seconds / (4 * WORKER_START_SECONDS))));
}

/** Where the report goes: stdout, stderr (`--tee`), or a file opened at its first write. */
interface ReportSink {
  write(text: string): Promise<void>;
  /** Null, or why the file could not be written (the command then fails). */
  close(): Promise<string | null>;
}

async function runLint(
  files: string[],
  options: LintCommandOptions,
  io: Io,
  fail: (message: string) => void,
): Promise<number> {
  const [lintPlan, { expandInputs }, output, { lintFile }, report, prose, chalkModule, shards] =
    await Promise.all([
      import('./lint-plan.js'),
      import('./inputs.js'),
      import('./output.js'),
      import('./lint-file.js'),
      import('../report/index.js'),
      import('../report/prose.js'),
      import('chalk'),
      import('./shard.js'),
    ]);
  const planned = lintPlan.planLint(options, io.cwd);
  if ('problems' in planned) {
    for (const p of planned.problems) fail(p);
    return EXIT_FAILURE;
  }
  const { plan } = planned;
  const jobs = options.jobs === undefined ? null : lintPlan.parseJobs(options.jobs);
  if (jobs !== null && 'problem' in jobs) {
    fail(jobs.problem);
    return EXIT_FAILURE;
  }
  const shard = options.shard === undefined ? null : shards.parseShard(options.shard);
  if (shard !== null && 'problem' in shard) {
    fail(shard.problem);
    return EXIT_FAILURE;
  }
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
  const all = await expandInputs(files.length > 0 ? files : ['-'], io.cwd, {
    stop: () => io.interrupted(),
  });
  if (follow && all.length > 1) {
    fail('--follow reads one input (a growing file or a stream); give one file');
    return EXIT_FAILURE;
  }
  if (shard !== null && (follow || all.some((e) => 'file' in e && e.file === '-'))) {
    fail('--shard splits a list of files; it cannot split stdin or a followed file');
    return EXIT_FAILURE;
  }
  // a problem (an unreadable folder, a pattern matching nothing) is every shard's: it says so in each
  const fileEntries = all.filter((e): e is { file: string; fromDirectory?: boolean } => 'file' in e);
  const mine = shard === null ? fileEntries : new Set(shards.selectShard(fileEntries, shard));
  const expanded = shard === null ? all : all.filter((e) => !('file' in e) || (mine as Set<unknown>).has(e));
  const inputFiles = expanded.flatMap((e) => ('file' in e ? [e.file] : []));
  // the output is checked before anything is read: a report must never replace one of its inputs
  if (options.outputFile !== undefined) {
    const ids = await output.inputIdentities(inputFiles, io.cwd, io.stdinIdentity ?? null);
    const problem = await output.checkOutputFile(options.outputFile, io.cwd, ids);
    if (problem !== null) {
      fail(problem);
      return EXIT_FAILURE;
    }
  }
  // the training code the diagnosis reads: --script, read once for every input
  let trainingScript: { text: string; file: string } | null = null;
  if (options.script !== undefined) {
    const { readScript } = await import('./script.js');
    const read = await readScript(resolve(io.cwd, options.script));
    if (typeof read !== 'string') {
      fail(`--script ${quoteInput(options.script, 200)}: ${read.problem}`);
      return EXIT_FAILURE;
    }
    trainingScript = { text: read, file: options.script };
  }
  const chalkFor = (target: Pick<Io, 'env' | 'stdout'>): ChalkInstance =>
    new chalkModule.Chalk({ level: colorLevel(target, options.color) });
  const errChalk = chalkFor({ ...io, stdout: io.stderr });
  const live = follow || options.failFast === true;
  const filePlan: FilePlan = {
    inputFormat: plan.inputFormat,
    settings: plan.settings,
    stdinFilename: options.stdinFilename ?? null,
    follow,
    failFast: options.failFast === true,
    script: trainingScript,
  };
  const quiet = options.quiet === true;
  const reporterOptions = {
    // colour only where the report meets a terminal: never in a file, never on stderr with --tee
    chalk:
      options.outputFile === undefined && options.tee !== true
        ? chalkFor(io)
        : new chalkModule.Chalk({ level: 0 }),
    version: packageVersion(),
    failOn: plan.failOn,
    width: Math.min(Math.max(io.columns ?? 80, 60), 120),
    verbose: options.verbose === true,
    quiet,
    chart: options.chart !== false,
  };
  const configShown =
    plan.config === null ? null : { path: plan.config.shown, outsideProject: plan.config.outsideProject };
  const stream = report.createReportStream(plan.format, reporterOptions, configShown);
  const sink = createSink(io, options, inputFiles, output);
  const counts = { error: 0, warning: 0, info: 0 };
  // the text report lays out --quiet itself (the runs table keeps every run's verdict); documents keep errors
  const shown = (file: import('../model/index.js').FileReport) =>
    quiet && plan.format !== 'text'
      ? { ...file, findings: file.findings.filter((x) => x.severity === 'error') }
      : file;

  const skipped: string[] = [];
  let failed = false;
  let linted = 0;
  let stoppedAt: number | null = null;
  let stoppedEarly = false;
  /** Prints one outcome, in the order of the inputs. */
  const take = async (outcome: FileOutcome): Promise<void> => {
    for (const message of outcome.messages) fail(message);
    if (outcome.failed) failed = true;
    if (outcome.skipped) {
      skipped.push(outcome.name);
      return;
    }
    if (outcome.report === null) return;
    linted += 1;
    for (const f of outcome.report.findings) counts[f.severity] += 1;
    const text = stream.file(shown(outcome.report));
    if (text.length > 0) await sink.write(text);
  };
  const problemOf = (entry: (typeof expanded)[number]): string | null =>
    'problem' in entry ? `${entry.input}: ${entry.problem}` : null;

  await sink.write(stream.begin());
  const script = io.workerScript === undefined ? defaultWorkerScript() : io.workerScript;
  const eligible = expanded.flatMap((e) => ('file' in e && e.file !== '-' ? [e.file] : []));
  const workers =
    jobs !== null
      ? Math.min(jobs.jobs, eligible.length)
      : await defaultWorkers(eligible, io.cwd, io.cores ?? availableParallelism());
  let pool: LintPool | null = null;
  try {
    if (live || options.tee === true || workers < 2 || script === null) {
      for (const entry of expanded) {
        // an interrupt ends a run's reading; a follow is ended by one, and then reports as usual
        if (io.interrupted()) break;
        const problem = problemOf(entry);
        if (problem !== null) {
          fail(problem);
          failed = true;
          continue;
        }
        if (!('file' in entry)) continue;
        const outcome = await lintHere(
          { file: entry.file, fromDirectory: entry.fromDirectory === true },
          filePlan,
          io,
          fail,
          errChalk,
          options,
          {
            lintFile,
            renderStatus: (await import('../report/status.js')).renderStatus,
            createLiveLinter: live ? (await import('../live.js')).createLiveLinter : null,
          },
          (epoch) => {
            stoppedAt = epoch;
          },
        );
        if (outcome.stoppedEarly) stoppedEarly = true;
        await take(outcome.outcome);
        if (stoppedEarly) break;
      }
    } else {
      const { createLintPool, inOrder, internalErrorOutcome } = await import('./pool.js');
      const created = createLintPool({
        size: workers,
        script,
        plan: filePlan,
        cwd: io.cwd,
        progress: io.stderr.isTTY === true,
      });
      pool = created;
      const onInterrupt = (): void => created.interrupt(interruption(io) ?? 'SIGINT');
      io.interruptSignal?.addEventListener('abort', onInterrupt, { once: true });
      let head = 0;
      const items = expanded.map((entry, index) => ({ entry, index }));
      const start = async ({ entry, index }: (typeof items)[number]): Promise<FileOutcome | string> => {
        const problem = problemOf(entry);
        if (problem !== null || !('file' in entry)) return problem ?? '';
        const job: FileJob = { file: entry.file, fromDirectory: entry.fromDirectory === true };
        if (job.file === '-') {
          return (
            await lintHere(
              job,
              filePlan,
              io,
              fail,
              errChalk,
              options,
              { lintFile, renderStatus: null, createLiveLinter: null },
              () => undefined,
            )
          ).outcome;
        }
        const progress = createProgress(io, errChalk, job.file, false);
        try {
          return await created.lint(job, (read, total) => {
            if (index === head) progress?.update(read, total);
          });
        } catch (error) {
          return internalErrorOutcome(job.file, error);
        } finally {
          progress?.done();
        }
      };
      try {
        // each worker holds two files (the pool's TASKS_PER_WORKER); as many again may wait to be printed
        for await (const outcome of inOrder(items, workers * 4, start, () => io.interrupted())) {
          head += 1;
          if (typeof outcome === 'string') {
            if (outcome.length > 0) {
              fail(outcome);
              failed = true;
            }
            continue;
          }
          await take(outcome);
        }
      } finally {
        io.interruptSignal?.removeEventListener('abort', onInterrupt);
      }
    }
  } finally {
    await pool?.close();
  }
  if (skipped.length > 0) {
    const names = skipped
      .slice(0, 5)
      .map((name) => quoteInput(name, 200))
      .join(', ');
    fail(prose.CLI_MESSAGES.skipped(skipped.length, `${names}${skipped.length > 5 ? ', ...' : ''}`));
  }
  const signal = follow ? null : interruption(io);
  if (linted === 0 && !failed && signal === null) {
    if (shard !== null) {
      // a matrix may have more jobs than the sweep has files: an empty shard is not a failure
      fail(`shard ${shard.index}/${shard.count} has no file (the inputs hold ${fileEntries.length})`);
      await sink.write(stream.end(null));
      const problem = await sink.close();
      if (problem !== null) {
        fail(problem);
        return EXIT_FAILURE;
      }
      return EXIT_OK;
    }
    fail('no training log found in the inputs');
    await sink.close();
    return EXIT_FAILURE;
  }
  await sink.write(stream.end(signal));
  const problem = await sink.close();
  if (problem !== null) {
    fail(problem);
    return EXIT_FAILURE;
  }
  if (signal !== null) {
    fail(`interrupted (${signal}): the report covers only what was read before`);
    return INTERRUPT_EXIT_CODES[signal];
  }
  if (stoppedEarly) {
    fail(prose.CLI_MESSAGES.stoppedEarly(stoppedAt));
    return EXIT_FINDINGS;
  }
  if (failed) return EXIT_FAILURE;
  const code = lintPlan.exitCodeForCounts(counts, plan.failOn, plan.maxWarnings);
  if (plan.maxWarnings !== null && counts.warning > plan.maxWarnings)
    fail(prose.CLI_MESSAGES.maxWarnings(counts.warning, plan.maxWarnings));
  return code;
}

/**
 * The report's destination. A file (`-o`) is opened at the first text to write, after the inputs'
 * identities are taken again (a followed file that did not exist at the start may exist now), so it is
 * never one of them; its first problem is kept and said once, at the end.
 */
function createSink(
  io: Io,
  options: LintCommandOptions,
  inputFiles: readonly string[],
  output: typeof import('./output.js'),
): ReportSink {
  if (options.outputFile === undefined) {
    const target = options.tee === true ? io.stderr : io.stdout;
    return {
      write: (text) => {
        if (text.length > 0) target.write(text);
        return Promise.resolve();
      },
      close: () => Promise.resolve(null),
    };
  }
  const shownPath = options.outputFile;
  const path = resolve(io.cwd, shownPath);
  let opened: OutputSink | null = null;
  let problem: string | null = null;
  let pending = '';
  /** The file once opened (a function: the compiler cannot see `open` assign it). */
  const file = (): OutputSink | null => opened;
  const open = async (): Promise<void> => {
    const inputsNow = await output.inputIdentities(inputFiles, io.cwd, io.stdinIdentity ?? null);
    const result = await output.openOutputFile(path, inputsNow, io.interruptSignal);
    if (typeof result === 'string') problem = result;
    else opened = result;
  };
  const flush = async (): Promise<void> => {
    const sink = file();
    if (sink === null || problem !== null || pending.length === 0) return;
    const chunk = pending;
    pending = '';
    problem = await sink.write(chunk);
  };
  return {
    write: async (text) => {
      if (problem !== null) return;
      pending += text;
      // the file is opened at the first text to write, not before
      if (file() === null && pending.length > 0) await open();
      await flush();
    },
    close: async () => {
      if (file() === null && problem === null) await open();
      await flush();
      const sink = file();
      const closing = sink === null ? null : await sink.close();
      const said = problem ?? closing;
      return said === null ? null : `${shownPath}: ${said}`;
    },
  };
}

/** The modules the main thread's lint of one file uses (loaded by the caller). */
interface HereModules {
  lintFile: typeof import('./lint-file.js').lintFile;
  renderStatus: typeof import('../report/status.js').renderStatus | null;
  createLiveLinter: typeof import('../live.js').createLiveLinter | null;
}

/**
 * Lints one input on the main thread: stdin, `--follow`, `--tee`, `--fail-fast` and `--jobs 1`. Live
 * status lines (one per epoch) and the passed-through log are written as they come.
 */
async function lintHere(
  job: FileJob,
  plan: FilePlan,
  io: Io,
  fail: (message: string) => void,
  errChalk: ChalkInstance,
  options: LintCommandOptions,
  modules: HereModules,
  onStop: (epoch: number) => void,
): Promise<{ outcome: FileOutcome; stoppedEarly: boolean }> {
  const linter = modules.createLiveLinter === null ? null : modules.createLiveLinter(plan.settings);
  const renderStatus = modules.renderStatus;
  let established = false;
  // whether the log passed through to stdout (--tee) last stopped inside a line: a status line on the
  // same terminal must then start on a fresh line, never in the middle of a progress bar
  let midLine = false;
  const name = job.file === '-' && plan.stdinFilename !== null ? plan.stdinFilename : job.file;
  const progress = createProgress(io, errChalk, name, linter !== null);
  const outcome = await modules.lintFile(job, plan, {
    cwd: io.cwd,
    stdin: io.stdin,
    stop: () => (options.failFast === true && established) || io.interrupted(),
    interruption: () => (plan.follow ? null : interruption(io)),
    stoppedEarly: () => established && options.failFast === true,
    ...(io.interruptSignal === undefined ? {} : { signal: io.interruptSignal }),
    onNotice: (notice) =>
      fail(`${job.file}: ${notice.line === null ? '' : `line ${notice.line}: `}${notice.message}`),
    ...(options.tee === true
      ? {
          onChunk: (chunk: Uint8Array) => {
            // a copy: the write may wait for a slow reader, and the chunk's buffer is filled again
            io.stdout.write(Buffer.from(chunk));
            if (chunk.length > 0) midLine = chunk[chunk.length - 1] !== 0x0a;
          },
        }
      : {}),
    ...(progress === null ? {} : { onProgress: progress.update }),
    ...(linter === null || renderStatus === null
      ? {}
      : {
          onEpoch: (epoch, run) => {
            // after --fail-fast has decided, the rest of the chunk is read but not announced
            if (established && options.failFast === true) return;
            const update = linter.add(epoch, run);
            io.stderr.write(
              `${midLine ? '\n' : ''}${renderStatus(epoch, run, update.newFindings, errChalk)}\n`,
            );
            midLine = false;
            if (update.hasError) {
              established = true;
              onStop(epoch.epoch);
            }
          },
        }),
  });
  progress?.done();
  return { outcome, stoppedEarly: established && options.failFast === true };
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
