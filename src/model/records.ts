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

/**
 * What the records of a run are positions on (design: the detectors use `Epoch.epoch` as time):
 * `epoch` (one record per training epoch), `step` (an evaluation every N optimizer steps, keyed by the
 * global step: Trainer `eval_steps`, Lightning `val_check_interval`, TensorBoard), `round` (boosting
 * rounds), `evaluation` (evaluations in order with nothing else known: a bare list of values).
 */
export const TimeAxis = z.enum(['epoch', 'step', 'round', 'evaluation']);
export type TimeAxis = z.infer<typeof TimeAxis>;

/** Which data a metric was computed on, when the format says so and its printed name does not. */
export const MetricPhase = z.enum(['train', 'validation', 'test']);
export type MetricPhase = z.infer<typeof MetricPhase>;

/** One completed epoch of a training run (or one evaluation point on the run's time axis). */
export const Epoch = z.object({
  /**
   * 1-based position on the run's time axis. For epochs, the epoch number as in `Epoch k/N` (0-based
   * columns and prints are shifted by one); for step-, round- and evaluation-based runs, the 1-based
   * index of the evaluation (what was printed is kept in `step`, `epochValue` and `round`).
   */
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
  /**
   * The optimizer step printed with the record: the global step (Lightning, the Hugging Face Trainer,
   * TensorBoard), or the batch counter of a hand-written loop's step line (`[10,   900] loss: ...`).
   * Absent or null when none was printed.
   */
  step: z.number().int().min(0).nullable().optional(),
  /**
   * The epoch as printed when it is not `epoch` itself: 0-based (`Epoch 0:`, fastai, YOLO), fractional
   * (`'epoch': 1.53`), or the epoch of a step-based evaluation. Absent or null otherwise.
   */
  epochValue: z.number().nullable().optional(),
  /** The boosting round as printed (`[500]`, XGBoost's 0-based index). Absent or null otherwise. */
  round: z.number().int().min(0).nullable().optional(),
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
  /**
   * A validation or test pass outside the training epochs (Lightning's `trainer.validate()`/`test()`
   * tables and CSV rows after fit): its metrics, not an epoch.
   */
  z.object({
    kind: z.literal('evaluation'),
    ...eventBase,
    phase: z.enum(['validation', 'test']),
    metrics: z.record(z.string(), MetricValue),
  }),
]);
export type Event = z.infer<typeof Event>;
export type EventKind = Event['kind'];

/** A data-loading line that states a dataset size. */
export const Dataset = z.object({
  /**
   * `found`: `Found N images/files/... [belonging to K classes].` (ImageDataGenerator, *_dataset_from_directory);
   * `using`: `Using N files for training|validation.`;
   * `train-on`: one half of `Train on N samples, validate on M samples` / `Train for N steps, ...`;
   * `counted`: the total of a held-out line's `correct/total` count (`Accuracy: 9897/10000 (99%)`).
   */
  source: z.enum(['found', 'using', 'train-on', 'counted']),
  /** `train`/`validation` when the line says so; `unknown` for `Found ...` lines (order is a hint only). */
  role: z.enum(['train', 'validation', 'unknown']),
  count: z.number().int().min(0),
  /** What is counted: `images`, `files`, `samples`, `steps`, `validated image filenames`, ... */
  unit: z.string(),
  classes: z.number().int().min(0).nullable(),
  line: SourceLine,
});
export type Dataset = z.infer<typeof Dataset>;

/**
 * Input dialects the parser understands: the one list of formats. `src/parse/readers.ts` has one reader
 * entry per dialect (the compiler checks it), and the CLI's `--input-format`, the config's `inputFormat`
 * and the JSON Schemas derive from it.
 */
export const Dialect = z.enum([
  /** Keras `model.fit` console output, every family and verbosity. */
  'keras-text',
  /** Keras `CSVLogger` files and look-alike per-epoch CSVs. */
  'csv-logger',
  /** A saved Keras `history.history` (JSON, Python repr, pandas orientations). */
  'history-json',
  /** A Jupyter notebook: the stream outputs of its code cells, read as Keras console output. */
  'notebook',
  /** Per-epoch lines of hand-written loops (PyTorch, TensorFlow custom loops, tqdm bars, TSV logs). */
  'epoch-lines',
  /** PyTorch Lightning console output: the epoch bar's last frame, `Validate metric` tables. */
  'lightning-console',
  /** PyTorch Lightning `CSVLogger` `metrics.csv`: train and validation rows merged per epoch. */
  'lightning-csv',
  /** Hugging Face Trainer `trainer_state.json` (`log_history`). */
  'hf-trainer-state',
  /** Hugging Face Trainer console output: the printed metric dicts. */
  'hf-trainer-log',
  /** Hugging Face model card "Training results" tables and notebook epoch tables (markdown). */
  'hf-model-card',
  /** fastai epoch tables (console text, R data frames, notebook HTML). */
  'fastai-table',
  /** fastai `CSVLogger` `history.csv`. */
  'fastai-csv',
  /** Ultralytics YOLO `results.csv` (padded columns). */
  'yolo-csv',
  /** YOLOv5 console output: the epoch row under its header and the validation `all` row. */
  'yolo-console',
  /** timm `train.py` `summary.csv`. */
  'timm-csv',
  /** XGBoost / LightGBM evaluation lines (`[0]\ttrain-logloss:... valid-logloss:...`). */
  'boosting-rounds',
  /** JSON Lines logs: one dict of metrics per line. */
  'json-lines',
  /** TensorBoard event files (`events.out.tfevents.*`): scalar summaries. */
  'tfevents',
  /** TensorBoard's "download CSV" of one scalar (`Wall time,Step,Value`; the tag in the file name). */
  'tensorboard-csv',
  /** A metric file of MLflow's file store (`mlruns/.../metrics/<key>`: `<timestamp> <value> <step>` lines). */
  'mlflow-metric',
  /** A Weights & Biases chart exported as CSV (`Step,"<run> - <metric>",...__MIN,...__MAX`). */
  'wandb-csv',
  /** Bare lists of numbers (one a line, or a Python list): one validation series. */
  'bare-list',
]);
export type Dialect = z.infer<typeof Dialect>;

/** One training (one `fit` call, or one continuous table/history). */
export const Run = z.object({
  /** 0-based position of the run in its file. */
  index: z.number().int().min(0),
  epochs: z.array(Epoch),
  events: z.array(Event),
  datasets: z.array(Dataset),
  /** What `Epoch.epoch` counts; absent means `epoch`. */
  axis: TimeAxis.optional(),
  /**
   * The phase of metrics whose printed names do not say it but whose format does (fastai's metric
   * columns and a model card's metric columns are computed on the validation set). Absent when none.
   */
  phases: z.record(z.string(), MetricPhase).optional(),
  /**
   * A class count the log states in its own words, outside a dataset line (`(100 classes)` in a banner,
   * `num_classes=100` in printed arguments): the last one printed before or in the run. Absent when none.
   */
  classes: z
    .object({
      count: z.number().int().min(2),
      /** The words that state it (`100 classes`, `num_classes=100`). */
      text: z.string(),
      line: SourceLine,
    })
    .optional(),
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
  /**
   * A metric named twice in one record (a JSON key given twice, two CSV columns of one name, a name
   * repeated in one progress frame): the message says which value is kept.
   */
  'duplicate-metric',
  /**
   * Beyond one of the parser's limits ({@link PARSE_LIMITS}): a metric name too long, a record with too
   * many values, more issues of one kind than are listed. What was left out is said.
   */
  'over-limit',
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
  /**
   * The format can hide non-finite values: the Hugging Face Trainer's default
   * `logging_nan_inf_filter=True` drops NaN/Inf step losses from the logged averages.
   */
  'nonfinite-hidden',
  /**
   * A loss printed as `nan` or `inf` on a line without an epoch number, in an input where no epoch record
   * was found: there is nothing to lint, but the divergence is reported (one issue per line, with `metric`).
   */
  'nonfinite-unnumbered',
  /**
   * Readable, but not a training log: a structured file with no metric series (params, manifests,
   * configs), or text in which no record was recognised (the message names the shapes seen).
   */
  'not-a-log',
]);
export type ParseIssueKind = z.infer<typeof ParseIssueKind>;

/** A parse problem as a value: parsing goes on and the issue is reported with the results. */
export const ParseIssue = z.object({
  kind: ParseIssueKind,
  /** 1-based source line; null when the issue concerns the whole input. */
  line: SourceLine.nullable(),
  message: z.string(),
  /** The metric a value issue is about (`nonfinite-unnumbered`), when there is one. */
  metric: z.string().optional(),
});
export type ParseIssue = z.infer<typeof ParseIssue>;

/**
 * The parser's limits, one source for the parser, the messages and the README. They bound the memory of
 * one input: what is kept grows with the records and values reported, never with the size of the input,
 * and these caps keep the worst case under 200 MB of peak RSS (`README.md`, "What it reads").
 */
export const PARSE_LIMITS = {
  /**
   * Records (epochs, evaluations, logged rows) kept from one input. A kept record costs about 300 bytes
   * with a handful of values, and the lint of a run holds several series of it at once: 199k epochs
   * linted at 290 MB peak, 100k stay under 200 MB. Beyond this the input is refused with one line (exit
   * code 2), never reported partially as if it were complete.
   */
  records: 100_000,
  /**
   * Metric values kept from one input, all records together (about 30 bytes each): refused beyond. 1.5M
   * keeps a refused 60-500 MB history JSON under 200 MB peak on a loaded machine (2M reached 208 MB).
   */
  values: 1_500_000,
  /**
   * Runs (restarts, folds, sweeps) of one input. Every run is linted and diagnosed on its own, and its
   * findings, context and diagnosis cost 10-20 KB in a report: 50k runs reached 460 MB in text and 975 MB
   * in JSON. Beyond this the input is refused with one line (exit code 2); split the log.
   */
  runs: 5_000,
  /**
   * Values of one record; the rest of that record's values are left out and reported. Each metric is
   * a series the detectors follow (about 2 KB each in a lint), so 16k of them keep one record's lint
   * near 200 MB; a per-class report of a thousand classes has a few thousand.
   */
  valuesPerRecord: 16_384,
  /**
   * Distinct keys of one JSON document (each a column kept while it is read, about 900 bytes with its
   * values): 200k keys reached 290 MB; beyond this the document is refused with one line (exit code 2).
   */
  keys: 65_536,
  /** Characters of a metric name; a longer name's values are left out and reported. */
  nameChars: 1024,
  /** Characters of one issue message (text quoted from the input in it is shortened first). */
  messageChars: 2000,
  /** Issues of one kind listed per input; the rest are counted in one last issue of that kind. */
  issuesPerKind: 200,
} as const;
