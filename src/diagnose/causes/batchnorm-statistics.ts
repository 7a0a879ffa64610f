/**
 * M6 (spec/causes.md §3 M6): BatchNormalization normalises with batch statistics in training and with
 * moving averages at evaluation; the averages lag fast-moving weights, start at 0/1 and are noisy with small
 * batches, and frozen BN layers behaved differently across versions. The signature is irregular, large
 * validation jumps with smooth training, worst early (the averages catch up once the weights settle); not a
 * phase-locked period, and not a validation that never moves at all.
 */
import { assessment, because, defineCause, weigh, type TypedReason } from '../define-cause.js';
import { provenance } from '../facts.js';
import { tallyPrior } from '../priors.js';

const messages = {
  'no-batchnorm': 'the model has no BatchNormalization layer ({source}, line {line}: `{code}`)',
  'has-batchnorm': 'the model has BatchNormalization layers ({source}, line {line}: `{code}`)',
  'batchnorm-unknown':
    'whether the model has BatchNormalization layers is not known (say --batchnorm yes or no, or give --script)',
  'worst-early':
    '{share} of the validation jumps fall in the first half of the run: moving statistics lag most while the weights move fast',
  'late-jumps':
    'only {share} of the validation jumps fall in the first half: moving statistics catch up once the weights settle, so late jumps point elsewhere',
  check:
    'evaluate one checkpoint on a batch of training images in inference mode (model.evaluate) and compare with the logged training loss: a large gap that shrinks after recomputing the BN statistics (or with momentum 0.9) settles it',
  fix: 'lower the BN momentum (0.9; PyTorch momentum=0.1), use larger batches, recompute the BN statistics after training, and keep frozen BN layers in inference mode (training=False)',
} as const;

type MessageId = keyof typeof messages;

export default defineCause({
  id: 'batchnorm-statistics',
  title: 'BatchNormalization train/inference mismatch (moving statistics)',
  predicts:
    'irregular, large val_* jumps far beyond sampling noise with smooth training, worst early; not phase-locked; the whole set evaluated every epoch',
  side: 'model',
  explains: ['irregular', 'stuck', 'periodic'],
  prior: tallyPrior('batchnorm-statistics'),
  // jumps of validation alone; the statistics converge as training settles, so a validation that never
  // moves or never improves is rarely their doing; the whole set is evaluated
  likelihoods: {
    pattern: {
      'val-irregular': 0.6,
      'shared-irregular': 0.03,
      'stuck-detached': 0.03,
      'stuck-chance': 0.03,
      'stuck-constant': 0.02,
      gap: 0.02,
    },
    counts: { 'constant-full': 0.9, constant: 0.9, 'constant-subset': 0.1, cycle: 0.01 },
  },
  messages,
  assess(evidence, _run, context) {
    const done = (reasons: TypedReason<MessageId>[]) =>
      assessment<MessageId>(reasons, because('check'), because('fix'));
    const batchnorm = context.batchnorm;
    const reasons: TypedReason<MessageId>[] = [];
    if (batchnorm !== null && batchnorm.value === false) {
      return done([weigh('no-batchnorm', provenance(batchnorm), 0, 1)]);
    }
    // about half of the models in such threads carry BN layers: knowing it doubles the odds
    if (batchnorm !== null) reasons.push(weigh('has-batchnorm', provenance(batchnorm), 1, 0.5));
    else reasons.push(because('batchnorm-unknown'));
    const jumps = evidence.instability.find((i) => (i.excursions >= 2 || i.spread) && i.earlyShare !== null);
    if (jumps !== undefined && jumps.earlyShare !== null) {
      const share = `${Math.round(jumps.earlyShare * 100)} %`;
      // under lagging statistics three jumps in four come early; otherwise they are spread evenly
      reasons.push(
        jumps.earlyShare >= 0.5
          ? weigh('worst-early', { share }, 0.75, 0.5)
          : weigh('late-jumps', { share }, 0.25, 0.5),
      );
    }
    return done(reasons);
  },
});
