/**
 * Reasons that describe the observed pattern, shared by the causes (each spreads `PATTERN_MESSAGES` into
 * its own `messages`, so every message id a cause emits is its own).
 */
import { because, type TypedReason } from './define-cause.js';
import { isSmooth, round, percent, type Evidence } from './evidence.js';

export const PATTERN_MESSAGES = {
  'pattern-alternation':
    '{metric} alternates every epoch: full even/odd swing {amplitude}, high on {parity} epochs, over {n} epochs',
  'pattern-periodic': '{metric} repeats with period {period} (amplitude {amplitude}) over {n} epochs',
  'pattern-phase-locked':
    'the odd/even phase holds over the whole run (longest same-phase run {longestRun} epochs)',
  'pattern-phase-flips':
    'the odd/even phase flips during the run (longest same-phase run {longestRun} epochs)',
  'pattern-train-smooth':
    'training does not share it: {lossMetric} rose in {rises} of {intervals} epochs, by at most {maxRisePercent} %',
  'pattern-train-not-alternating': '{trainMetric} does not alternate',
  'pattern-train-alternates':
    '{trainMetric} alternates too: the pattern is in training, not only in evaluation',
  'pattern-none': 'no periodic validation pattern among the findings',
  'pattern-irregular':
    'validation swings exceed sampling noise ({ratio}× the binomial SE) but have no period',
} as const;

export type PatternMessageId = keyof typeof PATTERN_MESSAGES;

/** The observed pattern in a few reasons: what alternates, whether its phase holds, whether training shares it. */
export function describePattern(evidence: Evidence): TypedReason<PatternMessageId>[] {
  const reasons: TypedReason<PatternMessageId>[] = [];
  const primary = evidence.primary;
  if (primary) {
    reasons.push(
      because('pattern-alternation', {
        metric: primary.metric,
        amplitude: primary.amplitude === null ? null : round(primary.amplitude),
        parity: primary.highParity,
        n: primary.n ?? evidence.epochsObserved,
      }),
    );
    reasons.push(
      because(primary.phaseConsistent === false ? 'pattern-phase-flips' : 'pattern-phase-locked', {
        longestRun: primary.longestPhaseRun,
      }),
    );
  } else {
    const periodic = evidence.periodic[0];
    if (periodic) {
      reasons.push(
        because('pattern-periodic', {
          metric: periodic.metric,
          period: periodic.period,
          amplitude: periodic.amplitude === null ? null : round(periodic.amplitude),
          n: periodic.n ?? evidence.epochsObserved,
        }),
      );
    } else if (evidence.irregularSwing) {
      reasons.push(because('pattern-irregular', { ratio: roundOrNull(evidence.swing?.ratio ?? null) }));
    } else {
      reasons.push(because('pattern-none'));
    }
  }
  if (evidence.period === null) return reasons;
  const alternating = evidence.alternations.find((a) => a.trainAlternates === true);
  if (alternating) {
    reasons.push(because('pattern-train-alternates', { trainMetric: alternating.trainMetric ?? 'training' }));
    return reasons;
  }
  const quiet = evidence.alternations.find((a) => a.trainAlternates === false && a.trainMetric !== null);
  if (quiet) reasons.push(because('pattern-train-not-alternating', { trainMetric: quiet.trainMetric }));
  const training = evidence.training;
  if (training.metric !== null && isSmooth(training)) {
    reasons.push(
      because('pattern-train-smooth', {
        lossMetric: training.metric,
        rises: training.rises,
        intervals: Math.max(0, training.n - 1),
        maxRisePercent: percent(training.maxRelativeRise),
      }),
    );
  }
  return reasons;
}

function roundOrNull(value: number | null): number | null {
  return value === null ? null : round(value);
}
