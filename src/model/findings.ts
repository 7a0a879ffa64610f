import { z } from 'zod';
import { SourceLine } from './records.js';

/** How bad a finding is; `--fail-on` compares against it. */
export const Severity = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;

/** A number, a label or a flag: what `stats` and message data hold (NaN/±Infinity allowed). */
export const Scalar = z.union([
  z.custom<number>((v) => typeof v === 'number', { message: 'expected a number' }),
  z.string(),
  z.boolean(),
  z.null(),
]);
export type Scalar = z.infer<typeof Scalar>;

/**
 * What a detector found in one run: data only. Prose is made by reporters from the detector's
 * `messages[messageId]` and `data`.
 */
export const Finding = z.object({
  /** Detector id (public API): `val-alternation`, `overfitting`, ... */
  rule: z.string(),
  severity: Severity,
  /** Index of the run in its file. */
  run: z.number().int().min(0),
  /** The metric the finding is about; null when it concerns the run as a whole. */
  metric: z.string().nullable(),
  /** First and last 1-based epoch the evidence spans. */
  epochs: z.tuple([z.number().int(), z.number().int()]),
  /** Log line of the epoch where the evidence is (for CI annotations); null when unknown. */
  line: SourceLine.nullable(),
  /** Test statistics and effect sizes (`n`, `p`, `pAdjusted`, `amplitude`, ...), flat. */
  stats: z.record(z.string(), Scalar),
  /** Structured supporting data (series, epochs, patterns). */
  evidence: z.record(z.string(), z.unknown()),
  messageId: z.string(),
  data: z.record(z.string(), Scalar),
});
export type Finding = z.infer<typeof Finding>;

/** How strongly the evidence supports a cause. */
export const Verdict = z.enum(['confirmed', 'likely', 'possible', 'unlikely', 'ruled-out']);
export type Verdict = z.infer<typeof Verdict>;

/** One reason behind a verdict: a message id of the cause plus the numbers it used. */
export const Reason = z.object({
  messageId: z.string(),
  data: z.record(z.string(), Scalar),
});
export type Reason = z.infer<typeof Reason>;

/** A candidate mechanism, assessed against one run's findings and context. */
export const Diagnosis = z.object({
  /** Cause id: `validation-slice-rotation`, `batchnorm-statistics`, ... */
  cause: z.string(),
  run: z.number().int().min(0),
  verdict: Verdict,
  reasons: z.array(Reason),
  /** Message ids (in the cause's messages) of the one check that settles it and of the fix. */
  check: Reason,
  fix: Reason,
});
export type Diagnosis = z.infer<typeof Diagnosis>;
