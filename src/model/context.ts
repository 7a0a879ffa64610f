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

/** Where a fact about the run comes from. */
export const FactSource = z.enum(['flag', 'log', 'derived']);
export type FactSource = z.infer<typeof FactSource>;

/** A fact with its provenance, so a reason can say "from the log, line 3" or "from --val-batch-size". */
export function fact<T extends z.ZodType>(value: T) {
  return z
    .object({
      value,
      source: FactSource,
      /** Log line the fact was read from, when it was. */
      line: z.number().int().min(1).nullable(),
      /** How a derived fact was derived (`floor(29124 / 910)`). */
      note: z.string().nullable(),
    })
    .nullable();
}

/** What is known about one run, from its log, the flags and the config (built by `diagnose/context.ts`). */
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
  valData: fact(z.enum(['generator', 'sequence', 'dataset', 'arrays'])),
  kerasVersion: fact(z.string()),
  workers: fact(z.number().int().positive()),
  batchnorm: fact(z.boolean()),
  /** Epochs (1-based) at which the learning rate changed (callback events or an `lr` column). */
  lrChanges: z.array(z.number().int().min(1)),
});
export type RunContext = z.infer<typeof RunContext>;
export type Fact<T> = { value: T; source: FactSource; line: number | null; note: string | null } | null;
