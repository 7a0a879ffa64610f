import { z } from 'zod';
import { SourceLine } from './records.js';

/** How bad a finding is; `--fail-on` compares against it. */
export const Severity = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;

/** Any number, NaN and ±Infinity included (the JSON outputs write those as strings). */
export const AnyNumber = z.custom<number>((v) => typeof v === 'number', { message: 'expected a number' });

/** A number, a label or a flag: what `stats` and message data hold (NaN/±Infinity allowed). */
export const Scalar = z.union([AnyNumber, z.string(), z.boolean(), z.null()]);
export type Scalar = z.infer<typeof Scalar>;

/** A sentence as data: a message id (in a detector's or a cause's `messages`) plus the numbers it quotes. */
export const Reason = z.object({
  messageId: z.string(),
  data: z.record(z.string(), Scalar),
});
export type Reason = z.infer<typeof Reason>;

/**
 * What kind of symptom a finding is, declared by its detector. Causes say which kinds they can explain, so
 * a diagnosis lists only causes that could produce what was found (causes of periodic patterns are not
 * listed for an irregular swing, none of the instability causes for a plain overfit).
 */
export const FindingKind = z.enum([
  /** A validation metric that swings with a period (alternation, period 3+, checkpoints on one parity). */
  'periodic',
  /** Irregular validation instability: spikes and collapses beyond noise, no period. */
  'irregular',
  /** Training metrics that alternate or cycle. */
  'training-periodic',
  /** Training loss that jumps beyond its trend (overshooting). */
  'training-irregular',
  /** Validation stuck: constant, at chance, or not following training. */
  'stuck',
  /** Validation better than training. */
  'gap',
  'overfitting',
  'plateau',
  /** Non-finite or exploding loss. */
  'divergence',
]);
export type FindingKind = z.infer<typeof FindingKind>;

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
  /** Test statistics and effect sizes (`n`, `p`, `pAdjusted`, `amplitude`, ...), flat; shaped by the detector's `stats` schema. */
  stats: z.record(z.string(), Scalar),
  /** Structured supporting data (series, epochs, patterns). */
  evidence: z.record(z.string(), z.unknown()),
  messageId: z.string(),
  data: z.record(z.string(), Scalar),
  /** The next step for this finding: a message id in the detector's `messages` with its data. */
  next: Reason,
});
export type Finding = z.infer<typeof Finding>;

/** How strongly the evidence supports a cause. */
export const Verdict = z.enum(['confirmed', 'likely', 'possible', 'unlikely', 'ruled-out']);
export type Verdict = z.infer<typeof Verdict>;

/**
 * A reason with its weight of evidence: the natural log of the likelihood ratio it contributes to the
 * cause's score (positive supports the cause, negative speaks against it); null for a reason that only
 * describes what was observed.
 */
export const WeightedReason = Reason.extend({ weight: AnyNumber.nullable() });
export type WeightedReason = z.infer<typeof WeightedReason>;

/** Where a mechanism acts: what is evaluated, how the model is optimised, the data, the model, or the measurement. */
export const CauseSide = z.enum(['evaluation', 'training', 'data', 'model', 'measurement']);
export type CauseSide = z.infer<typeof CauseSide>;

/** A candidate mechanism, assessed against one run's findings and context. */
export const Diagnosis = z.object({
  /** Cause id: `validation-slice-rotation`, `batchnorm-statistics`, ... */
  cause: z.string(),
  run: z.number().int().min(0),
  verdict: Verdict,
  /**
   * Posterior log-odds (natural log) that this mechanism causes what was found: the prior log-odds plus the
   * sum of the reasons' weights. The verdict is a band of it (`VERDICT_BANDS` in `diagnose/score.ts`).
   */
  score: AnyNumber,
  /** Prior probability: how often the mechanism is the accepted cause in practice (README, "Causes"). */
  prior: z.number().min(0).max(1),
  side: CauseSide,
  reasons: z.array(WeightedReason),
  /**
   * Other causes listed for the run with the same weight of evidence: the log cannot tell them apart (only
   * their priors may differ). Empty when the evidence separates this cause from every other.
   */
  tiedWith: z.array(z.string()),
  /** The one observation that would separate this cause from the ones it is tied with; null when untied. */
  separatedBy: Reason.nullable(),
  /** Message ids (in the cause's messages) of the one check that settles it and of the fix. */
  check: Reason,
  fix: Reason,
});
export type Diagnosis = z.infer<typeof Diagnosis>;
