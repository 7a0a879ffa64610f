/**
 * M9 (spec/causes.md §3 M9): steps that overshoot a narrow valley (a high learning rate, a tiny Adam
 * epsilon, no warm-up) make training loss noisy or spiky together with validation, at an irregular period,
 * sometimes ending in NaN; the swings shrink after the rate is reduced.
 */
import { because, defineCause, outcome, type TypedReason } from '../define-cause.js';
import { gatherEvidence, isSmooth, isSwinging, percent } from '../evidence.js';
import { describePattern, PATTERN_MESSAGES } from '../patterns.js';

const messages = {
  ...PATTERN_MESSAGES,
  diverges: 'training diverges: {rule} fired on this run',
  'not-finite': '{lossMetric} becomes non-finite (NaN or infinity)',
  'rises-at-end': '{lossMetric} ends above 1.5 × its minimum: training is moving away from its best point',
  'train-swings':
    '{lossMetric} swings too: it rose by {maxRisePercent} % at epoch {epoch}, and in {rises} of {intervals} epochs',
  'train-smooth':
    '{lossMetric} decreases smoothly (rose in {rises} of {intervals} epochs, by at most {maxRisePercent} %): steps that overshoot would shake the training loss too',
  'train-mixed':
    '{lossMetric} rose in {rises} of {intervals} epochs, by at most {maxRisePercent} %: neither smooth nor swinging',
  'no-train-loss': 'the log has no training loss to compare with',
  'phase-locked': 'an overshooting optimizer gives irregular swings, not a phase held for {epochs} epochs',
  'persists-after-lr': 'the swing goes on unchanged after the learning-rate changes at epochs {epochs}',
  check:
    'rerun a few epochs with the learning rate divided by 10: if the training loss steadies and the validation swing shrinks, the rate was too high',
  fix: 'lower the learning rate, add warm-up or a decaying schedule, clip gradients, or raise Adam epsilon',
} as const;

type MessageId = keyof typeof messages;

export default defineCause({
  id: 'learning-rate-too-high',
  title: 'Optimization instability (learning rate too high, tiny Adam epsilon, no warm-up)',
  predicts:
    'training loss noisy or spiking in the same epochs as validation, irregular, possibly NaN; swings shrink after LR reductions',
  messages,
  assess(findings, run, context) {
    const evidence = gatherEvidence(findings, run);
    const training = evidence.training;
    const shape = {
      lossMetric: training.metric,
      rises: training.rises,
      intervals: Math.max(0, training.n - 1),
      maxRisePercent: percent(training.maxRelativeRise),
    };
    const done = outcome<MessageId>(describePattern(evidence), because('check'), because('fix'));
    const divergence = ['loss-divergence', 'loss-not-finite'].find((rule) => evidence.mentioned.has(rule));
    if (divergence !== undefined) return done('likely', [because('diverges', { rule: divergence })]);
    if (training.metric === null || training.n < 3) return done('possible', [because('no-train-loss')]);
    if (training.nonFinite) return done('likely', [because('not-finite', shape)]);
    if (training.risesAtEnd) return done('likely', [because('rises-at-end', shape)]);
    if (isSwinging(training) || evidence.valOnly === false) {
      return done('likely', [because('train-swings', { ...shape, epoch: training.maxRiseEpoch })]);
    }
    if (isSmooth(training)) {
      const lead: TypedReason<MessageId>[] = [because('train-smooth', shape)];
      if (evidence.period !== null && evidence.phaseLocked) {
        lead.push(because('phase-locked', { epochs: evidence.epochsObserved }));
      }
      const first = evidence.primary?.epochs[0] ?? 1;
      const last = evidence.primary?.epochs[1] ?? Number.POSITIVE_INFINITY;
      const changes = context.lrChanges.filter((e) => e > first && e < last);
      if (evidence.period !== null && changes.length > 0) {
        lead.push(because('persists-after-lr', { epochs: changes.join(', ') }));
      }
      return done('unlikely', lead);
    }
    return done('possible', [because('train-mixed', shape)]);
  },
});
