import { z } from 'zod';
import { RunContext } from './context.js';
import { Diagnosis, Finding } from './findings.js';
import { Dialect, MetricValue, ParseIssue, TimeAxis } from './records.js';

/** Version of the lint JSON report; bumped on any incompatible change. */
export const REPORT_SCHEMA_VERSION = 1;

/**
 * The curves of a run as the charts draw them: each metric's value at every epoch, and the epochs where
 * the learning rate changed or a checkpoint improved. The report's reporters are functions of the report
 * alone, so what a chart needs travels here rather than as the parsed records.
 */
export const RunSeries = z.object({
  /** The epoch numbers of the run's records, in order (the time axis of the chart). */
  epochs: z.array(z.number().int()),
  /** Metric name (as printed) → one value per entry of `epochs`; null where that epoch lacks the metric. */
  metrics: z.record(z.string(), z.array(MetricValue.nullable())),
  /** Epochs where the learning rate changed (callback events, or a change of a logged rate). */
  lrChanges: z.array(z.number().int()),
  /** Epochs where a ModelCheckpoint reported an improvement. */
  checkpoints: z.array(z.number().int()),
});
export type RunSeries = z.infer<typeof RunSeries>;

/** A run, summarised for a report (the full records are `epochlint parse`'s job). */
export const RunSummary = z.object({
  index: z.number().int().min(0),
  epochs: z.number().int().min(0),
  firstEpoch: z.number().int().nullable(),
  lastEpoch: z.number().int().nullable(),
  fromLine: z.number().int().min(1),
  toLine: z.number().int().min(1),
  metrics: z.array(z.string()),
  /**
   * What the records count when it is not epochs: `step`, `round` or `evaluation` (the findings'
   * `epochs` are then positions on that axis). Absent for epochs.
   */
  axis: TimeAxis.optional(),
  /**
   * The curves for charts; absent when the report was made without the records at hand (the CLI attaches
   * them with `attachSeries`; the JSON report leaves them out: `epochlint parse` prints the records).
   */
  series: RunSeries.optional(),
});
export type RunSummary = z.infer<typeof RunSummary>;

/** Everything epochlint says about one input file. */
export const FileReport = z.object({
  file: z.string(),
  format: Dialect.nullable(),
  runs: z.array(RunSummary),
  findings: z.array(Finding),
  diagnoses: z.array(Diagnosis),
  /** What was known or assumed about each run (log facts, code read, flags, inferred sample counts). */
  contexts: z.array(RunContext),
  issues: z.array(ParseIssue),
  /** Set when the file could not be read at all; then everything else is empty. */
  error: z.string().nullable(),
});
export type FileReport = z.infer<typeof FileReport>;

/** The lint report over all inputs. */
export const Report = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  files: z.array(FileReport),
  /** Set when reading was interrupted before the inputs ended: the report is partial. */
  interrupted: z.enum(['SIGINT', 'SIGTERM']).nullable(),
  /** The config file used: its path as shown, and whether it lies outside the project. */
  config: z.object({ path: z.string(), outsideProject: z.boolean() }).nullable(),
});
export type Report = z.infer<typeof Report>;
