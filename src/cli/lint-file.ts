/**
 * Linting one input of `epochlint [files...]`: read it through the parser, decide whether it is a
 * training log, lint it, and return what the command prints for it, as data. The same function runs on
 * the main thread (stdin, `--follow`, `--jobs 1`) and on the worker threads of a sweep, so a file gives
 * the same outcome, byte for byte, wherever it was linted. Nothing here writes: the caller prints the
 * outcome's messages and report in the order of the inputs.
 */
import type { Readable } from 'node:stream';
import { createHeadCollector, readTrainingCode } from '../context/index.js';
import { lintRuns, lintsWithoutRecords, type LintSettings } from '../lint.js';
import type { Epoch, FileReport, ParseIssue } from '../model/index.js';
import { nameSeries } from '../parse/bare-list.js';
import { CLI_MESSAGES } from '../report/prose.js';
import { attachSeries } from '../report/series.js';
import { suggest } from './config.js';
import { readInput, type InputNotice, type InputResult } from './input.js';
import { LONG_RUN_EPOCHS, LONG_RUN_GROWTH_BYTES, reclaim, tieringForLongRuns } from './reclaim.js';
import { COMMANDS } from './program.js';
import type { InterruptSignal } from './signals.js';

/** What every file of one lint is read and linted with (plain data: it is sent to the workers). */
export interface FilePlan {
  /** `auto`, a dialect or an alias (`--input-format`, the config's `inputFormat`). */
  inputFormat: string;
  settings: LintSettings;
  /** The name piped input is reported under (`--stdin-filename`). */
  stdinFilename: string | null;
  /** `--follow`: keep reading a growing file. */
  follow: boolean;
  /** `--fail-fast`: stop reading once an error is established (the caller's `stopped` says when). */
  failFast: boolean;
  /** `--script`: the training code the diagnosis reads for every input (read once, before any input). */
  script: { text: string; file: string } | null;
}

/** One input to lint, as the expansion of the arguments gave it. */
export interface FileJob {
  file: string;
  /** Found by walking a directory: a file there that is not a training log is skipped, not a failure. */
  fromDirectory: boolean;
}

/** What the caller supplies while a file is read. */
export interface FileHooks {
  cwd: string;
  stdin: Readable;
  /** Polled between chunks: true ends reading (an interrupt, or `--fail-fast` once it decided). */
  stop: () => boolean;
  /** The interrupt that stopped the whole lint, or null. */
  interruption: () => InterruptSignal | null;
  /** True once `--fail-fast` decided to stop (the epoch it was inside is then not a truncated log). */
  stoppedEarly?: () => boolean;
  signal?: AbortSignal;
  onEpoch?: (epoch: Epoch, run: number) => void;
  onChunk?: (chunk: Uint8Array) => void;
  onProgress?: (read: number, total: number | null) => void;
  onNotice?: (notice: InputNotice) => void;
}

/** What the command prints for one input (in the order of the inputs). */
export interface FileOutcome {
  /** The name it is reported under. */
  name: string;
  /** The report of the file, also for a failed one (with its `error`); null when it was skipped. */
  report: FileReport | null;
  /** A file of a directory that is not a training log: named in the skipped list. */
  skipped: boolean;
  /** The input could not be read or held no epoch: exit code 2. */
  failed: boolean;
  /** Reading was cut short by an interrupt. */
  cut: boolean;
  /** One-line messages for stderr (`epochlint: ...`), unescaped: the caller escapes and bounds them. */
  messages: string[];
}

/**
 * What to say about an input that gave no record: the parser's own sentence (which shapes it saw, or
 * that nothing looked like a training log), never a silent "no findings".
 */
export function misreadMessage(issues: readonly ParseIssue[]): string {
  const said = issues.find((i) => i.kind === 'not-a-log' || i.kind === 'no-epochs');
  return said === undefined ? 'no completed epoch found' : said.message;
}

/**
 * When an interrupt cut `input` short, says so in its own issues (so a file of records or a report read
 * later shows where it stops); true when it did.
 */
export function markInterrupted(input: InputResult, signal: InterruptSignal | null): boolean {
  if (signal === null || !input.stopped) return false;
  input.issues.push({
    kind: 'interrupted',
    line: null,
    message: `reading was interrupted (${signal}) before the input ended: the records stop here`,
  });
  return true;
}

/** A missing file named like a command (`epochlint rulez`): the user probably meant the command. */
function commandHint(file: string, error: string): string {
  if (error !== 'no such file' || /[/\\.]/.test(file)) return '';
  const command = suggest(file, COMMANDS);
  return command === null ? '' : `; ${CLI_MESSAGES.noSuchCommand(command)}`;
}

function failedReport(name: string, error: string): FileReport {
  return { file: name, format: null, runs: [], findings: [], diagnoses: [], contexts: [], issues: [], error };
}

/** Reads and lints one input. Never throws for bad input: an unreadable file is an outcome too. */
export async function lintFile(job: FileJob, plan: FilePlan, hooks: FileHooks): Promise<FileOutcome> {
  const { file } = job;
  const name = file === '-' && plan.stdinFilename !== null ? plan.stdinFilename : file;
  // the head of the input, where a notebook's cells or code pasted above the log are (bounded)
  const head = createHeadCollector();
  const onChunk = hooks.onChunk;
  const result = await readInput(file, {
    cwd: hooks.cwd,
    inputFormat: plan.inputFormat,
    // --metric names a bare list of values from its first record on (the live status line included)
    metricNames: plan.settings.metrics ?? [],
    stdin: hooks.stdin,
    follow: plan.follow,
    stop: hooks.stop,
    ...(hooks.signal === undefined ? {} : { signal: hooks.signal }),
    ...(hooks.onNotice === undefined ? {} : { onNotice: hooks.onNotice }),
    onChunk: (chunk: Uint8Array) => {
      head.push(chunk);
      onChunk?.(chunk);
    },
    ...(hooks.onProgress === undefined ? {} : { onProgress: hooks.onProgress }),
    ...(hooks.onEpoch === undefined ? {} : { onEpoch: hooks.onEpoch }),
  });
  const cut = !plan.follow && markInterrupted(result, hooks.interruption());
  const stoppedEarly = hooks.stoppedEarly?.() === true;
  const outcome = (fields: Partial<FileOutcome>): FileOutcome => ({
    name,
    report: null,
    skipped: false,
    failed: false,
    cut,
    messages: [],
    ...fields,
  });
  // readable but not a training log (params.json, package.json, notes): skipped; an unreadable, binary
  // or malformed log is still a failure
  const notALog =
    (result.error === null && (result.summary?.epochs ?? 0) === 0) ||
    (result.error !== null && result.error.includes('no metric lists found'));
  if (job.fromDirectory && notALog && !stoppedEarly && !cut) return outcome({ skipped: true });
  if (result.error !== null) {
    return outcome({
      failed: true,
      report: failedReport(name, result.error),
      messages: [`${name}: ${result.error}${commandHint(file, result.error)}`],
    });
  }
  if ((result.summary?.epochs ?? 0) === 0 && !cut && !lintsWithoutRecords(result.issues)) {
    // never "no findings" for a log that could not be read: one line, exit 2, and the report says why
    const message = misreadMessage(result.issues);
    return outcome({ failed: true, report: failedReport(name, message), messages: [`${name}: ${message}`] });
  }
  // --fail-fast stopped reading on purpose: the epoch it was inside is not a truncated log
  const issues = stoppedEarly ? result.issues.filter((i) => i.kind !== 'truncated-epoch') : result.issues;
  const series = plan.settings.metrics?.[0];
  const runs = series === undefined ? result.runs : result.runs.map((r) => nameSeries(r, series));
  const code = await readTrainingCode({ text: head.text(), file: null }, plan.script);
  reclaim();
  const long = (result.summary?.epochs ?? 0) >= LONG_RUN_EPOCHS;
  const between = long ? () => reclaim(1, LONG_RUN_GROWTH_BYTES) : () => reclaim();
  const linted = tieringForLongRuns(long, () =>
    lintRuns(name, result.summary?.dialect ?? null, runs, issues, plan.settings, code, between),
  );
  // linted without a record (a non-finite loss on unnumbered lines): the note that no epoch was found stays
  const unnumbered = (result.summary?.epochs ?? 0) === 0 && !cut && lintsWithoutRecords(result.issues);
  const note = unnumbered ? [`${name}: ${misreadMessage(result.issues)}`] : [];
  return outcome({ report: attachSeries(linted, runs), messages: note });
}
