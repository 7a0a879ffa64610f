/**
 * M7 (spec/causes.md §3 M7, benign): dropout and weight regularisation are off at evaluation, and the
 * training loss is a running average over the epoch while validation uses the end-of-epoch weights
 * (Keras FAQ). Validation then looks better than training by a smooth, shrinking, constant-sign gap.
 */
import { assessment, because, defineCause, weigh, type TypedReason } from '../define-cause.js';
import { provenance } from '../facts.js';
import { tallyPrior } from '../priors.js';

const messages = {
  'has-dropout': 'the model has Dropout layers ({source}, line {line}: `{code}`)',
  'no-dropout':
    'the model has no Dropout layer ({source}, line {line}): only the running average of the training metrics remains',
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
  side: 'model',
  explains: ['gap'],
  prior: tallyPrior('dropout-averaging-gap'),
  likelihoods: { pattern: { gap: 0.9 } },
  messages,
  assess(_evidence, _run, context) {
    const done = (reasons: TypedReason<MessageId>[]) =>
      assessment<MessageId>(reasons, because('check'), because('fix'));
    const dropout = context.dropout;
    if (dropout === null) return done([]);
    // about half of such models use dropout; without it, the running average still makes a (smaller) gap
    return done([
      dropout.value
        ? weigh('has-dropout', provenance(dropout), 1, 0.5)
        : weigh('no-dropout', provenance(dropout), 0.3, 0.5),
    ]);
  },
});
