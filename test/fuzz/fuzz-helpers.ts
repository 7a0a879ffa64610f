/**
 * Shared pieces of the fuzz suite: the seed and run count (fixed inside `npm test`, from the
 * environment for `npm run fuzz`), parsing in chunks, and the checks every parse must pass.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Epoch, ParseIssue, Run } from '../../src/model/index.js';
import { createParser, type ParseSummary } from '../../src/parse/index.js';
import { hasUnsafeCharacters } from '../../src/report/escape.js';
import { feedReused } from '../parse/chunking.js';

/** The seed of every property: `EPOCHLINT_FUZZ_SEED` (`npm run fuzz`), else a fixed one (`npm test`). */
export const FUZZ_SEED = seedFromEnvironment(process.env.EPOCHLINT_FUZZ_SEED);
/** How many times the default run counts are multiplied (`EPOCHLINT_FUZZ_SCALE`, `npm run fuzz`). */
export const FUZZ_SCALE = Math.max(1, Number.parseInt(process.env.EPOCHLINT_FUZZ_SCALE ?? '1', 10) || 1);

function seedFromEnvironment(text: string | undefined): number {
  if (text === undefined || text === '') return 20261202;
  const seed = Number.parseInt(text, 10);
  if (!Number.isSafeInteger(seed)) throw new Error(`EPOCHLINT_FUZZ_SEED must be an integer, not ${text}`);
  return seed;
}

/**
 * fast-check parameters of one property: the suite's seed, `runs` runs times the scale. A failure
 * names the seed and the shrunk counterexample's path (fast-check's report), and the seed is repeated
 * in the message so `EPOCHLINT_FUZZ_SEED=<seed> npm run fuzz` replays it.
 */
export function fuzzParameters(runs: number): fc.Parameters<unknown> {
  return {
    seed: FUZZ_SEED,
    numRuns: runs * FUZZ_SCALE,
    reporter: (details) => {
      if (details.failed) {
        throw new Error(
          `${fc.defaultReportMessage(details)}\n${String(details.errorInstance)}\nreplay: EPOCHLINT_FUZZ_SEED=${FUZZ_SEED} EPOCHLINT_FUZZ_SCALE=${FUZZ_SCALE} npm run fuzz`,
        );
      }
    },
  };
}

/** Everything one parse gave. */
export interface Parsed {
  runs: Run[];
  issues: ParseIssue[];
  summary: ParseSummary;
}

/** Parses `bytes` fed in the chunks cut at `cuts` (any positions, even inside a character). */
export function parseChunks(bytes: Uint8Array, cuts: readonly number[] = [], inputFormat = 'auto'): Parsed {
  const runs: Run[] = [];
  const issues: ParseIssue[] = [];
  const parser = createParser({
    inputFormat,
    onRun: (r) => runs.push(r),
    onIssue: (i) => issues.push(i),
  });
  const sorted = [...new Set(cuts.map((c) => Math.max(0, Math.min(bytes.length, c))))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const cut of sorted) {
    chunks.push(bytes.subarray(from, cut));
    from = cut;
  }
  chunks.push(bytes.subarray(from));
  // through one buffer, overwritten after each feed, as a file is read
  feedReused(parser, chunks);
  const summary = parser.end();
  return { runs, issues, summary };
}

/** The epochs of every run, in order. */
export function allEpochs(parsed: Parsed): Epoch[] {
  return parsed.runs.flatMap((r) => r.epochs);
}

/**
 * What every parse must be, whatever the input: a summary that agrees with the runs, or a fatal reason
 * (one bounded line), no raw control (or invisible) character in any message, and
 * messages of bounded size.
 */
export function expectSound(parsed: Parsed): void {
  const { runs, issues, summary } = parsed;
  if (summary.fatal === null) {
    expect(summary.runs).toBe(runs.length);
    expect(summary.epochs).toBe(runs.reduce((n, r) => n + r.epochs.length, 0));
  } else {
    // runs streamed before the input proved unreadable are discarded by the caller (the input fails)
    expect(summary.dialect).toBeNull();
    expect(hasUnsafeCharacters(summary.fatal), summary.fatal).toBe(false);
    expect(summary.fatal.length).toBeLessThanOrEqual(2000);
  }
  for (const issue of issues) {
    expect(hasUnsafeCharacters(issue.message), issue.message).toBe(false);
    expect(issue.message.length).toBeLessThanOrEqual(2000);
  }
  for (const run of runs) {
    for (const epoch of run.epochs) expect(Number.isInteger(epoch.epoch) && epoch.epoch >= 1).toBe(true);
  }
}

/** A fixture's bytes. */
export function fixture(path: string): Uint8Array {
  return readFileSync(new URL(`../../fixtures/${path}`, import.meta.url));
}

/**
 * One fixture per reader (the readers' own shapes): mutations and chunkings start from these.
 * `lines`: the format is read line by line, so its records do not depend on lines after them.
 */
export const READER_FIXTURES: ReadonlyArray<{ path: string; lines: boolean }> = [
  { path: 'real/crossvalidated-416172.txt', lines: true },
  { path: 'parse/keras/keras3-ansi.log', lines: true },
  { path: 'parse/keras/backspace-frames-tfkeras.log', lines: true },
  { path: 'parse/csv/appended-resume.csv', lines: true },
  { path: 'real/bloodgroup-lr-training_log.csv', lines: true },
  { path: 'parse/epoch-lines/shapes.log', lines: true },
  { path: 'parse/hf/console-eval-accuracy-alternates.log', lines: true },
  { path: 'parse/jsonl/train-and-val-lines.jsonl', lines: true },
  { path: 'parse/lightning/console-four-epochs.log', lines: true },
  { path: 'real/mnist-cnn-lightning-metrics.csv', lines: true },
  { path: 'parse/lists/python-list-wrapped.txt', lines: false },
  { path: 'parse/yolo/console-two-epochs-excerpt.md', lines: true },
  { path: 'real/yolov8-fire-smoke-padded-results.csv', lines: true },
  { path: 'real/fastai-r-callbacks-earlystop-reducelr.Rmd', lines: false },
  { path: 'real/hf-modelcard-mrpc-nolog.md', lines: false },
  { path: 'real/timm-issue-58-summary-csv-blank-lines.csv', lines: true },
  { path: 'real/xgboost-issue-2777-eval-every-500-overfit.txt', lines: true },
  { path: 'parse/json/dict-of-lists.json', lines: false },
  { path: 'parse/json/list-of-dicts.json', lines: false },
  { path: 'real/brain-tumor-prettier-history.json', lines: false },
  { path: 'parse/ipynb/two-training-cells.ipynb', lines: false },
  { path: 'parse/tfevents/events.out.tfevents.1700000000.pytorch-steps', lines: false },
  { path: 'parse/fastai/history.csv', lines: true },
  { path: 'parse/tensorboard/run-lightning_logs_version_0-tag-val_loss.csv', lines: true },
  // runs are columns here, so a prefix of the rows is no prefix of the records: mutations only (its
  // chunk boundaries are tested in test/parse/csv-families.test.ts)
  { path: 'parse/wandb/panel-two-runs.csv', lines: false },
  { path: 'parse/frameworks/torchvision-metriclogger.log', lines: true },
  { path: 'parse/frameworks/timm-train.log', lines: true },
  { path: 'parse/frameworks/mmengine-epochs.log', lines: true },
  { path: 'parse/frameworks/ignite-results.log', lines: true },
  { path: 'parse/frameworks/catboost-verbose.log', lines: true },
  { path: 'parse/frameworks/lightning-cr-joined.log', lines: true },
  { path: 'parse/ipynb/hf-steps-interrupted.ipynb', lines: false },
  { path: 'parse/ipynb/fastai-fine-tune-two-tables.ipynb', lines: false },
];
