/**
 * M8 (spec/causes.md §3 M8): training and validation are preprocessed differently (`rescale` or
 * `preprocess_input` on one generator only, featurewise statistics fit on one side). Validation then does not
 * follow training: stuck at the share of one class (the model predicts one class for inputs on another
 * scale), or far below training from the first epoch, with a large loss; the offset is constant, not periodic.
 */
import { assessment, because, defineCause, weigh, type TypedReason } from '../define-cause.js';
import { round } from '../evidence.js';
import { provenance } from '../facts.js';
import { tallyPrior } from '../priors.js';

const messages = {
  stuck: 'validation sits at {value} from epoch {from} on while training is at {trainValue}',
  'code-mismatch':
    'the training and validation generators scale inputs differently ({source}, line {line}: `{code}`)',
  'code-match':
    'the training and validation generators scale inputs the same way ({source}, line {line}: `{code}`)',
  check:
    'print the arguments of the training and validation generators side by side (rescale, preprocessing_function, featurewise_center / std_normalization), or evaluate the training images through the validation pipeline: a large drop settles it',
  fix: 'apply exactly the same preprocessing (rescale, preprocess_input, normalisation statistics) to training and validation data',
} as const;

type MessageId = keyof typeof messages;

export default defineCause({
  id: 'preprocessing-mismatch',
  title: 'Training and validation preprocessed differently',
  predicts:
    'val_acc stuck at one value (a class share) or far below training from the first epoch, not following it; a large val_loss; not periodic',
  side: 'data',
  explains: ['stuck', 'irregular'],
  prior: tallyPrior('preprocessing-mismatch'),
  // a constant offset between the inputs the model learns from and the ones it is scored on
  likelihoods: {
    pattern: {
      'stuck-constant': 0.3,
      'stuck-chance': 0.25,
      'stuck-detached': 0.35,
      'val-irregular': 0.03,
      gap: 0.01,
    },
  },
  messages,
  assess(evidence, _run, context) {
    const done = (reasons: TypedReason<MessageId>[]) =>
      assessment<MessageId>(reasons, because('check'), because('fix'));
    const reasons: TypedReason<MessageId>[] = [];
    const stuck = evidence.stuck;
    if (stuck !== null) {
      reasons.push(
        because('stuck', {
          value: round(stuck.value),
          from: stuck.from,
          trainValue: stuck.trainValue === null ? null : round(stuck.trainValue),
        }),
      );
    }
    const match = context.preprocessingMatch;
    if (match !== null) {
      // code that shows both generators settles most of it (other preprocessing may hide elsewhere)
      reasons.push(
        match.value
          ? weigh('code-match', provenance(match), 0.05, 1)
          : weigh('code-mismatch', provenance(match), 1, 0.05),
      );
    }
    return done(reasons);
  },
});
