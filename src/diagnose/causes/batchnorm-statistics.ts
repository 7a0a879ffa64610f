/**
 * M6 (spec/causes.md §3 M6): BatchNormalization normalises with batch statistics in training and with
 * moving averages at evaluation; the averages lag, start at 0/1 and are noisy with small batches, and frozen
 * BN layers behaved differently across versions. The signature is irregular, large validation swings and a
 * train/validation gap on the same data, worst early; not a phase-locked odd/even pattern.
 */
import { because, defineCause, outcome } from '../define-cause.js';
import { gatherEvidence, phaseChance } from '../evidence.js';
import { describePattern, PATTERN_MESSAGES } from '../patterns.js';

const messages = {
  ...PATTERN_MESSAGES,
  'no-batchnorm': 'the model has no BatchNormalization layer (batchnorm = false)',
  'has-batchnorm': 'the model has BatchNormalization layers (batchnorm = true)',
  'batchnorm-unknown':
    'whether the model has BatchNormalization layers is not in the log (say batchnorm: true or false)',
  'phase-locked':
    'moving-average statistics make irregular swings; a phase held for {epochs} epochs (by chance ≈ {chance}) is not their signature',
  'train-alternates': 'training alternates too; BN moving averages affect only the evaluation pass',
  'irregular-swing':
    'validation swings exceed sampling noise ({ratio}× the binomial SE) without a period, as stale BN statistics do',
  'no-swing': 'no irregular validation swing was found',
  check:
    'evaluate one checkpoint on a batch of training images in inference mode (model.evaluate) and compare with the logged training loss: a large gap that shrinks with BN momentum 0.9 (or training=True) settles it',
  fix: 'lower the BN momentum (0.9), use larger batches, recompute the BN statistics after training, and keep frozen BN layers in inference mode (training=False)',
} as const;

type MessageId = keyof typeof messages;

export default defineCause({
  id: 'batchnorm-statistics',
  title: 'BatchNormalization train/inference mismatch (moving statistics)',
  predicts:
    'irregular, large val_* swings and a train/val gap on the same data, worst early; not phase-locked',
  messages,
  assess(findings, run, context) {
    const evidence = gatherEvidence(findings, run);
    const done = outcome<MessageId>(describePattern(evidence), because('check'), because('fix'));
    const batchnorm = context.batchnorm?.value;
    if (batchnorm === false) return done('ruled-out', [because('no-batchnorm')]);
    const presence = batchnorm === true ? because('has-batchnorm') : because('batchnorm-unknown');
    if (evidence.period !== null) {
      if (evidence.valOnly === false) return done('unlikely', [because('train-alternates'), presence]);
      if (evidence.phaseLocked) {
        const epochs = evidence.primary?.longestPhaseRun ?? evidence.epochsObserved;
        return done('unlikely', [because('phase-locked', { epochs, chance: phaseChance(epochs) }), presence]);
      }
      return done(batchnorm === true ? 'possible' : 'unlikely', [presence]);
    }
    if (evidence.irregularSwing) {
      const reason = because('irregular-swing', { ratio: evidence.swing?.ratio ?? null });
      return done(batchnorm === true ? 'likely' : 'possible', [reason, presence]);
    }
    return done('unlikely', [because('no-swing'), presence]);
  },
});
