import { z } from 'zod';

/**
 * What the user can tell epochlint about a run (CLI flags, config `context`): all optional. These
 * settle questions the log cannot answer (the validation batch size, whether data is shuffled, ...).
 */
export const Hints = z
  .object({
    valSamples: z.number().int().positive(),
    valBatchSize: z.number().int().positive(),
    valSteps: z.number().int().positive(),
    trainSamples: z.number().int().positive(),
    batchSize: z.number().int().positive(),
    stepsPerEpoch: z.number().int().positive(),
    /** Validation images per class, in the order the iterator sorts them (class directories, alphanumeric). */
    valClassCounts: z.array(z.number().int().min(0)).min(1),
    valShuffle: z.boolean(),
    valData: z.enum(['generator', 'sequence', 'dataset', 'arrays']),
    kerasVersion: z.string(),
    workers: z.number().int().positive(),
    /** Does the model contain BatchNormalization layers? */
    batchnorm: z.boolean(),
  })
  .partial()
  .strict();
export type Hints = z.infer<typeof Hints>;

/** Where a fact about the run comes from: a flag or config key, the log, arithmetic on other facts, or training code. */
export const FactSource = z.enum(['flag', 'log', 'derived', 'code']);
export type FactSource = z.infer<typeof FactSource>;

/** A fact with its provenance, so a reason can say "from the log, line 3", "from --val-batch-size" or "train.py line 12". */
export function fact<T extends z.ZodType>(value: T) {
  return z
    .object({
      value,
      source: FactSource,
      /** Line the fact was read from (of the log, or of `file` for code), when it was. */
      line: z.number().int().min(1).nullable(),
      /** How a derived fact was derived (`floor(29124 / 910)`). */
      note: z.string().nullable(),
      /** For a fact read from code: the file it is in (null: the linted input itself) and the code that states it. */
      file: z.string().nullable().optional(),
      excerpt: z.string().nullable().optional(),
    })
    .nullable();
}

/** The kind of validation data, as the persistence rules of the iterator need it (causes.md §2.2). */
export const ValData = z.enum(['generator', 'sequence', 'dataset', 'arrays']);
export type ValData = z.infer<typeof ValData>;

/** The optimizer a script builds. */
export const OptimizerFact = z.object({
  /** Class name as written: `Adam`, `SGD`, `torch.optim.AdamW` → `AdamW`. */
  name: z.string(),
  /** The learning rate passed to it, when a literal. */
  learningRate: z.number().nullable(),
  /** Weight averaging evaluated in place of the raw weights: `use_ema=True`, SWA, Lookahead wrappers. */
  averaging: z.boolean(),
});
export type OptimizerFact = z.infer<typeof OptimizerFact>;

/** How the learning rate is scheduled, from code or from a logged `lr` column. */
export const ScheduleKind = z.enum([
  'constant',
  'plateau',
  'step',
  'decay',
  'cyclic',
  'warm-restarts',
  'custom',
]);
export type ScheduleKind = z.infer<typeof ScheduleKind>;

/** What a logged learning-rate column does over the run. */
export const LearningRateLog = z.object({
  metric: z.string(),
  /** Epochs with a value. */
  n: z.number().int().min(0),
  /** constant; decreasing (steps or decay, never back up); cycling (changes direction on most epochs); irregular. */
  pattern: z.enum(['constant', 'decreasing', 'cycling', 'irregular']),
  /** Epoch-to-epoch changes and direction reversals. */
  changes: z.number().int().min(0),
  reversals: z.number().int().min(0),
  /** Epochs of one full cycle when the rate cycles with a stable period; null otherwise. */
  period: z.number().int().min(2).nullable(),
  /** The epochs at which the logged rate is at its cycle's high (1-based parity for period 2: 'odd' | 'even'). */
  highParity: z.enum(['odd', 'even']).nullable(),
  min: z.number(),
  max: z.number(),
});
export type LearningRateLog = z.infer<typeof LearningRateLog>;

/**
 * The number of samples behind each value of an accuracy series, read from its digits (issue 7 §2): Keras
 * (and trainers that copy it) accumulate an accuracy as total / count in float32, so a value saved with
 * full float32 digits (CSVLogger, history JSON) is float32(k / n) for the k correct of the n evaluated, and
 * the smallest n (with its k) that reproduces the digits exactly is the count unless the digits are too few
 * to single it out. Console values have four decimals; then a count is found for a group of epochs at once.
 */
export const SampleCounts = z.object({
  metric: z.string(),
  /** How the values were printed: full float32 digits, or rounded to `decimals` decimals. */
  precision: z.enum(['float32', 'decimals']),
  decimals: z.number().int().min(0).nullable(),
  /**
   * constant: one count fits every epoch; cycle: the count repeats with `period` epochs (e.g. 192, 168, ...);
   * varies: epochs have different counts without a cycle; unknown: the digits do not allow it.
   */
  pattern: z.enum(['constant', 'cycle', 'varies', 'unknown']),
  /** The count (constant) or the counts of one cycle in epoch order (cycle), or the distinct counts (varies). */
  counts: z.array(z.number().int().positive()),
  period: z.number().int().min(2).nullable(),
  /** Epoch of `counts[0]` in a cycle (1-based). */
  firstEpoch: z.number().int().min(1).nullable(),
  /** Epochs whose count was pinned down, and epochs whose digits allow several counts. */
  resolved: z.number().int().min(0),
  unresolved: z.number().int().min(0),
  /** Expected number of smaller counts that would fit the digits by chance (≪ 1 means the count is reliable). */
  chanceFit: z.number().min(0),
  /** The correct count k of a constant count when it is the same in every epoch (the accuracy did not move). */
  constantCorrect: z.number().int().min(0).nullable(),
  /** Per epoch (at most the last 1000): epoch, count n and correct k; n null when not pinned down. */
  epochs: z.array(
    z.object({
      epoch: z.number().int().min(1),
      count: z.number().int().positive().nullable(),
      correct: z.number().int().min(0).nullable(),
    }),
  ),
});
export type SampleCounts = z.infer<typeof SampleCounts>;

/** A piece of training code epochlint read, and how. */
export const CodeSource = z.object({
  /** Where it was: pasted into the log, a notebook's code cells, or `--script`. */
  origin: z.enum(['log', 'notebook', 'script']),
  /** The file (null: the linted input itself). */
  file: z.string().nullable(),
  /** First and last line of the code in that file. */
  fromLine: z.number().int().min(1),
  toLine: z.number().int().min(1),
  /** tree-sitter: parsed as Python; scan: read tolerantly (flattened pastes, fragments). */
  reader: z.enum(['tree-sitter', 'scan']),
});
export type CodeSource = z.infer<typeof CodeSource>;

/** What is known about one run, from its log, code, the flags and the config (built by `context/build-context.ts`). */
export const RunContext = z.object({
  run: z.number().int().min(0),
  trainSamples: fact(z.number().int().positive()),
  valSamples: fact(z.number().int().positive()),
  classes: fact(z.number().int().positive()),
  stepsPerEpoch: fact(z.number().int().positive()),
  /** Training batch size implied by samples and steps (or given). */
  batchSize: fact(z.number().int().positive()),
  valBatchSize: fact(z.number().int().positive()),
  valSteps: fact(z.number().int().positive()),
  valClassCounts: fact(z.array(z.number().int().min(0))),
  valShuffle: fact(z.boolean()),
  valData: fact(ValData),
  kerasVersion: fact(z.string()),
  workers: fact(z.number().int().positive()),
  batchnorm: fact(z.boolean()),
  /** Epochs (1-based) at which the learning rate changed (callback events or an `lr` column). */
  lrChanges: z.array(z.number().int().min(1)),
  /** `use_multiprocessing` passed to fit. */
  useMultiprocessing: fact(z.boolean()),
  /** Whether the training data are shuffled (training generator / DataLoader). */
  trainShuffle: fact(z.boolean()),
  /** Does the model contain Dropout layers? */
  dropout: fact(z.boolean()),
  /** Does the validation data go through random augmentation? */
  valAugmented: fact(z.boolean()),
  /** Do the training and validation generators scale inputs the same way (rescale, preprocessing_function)? */
  preprocessingMatch: fact(z.boolean()),
  optimizer: fact(OptimizerFact),
  lrSchedule: fact(ScheduleKind),
  /** Callback classes passed to fit, in order. */
  callbacks: fact(z.array(z.string())),
  /** The `validation_steps` and `steps_per_epoch` expressions as written (`nb_validation_samples // batch_size`). */
  valStepsExpression: fact(z.string()),
  stepsPerEpochExpression: fact(z.string()),
  /** The batch size variable `validation_steps` divides by, when it is not the validation generator's own. */
  valStepsDivisor: fact(z.string()),
  /** The logged learning rate, when the log has an `lr` column. */
  learningRate: LearningRateLog.nullable(),
  /** Samples behind each validation / training accuracy, from the digits. */
  valCounts: SampleCounts.nullable(),
  trainCounts: SampleCounts.nullable(),
  /** The training code read for this run. */
  code: z.array(CodeSource),
});
export type RunContext = z.infer<typeof RunContext>;
export type Fact<T> = {
  value: T;
  source: FactSource;
  line: number | null;
  note: string | null;
  file?: string | null | undefined;
  excerpt?: string | null | undefined;
} | null;
