/**
 * M8 (spec/causes.md §3 M8): training and validation are preprocessed differently (`rescale` or
 * `preprocess_input` on one generator only, featurewise statistics fit on one side). Validation then sits
 * near chance (1/K) or the majority prior with a large loss; the offset is constant, not periodic.
 */
import { findRole } from '../../model/index.js';
import { because, defineCause, outcome } from '../define-cause.js';
import { gatherEvidence, round, series } from '../evidence.js';
import { describePattern, PATTERN_MESSAGES } from '../patterns.js';

/** Validation accuracy within this of 1/K reads as "at chance". */
const CHANCE_TOLERANCE = 0.05;
/** Training must beat chance by this much for "train learns, validation does not". */
const LEARNED_MARGIN = 0.2;

const messages = {
  ...PATTERN_MESSAGES,
  periodic:
    'a preprocessing mismatch shifts every evaluation the same way; it cannot make {metric} flip with period {period}',
  'at-chance':
    '{valMetric} stays at {valAccuracy} (median of the last epochs), near chance 1/{classes} = {chance}, while {trainMetric} reaches {trainAccuracy}',
  stuck:
    'validation is stuck (val-stuck) while training learns; a constant offset like a preprocessing mismatch fits',
  'not-at-chance': '{valMetric} ({valAccuracy}) is well above chance 1/{classes} = {chance}',
  'no-stuck': 'validation is not stuck at a constant level',
  check:
    'print the arguments of the training and validation generators side by side (rescale, preprocessing_function, featurewise_center / std_normalization): they must match',
  fix: 'apply exactly the same preprocessing (rescale, preprocess_input, normalisation statistics) to training and validation data',
} as const;

type MessageId = keyof typeof messages;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? upper) + upper) / 2;
}

/** The median of the last third of a metric (at least 3 epochs). */
function lateLevel(values: number[]): number | null {
  return median(values.slice(-Math.max(3, Math.ceil(values.length / 3))));
}

export default defineCause({
  id: 'preprocessing-mismatch',
  title: 'Training and validation preprocessed differently',
  predicts: 'val_acc stuck near 1/K or the majority prior with a large val_loss; not periodic',
  messages,
  assess(findings, run, context) {
    const evidence = gatherEvidence(findings, run);
    const done = outcome<MessageId>(describePattern(evidence), because('check'), because('fix'));
    if (evidence.period !== null) {
      const metric = evidence.primary?.metric ?? evidence.periodic[0]?.metric ?? 'validation';
      return done('unlikely', [because('periodic', { metric, period: evidence.period })]);
    }
    const names = new Set(run.epochs.flatMap((e) => Object.keys(e.metrics)));
    const valMetric = findRole(names, 'val_accuracy');
    const trainMetric = findRole(names, 'accuracy');
    const classes = context.classes?.value ?? null;
    const stuck = evidence.mentioned.has('val-stuck');
    if (valMetric !== null && trainMetric !== null && classes !== null && classes >= 2) {
      const valAccuracy = lateLevel(series(run, valMetric).map((p) => p.value));
      const trainAccuracy = lateLevel(series(run, trainMetric).map((p) => p.value));
      const chance = 1 / classes;
      if (valAccuracy !== null && trainAccuracy !== null) {
        const data = {
          valMetric,
          trainMetric,
          valAccuracy: round(valAccuracy),
          trainAccuracy: round(trainAccuracy),
          classes,
          chance: round(chance),
        };
        if (Math.abs(valAccuracy - chance) <= CHANCE_TOLERANCE && trainAccuracy >= chance + LEARNED_MARGIN) {
          return done('likely', [because('at-chance', data)]);
        }
        if (!stuck) return done('unlikely', [because('not-at-chance', data)]);
      }
    }
    if (stuck) return done('possible', [because('stuck')]);
    return done('unlikely', [because('no-stuck')]);
  },
});
