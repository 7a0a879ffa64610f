/**
 * The observations several causes weigh, and their weights. Each cause states how likely it makes each
 * value of an observation (`Likelihoods` in its module); the weight of the observed value for a cause is
 * ln(its likelihood / the prior-weighted mean likelihood over the causes listed for the run that state one).
 * A cause that states nothing about an observation is indifferent to it: weight 0, no reason.
 */
import type { RunContext, Scalar, WeightedReason } from '../model/index.js';
import type { Likelihoods } from './define-cause.js';
import type { CountsClass, Evidence, PatternClass, RateClass } from './evidence.js';

/** Likelihood of a pattern a cause does not list: it rarely produces it (one run in a hundred). */
export const PATTERN_FLOOR = 0.01;
/** Likelihood of a counts or rate value a cause's table does not list. */
export const TABLE_FLOOR = 0.01;

/** Messages of the shared observations; every cause's `messages` includes them (`defineCause`). */
export const OBSERVATION_MESSAGES = {
  'pattern-val-periodic': 'validation swings with a period of {period} epochs while training does not',
  'pattern-shared-periodic': 'validation and training swing with a period of {period} epochs',
  'pattern-train-periodic': 'training swings with a period of {period} epochs; validation does not share it',
  'pattern-val-irregular': 'validation jumps irregularly, beyond its noise, while training stays smooth',
  'pattern-shared-irregular': 'validation and training jump together',
  'pattern-train-irregular': 'the training loss jumps; validation stays within its noise',
  'pattern-stuck-constant': 'validation accuracy stays at one value while training moves on',
  'pattern-stuck-chance': 'validation accuracy stays at chance while training learns',
  'pattern-stuck-detached': 'validation does not follow training: it never improves on its first epoch',
  'pattern-gap': 'validation is better than training',
  'pattern-none': 'no instability pattern among the findings',
  'counts-cycle':
    'the digits of {metric} give the samples evaluated per epoch: {counts} in turn (period {period}): the evaluated window changes between epochs',
  'counts-constant-full': 'the digits of {metric} give {count} samples every epoch: the whole validation set',
  'counts-constant-subset':
    'the digits of {metric} give {count} samples every epoch, of the {samples} in the validation set: always the same part',
  'counts-constant': 'the digits of {metric} give the same {count} samples every epoch',
  'rate-cycling-in-step': 'the logged {metric} cycles every {period} epochs, in step with validation',
  'rate-cycling': 'the logged {metric} cycles every {period} epochs',
  'rate-constant': 'the logged {metric} stays at {value}',
  'rate-decreasing': 'the logged {metric} only decreases ({max} → {min})',
  'rate-irregular': 'the logged {metric} changes without a cycle',
  'train-lean':
    'training leans toward the same swing (its alternation test gives p = {p}: a Bayes factor of at most {factor} for training moving with validation)',
  'detail-alternation':
    '{metric} alternates every epoch: full swing {amplitude}, high on {parity} epochs; one phase holds {longestRun} of {n} epochs',
  'detail-periodic': '{metric} repeats every {period} epochs (amplitude {amplitude}) over {n} epochs',
  'detail-spikes': '{metric} jumps for the worse at {count} epoch(s), the worst at epoch {epoch}',
  'detail-train-jumps':
    'the training loss jumps at {count} epoch(s), the worst {factor}× its trend at epoch {epoch}',
  'detail-train-oscillation': '{metric} swings with a period of {period} epochs (validation: {relation})',
  'detail-stuck':
    'validation accuracy sits at {value} from epoch {from} on while training is at {trainValue}',
} as const;

export type ObservationMessageId = keyof typeof OBSERVATION_MESSAGES;

interface Stated {
  id: string;
  prior: number;
  likelihoods: Likelihoods;
}

function weights(causes: readonly Stated[], likelihood: (c: Stated) => number | null): Map<string, number> {
  const stated = causes
    .map((c) => ({ c, q: likelihood(c) }))
    .filter((x): x is { c: Stated; q: number } => x.q !== null);
  const mass = stated.reduce((s, x) => s + x.c.prior, 0);
  const mean = mass > 0 ? stated.reduce((s, x) => s + x.c.prior * x.q, 0) / mass : 0;
  const out = new Map<string, number>();
  for (const { c, q } of stated) out.set(c.id, mean > 0 ? Math.log(Math.max(q, 1e-12) / mean) : 0);
  return out;
}

function patternData(evidence: Evidence): Record<string, Scalar> {
  const period = evidence.period ?? evidence.trainOscillation[0]?.period ?? null;
  return { period };
}

function countsData(context: RunContext): Record<string, Scalar> {
  const c = context.valCounts;
  return {
    metric: c?.metric ?? null,
    counts: c?.counts.join(', ') ?? null,
    count: c?.counts[0] ?? null,
    period: c?.period ?? null,
    samples: context.valSamples?.value ?? null,
  };
}

function rateData(context: RunContext): Record<string, Scalar> {
  const lr = context.learningRate;
  return {
    metric: lr?.metric ?? null,
    period: lr?.period ?? null,
    value: lr?.max ?? null,
    max: lr?.max ?? null,
    min: lr?.min ?? null,
  };
}

/** What was found, in a few descriptions (weight null) shared by every cause of the run. */
export function patternDetails(
  evidence: Evidence,
): Array<{ messageId: ObservationMessageId; data: Record<string, Scalar> }> {
  const out: Array<{ messageId: ObservationMessageId; data: Record<string, Scalar> }> = [];
  const a = evidence.primary;
  if (a !== null) {
    out.push({
      messageId: 'detail-alternation',
      data: {
        metric: a.metric,
        amplitude: a.amplitude,
        parity: a.highParity,
        longestRun: a.longestPhaseRun,
        n: a.n,
      },
    });
  }
  const p = evidence.periodic[0];
  if (a === null && p !== undefined) {
    out.push({
      messageId: 'detail-periodic',
      data: { metric: p.metric, period: p.period, amplitude: p.amplitude, n: p.n },
    });
  }
  const i = evidence.instability[0];
  if (i !== undefined) {
    out.push({
      messageId: 'detail-spikes',
      data: { metric: i.metric, count: i.excursions, epoch: i.worstEpoch },
    });
  }
  const j = evidence.trainJumps;
  if (j !== null) {
    out.push({
      messageId: 'detail-train-jumps',
      data: { count: j.jumps, factor: j.worstFactor, epoch: j.worstEpoch },
    });
  }
  const o = evidence.trainOscillation[0];
  if (o !== undefined) {
    out.push({
      messageId: 'detail-train-oscillation',
      data: { metric: o.metric, period: o.period, relation: o.valPhase ?? 'not compared' },
    });
  }
  const st = evidence.stuck;
  if (st !== null) {
    out.push({
      messageId: 'detail-stuck',
      data: { value: st.value, from: st.from, trainValue: st.trainValue },
    });
  }
  return out;
}

/**
 * The weighted reasons of the shared observations for each listed cause (cause id → reasons). The pattern
 * is always weighed; the counts and the logged rate when the run has them.
 */
export function observationReasons(
  evidence: Evidence,
  context: RunContext,
  causes: readonly Stated[],
): Map<string, WeightedReason[]> {
  const out = new Map<string, WeightedReason[]>(causes.map((c) => [c.id, []]));
  const pattern: PatternClass = evidence.pattern;
  const byPattern = weights(causes, (c) => c.likelihoods.pattern[pattern] ?? PATTERN_FLOOR);
  const add = (
    id: string,
    messageId: ObservationMessageId,
    data: Record<string, Scalar>,
    weight: number,
  ): void => {
    out.get(id)?.push({ messageId, data, weight });
  };
  for (const [id, w] of byPattern) add(id, `pattern-${pattern}`, patternData(evidence), w);
  const counts: CountsClass | null = evidence.counts;
  if (counts !== null) {
    const byCounts = weights(causes, (c) =>
      c.likelihoods.counts ? (c.likelihoods.counts[counts] ?? TABLE_FLOOR) : null,
    );
    for (const [id, w] of byCounts) add(id, `counts-${counts}`, countsData(context), w);
  }
  // a training twin that leans toward alternating (p < 0.05 but not shared): the p-value's Bayes factor
  // bound 1 / (−e·p·ln p) (Sellke, Bayarri & Berger 2001) for "training moves too", applied through each
  // cause's own split between a shared and a validation-only period
  const lean = evidence.trainLeanP;
  if (lean !== null && lean > 0) {
    const factor = Math.max(1, 1 / (-Math.E * lean * Math.log(lean)));
    const byLean = weights(causes, (c) => {
      const shared = c.likelihoods.pattern['shared-periodic'] ?? PATTERN_FLOOR;
      const valOnly = c.likelihoods.pattern['val-periodic'] ?? PATTERN_FLOOR;
      return (shared * factor + valOnly) / (shared + valOnly);
    });
    const data = { p: Number(lean.toPrecision(3)), factor: Number(factor.toPrecision(3)) };
    for (const [id, w] of byLean) add(id, 'train-lean', data, w);
  }
  const rate: RateClass | null = evidence.rate;
  if (rate !== null) {
    const byRate = weights(causes, (c) =>
      c.likelihoods.rate ? (c.likelihoods.rate[rate] ?? TABLE_FLOOR) : null,
    );
    for (const [id, w] of byRate) add(id, `rate-${rate}`, rateData(context), w);
  }
  return out;
}
