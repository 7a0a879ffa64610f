/**
 * The one report every reporter test renders: real logs through the real pipeline (the founding case
 * with alternation errors and causes, a NaN log, a healthy history), an unreadable file, and a hand-made
 * finding whose metric name is hostile to every output format.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Chalk } from 'chalk';
import { readTrainingCode } from '../../src/context/index.js';
import { lintRuns } from '../../src/lint.js';
import {
  REPORT_SCHEMA_VERSION,
  type FileReport,
  type Finding,
  type Report,
  type Run,
} from '../../src/model/index.js';
import { parseText } from '../../src/parse/index.js';
import type { ReporterOptions } from '../../src/report/index.js';
import { attachSeries } from '../../src/report/series.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const SEED = 'fixtures/real/crossvalidated-416172.txt';
export const NAN = 'fixtures/real/cnn-sentence-nan-issue7.txt';
export const HEALTHY = 'fixtures/real/satellite-unet-jaccard-history.json';
export const MISSING = 'missing.log';
export const HOSTILE_FILE = 'hostile.log';

/**
 * A metric name built to break formats: cell and property separators, a `%` that could forge a
 * GitHub escape, a real newline, markup, quotes, a backtick, and an ANSI escape sequence.
 */
export const HOSTILE_METRIC = 'val_a|b,c:d%0A\n<x>&"\'`\u001b[2J';

/** The parsed runs of the sample's readable files. */
export const SAMPLE_RUNS = new Map<string, readonly Run[]>();

/** A real log through the real pipeline, with the training code found in it and its curves attached, as the CLI does. */
export async function lintFixture(file: string): Promise<FileReport> {
  const bytes = readFileSync(`${ROOT}${file}`);
  const parsed = parseText(bytes, { file });
  SAMPLE_RUNS.set(file, parsed.runs);
  const code = await readTrainingCode({ text: bytes.toString('utf8'), file: null }, null);
  return attachSeries(
    lintRuns(file, parsed.summary.dialect, parsed.runs, parsed.issues, undefined, code),
    parsed.runs,
  );
}

/** A report of some files, as the CLI makes it (not interrupted, no config file). */
export function reportOf(files: FileReport[]): Report {
  return { schemaVersion: REPORT_SCHEMA_VERSION, files, interrupted: null, config: null };
}

const hostileFinding: Finding = {
  rule: 'plateau',
  severity: 'warning',
  run: 0,
  metric: HOSTILE_METRIC,
  epochs: [3, 14],
  line: 5,
  stats: { best: 0.25, bestEpoch: 3, epochsSinceBest: 11, label: HOSTILE_METRIC },
  evidence: {},
  messageId: 'plateau',
  data: { metric: HOSTILE_METRIC, since: 11, best: 0.25, bestEpoch: 3, changes: 0 },
  next: { messageId: 'nextSchedule', data: { metric: HOSTILE_METRIC, bestEpoch: 3, patience: 5 } },
};

const hostile: FileReport = {
  file: HOSTILE_FILE,
  format: 'keras-text',
  runs: [
    {
      index: 0,
      epochs: 14,
      firstEpoch: 1,
      lastEpoch: 14,
      fromLine: 1,
      toLine: 20,
      metrics: ['loss', HOSTILE_METRIC],
    },
  ],
  findings: [hostileFinding],
  diagnoses: [],
  contexts: [],
  issues: [],
  error: null,
};

const missing: FileReport = {
  file: MISSING,
  format: null,
  runs: [],
  findings: [],
  diagnoses: [],
  contexts: [],
  issues: [],
  error: 'no such file',
};

/** The shared sample: seed, NaN log, healthy log, unreadable file, hostile finding (in this order). */
export const SAMPLE: Report = reportOf([
  await lintFixture(SEED),
  await lintFixture(NAN),
  await lintFixture(HEALTHY),
  missing,
  hostile,
]);

/** Reporter options for the sample: no colour, a fixed version. */
export function sampleOptions(failOn: ReporterOptions['failOn'] = 'error'): ReporterOptions {
  return { chalk: new Chalk({ level: 0 }), version: '0.1.0-test', failOn };
}
