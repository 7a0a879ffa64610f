/**
 * M7 (spec/causes.md §3 M7, benign): dropout and weight regularisation are off at evaluation, and the
 * training loss is a running average over the epoch while validation uses the end-of-epoch weights
 * (Keras FAQ). Validation then looks better than training by a smooth, shrinking, constant-sign gap.
 */
import { because, defineCause, outcome } from '../define-cause.js';
import { gatherEvidence } from '../evidence.js';
import { describePattern, PATTERN_MESSAGES } from '../patterns.js';

const messages = {
  ...PATTERN_MESSAGES,
  'periodic-not-gap':
    'dropout and the running training average shift validation by a smooth, constant-sign gap; they cannot make {metric} flip with period {period}',
  'gap-also':
    'validation also beats training (val-better-than-train): that part is the benign dropout/averaging gap, not the swing',
  gap: 'validation beats training (val-better-than-train) without a swing: the benign dropout/averaging gap',
  'gap-not-stuck':
    'validation beats training (val-better-than-train): that gap is benign, but it does not explain a validation metric that is stuck ({rule})',
  'irregular-swing': 'validation swings irregularly above sampling noise; a dropout gap is smooth',
  'no-gap': 'validation does not beat training, so there is no gap to explain',
  check:
    'evaluate the training images with model.evaluate (dropout off, end-of-epoch weights): if that matches or beats validation, the gap is dropout and running averages',
  fix: 'none needed; compare training and validation with model.evaluate on both, not with the running training average',
} as const;

type MessageId = keyof typeof messages;

export default defineCause({
  id: 'dropout-averaging-gap',
  title: 'Dropout and running-average training metrics (benign gap)',
  predicts:
    'val_* better than train, especially early and with strong dropout; smooth, shrinking, not oscillating',
  messages,
  assess(findings, run) {
    const evidence = gatherEvidence(findings, run);
    const done = outcome<MessageId>(describePattern(evidence), because('check'), because('fix'));
    const gapFound = evidence.mentioned.has('val-better-than-train');
    if (evidence.period !== null) {
      const metric = evidence.primary?.metric ?? evidence.periodic[0]?.metric ?? 'validation';
      const lead = [because('periodic-not-gap', { metric, period: evidence.period })];
      return gapFound ? done('unlikely', [...lead, because('gap-also')]) : done('ruled-out', lead);
    }
    if (evidence.irregularSwing) return done('unlikely', [because('irregular-swing')]);
    // A gap explains val > train, not a validation metric that stops moving.
    if (gapFound && evidence.rules.has('val-stuck'))
      return done('possible', [because('gap-not-stuck', { rule: 'val-stuck' })]);
    if (gapFound) return done('likely', [because('gap')]);
    return done('unlikely', [because('no-gap')]);
  },
});
