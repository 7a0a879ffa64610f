import { z } from 'zod';

/**
 * A metric value as printed or saved. `NaN`, `Infinity` and `-Infinity` are kept, because a
 * non-finite loss is itself a finding (zod's `z.number()` would reject them).
 */
export const MetricValue = z.custom<number>((value) => typeof value === 'number', {
  message: 'expected a number (NaN and ±Infinity allowed)',
});

/** Where a record came from: 1-based line of the (decoded) input. */
export const SourceLine = z.number().int().min(1);

/** One completed epoch of a training run. */
export const Epoch = z.object({
  /** 1-based epoch number, as in `Epoch k/N` (CSVLogger's 0-based column is shifted by one). */
  epoch: z.number().int().min(1),
  /** The `N` of `Epoch k/N`: the last epoch number of that `fit` call; null when not printed. */
  of: z.number().int().min(1).nullable(),
  /** Metric name → value, names exactly as printed (`acc` and `accuracy` stay different). */
  metrics: z.record(z.string(), MetricValue),
  /** Progress counter of the final frame (`910/910`); null when the format has none. */
  steps: z.object({ done: z.number().int().min(0), total: z.number().int().min(0) }).nullable(),
  /** What the counter counts: steps (batches) or samples (old Keras with array input). */
  countUnit: z.enum(['step', 'sample']).nullable(),
  /** Elapsed seconds of the epoch as printed (`530s`). */
  seconds: z.number().nullable(),
  /** Seconds per step (or per sample) as printed (`582ms/step` → 0.582). */
  stepTime: z.number().nullable(),
  line: SourceLine,
});
export type Epoch = z.infer<typeof Epoch>;

const eventBase = {
  /** 1-based epoch the event belongs to (by its own number when it prints one); null when unknown. */
  epoch: z.number().int().min(1).nullable(),
  line: SourceLine,
};

/** A callback message, typed. */
export const Event = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('checkpoint-improved'),
    ...eventBase,
    monitor: z.string(),
    /** The previous best (`inf`, `-inf`, or null for Keras ≥ 3.11's `None`). */
    from: MetricValue.nullable(),
    to: MetricValue,
    path: z.string().nullable(),
  }),
  z.object({
    kind: z.literal('checkpoint-not-improved'),
    ...eventBase,
    monitor: z.string(),
    /** The best so far; null for Keras < 2.1.6, which did not print it. */
    best: MetricValue.nullable(),
  }),
  z.object({ kind: z.literal('checkpoint-saved'), ...eventBase, path: z.string() }),
  z.object({ kind: z.literal('lr-reduced'), ...eventBase, lr: MetricValue }),
  z.object({ kind: z.literal('lr-scheduled'), ...eventBase, lr: MetricValue }),
  z.object({ kind: z.literal('early-stopping'), ...eventBase }),
  z.object({ kind: z.literal('restore-best-weights'), ...eventBase, bestEpoch: z.number().int().nullable() }),
  z.object({ kind: z.literal('terminate-nan'), ...eventBase, batch: z.number().int().min(0) }),
]);
export type Event = z.infer<typeof Event>;
export type EventKind = Event['kind'];

/** A data-loading line that states a dataset size. */
export const Dataset = z.object({
  /**
   * `found`: `Found N images/files/... [belonging to K classes].` (ImageDataGenerator, *_dataset_from_directory);
   * `using`: `Using N files for training|validation.`;
   * `train-on`: one half of `Train on N samples, validate on M samples` / `Train for N steps, ...`.
   */
  source: z.enum(['found', 'using', 'train-on']),
  /** `train`/`validation` when the line says so; `unknown` for `Found ...` lines (order is a hint only). */
  role: z.enum(['train', 'validation', 'unknown']),
  count: z.number().int().min(0),
  /** What is counted: `images`, `files`, `samples`, `steps`, `validated image filenames`, ... */
  unit: z.string(),
  classes: z.number().int().min(0).nullable(),
  line: SourceLine,
});
export type Dataset = z.infer<typeof Dataset>;

/** Input dialects the parser understands. */
export const Dialect = z.enum(['keras-text', 'csv-logger', 'history-json', 'notebook']);
export type Dialect = z.infer<typeof Dialect>;

/** One training (one `fit` call, or one continuous table/history). */
export const Run = z.object({
  /** 0-based position of the run in its file. */
  index: z.number().int().min(0),
  epochs: z.array(Epoch),
  events: z.array(Event),
  datasets: z.array(Dataset),
  source: z.object({
    dialect: Dialect,
    /** The file as given on the command line (`-` for stdin); null for in-memory text. */
    file: z.string().nullable(),
    /** First and last 1-based source lines of the run. */
    fromLine: SourceLine,
    toLine: SourceLine,
  }),
});
export type Run = z.infer<typeof Run>;

/** Kinds of parse problems; each is reported with a line and a one-line message. */
export const ParseIssueKind = z.enum([
  /** The input ended inside an epoch: its final line never arrived or was cut inside a metric. */
  'truncated-epoch',
  /** A header or progress bar started an epoch that never completed before the next one began. */
  'incomplete-epoch',
  /** A line that looked like an epoch's metrics but could not be read. */
  'unparsed-epoch-line',
  /** Metric fragments with no progress line to belong to. */
  'orphan-metrics',
  /** A value that is not a number where a number was expected. */
  'bad-value',
  /** A progress bar after an epoch's final line (evaluate/predict): not counted as an epoch. */
  'ignored-bar',
  /** An epoch number seen twice in one run; the later record wins. */
  'duplicate-epoch',
  /** Bytes that are not valid UTF-8 were replaced. */
  'invalid-utf8',
  /** A line longer than the parser keeps; the part with no epoch token was skipped. */
  'line-too-long',
  /** The input holds no epoch at all. */
  'no-epochs',
  /** The file is JSON/CSV/notebook but malformed, or its structure is not a training log. */
  'malformed-input',
  /** Something the parser had to guess (epoch numbering, lists of different lengths, ...). */
  'ambiguous',
  /** `--follow`: the name now points at another file (rotated, recreated) or the file was removed. */
  'file-replaced',
  /** `--follow`: the file shrank or its bytes changed in place (truncation, copytruncate, rewrite). */
  'file-truncated',
  /** Reading was interrupted (SIGINT/SIGTERM) before the input ended: the records stop here. */
  'interrupted',
]);
export type ParseIssueKind = z.infer<typeof ParseIssueKind>;

/** A parse problem as a value: parsing goes on and the issue is reported with the results. */
export const ParseIssue = z.object({
  kind: ParseIssueKind,
  /** 1-based source line; null when the issue concerns the whole input. */
  line: SourceLine.nullable(),
  message: z.string(),
});
export type ParseIssue = z.infer<typeof ParseIssue>;
