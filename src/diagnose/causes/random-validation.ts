/**
 * M5 (spec/causes.md §3 M5): a validation set that differs at random every epoch (shuffle=True with
 * truncated steps, augmentation on the validation generator, a split reshuffled each iteration). Its
 * signature is irregular noise about the size of the subset's binomial noise, never a held phase, and never
 * jumps many standard errors beyond it.
 */
import { assessment, because, defineCause, weigh, type TypedReason } from '../define-cause.js';
import { provenance } from '../facts.js';
import { tallyPrior } from '../priors.js';

const messages = {
  shuffled:
    'the validation iterator shuffles ({source}, line {line}), so a partial pass evaluates a different random subset each epoch',
  'not-shuffled': 'the validation iterator does not shuffle ({source}, line {line}: `{code}`)',
  augmented: 'the validation data go through random augmentation ({source}, line {line}: `{code}`)',
  'not-augmented':
    'the validation generator applies no random augmentation ({source}, line {line}: `{code}`)',
  'beyond-sampling':
    'the jumps of {metric} reach {ratio}× the allowance of √2 binomial standard errors on {samples} samples; a random subset or augmentation moves validation by about one',
  check:
    'evaluate one checkpoint twice in a row with the validation generator as configured: different numbers mean a random (shuffled or augmented) validation set',
  fix: 'validate on a fixed, un-augmented set: shuffle=False and no augmentation on the validation generator; split before shuffling (reshuffle_each_iteration=False)',
} as const;

type MessageId = keyof typeof messages;

export default defineCause({
  id: 'random-validation',
  title: 'Random or augmented validation set',
  predicts: 'irregular, non-periodic validation noise about the binomial noise of the evaluated subset',
  side: 'evaluation',
  explains: ['irregular'],
  prior: tallyPrior('random-validation'),
  // irregular validation-only noise; a shuffled partial pass evaluates equal-sized random subsets
  likelihoods: {
    pattern: { 'val-irregular': 0.8, 'shared-irregular': 0.02 },
    counts: { 'constant-subset': 0.5, constant: 0.6, 'constant-full': 0.3, cycle: 0.1 },
  },
  messages,
  assess(evidence, _run, context) {
    const done = (reasons: TypedReason<MessageId>[]) =>
      assessment<MessageId>(reasons, because('check'), because('fix'));
    const reasons: TypedReason<MessageId>[] = [];
    const shuffle = context.valShuffle;
    const augmented = context.valAugmented;
    if (shuffle !== null) {
      reasons.push(
        shuffle.value
          ? weigh('shuffled', provenance(shuffle), 1, 0.2)
          : because('not-shuffled', provenance(shuffle)),
      );
    }
    if (augmented !== null) {
      reasons.push(
        augmented.value
          ? weigh('augmented', provenance(augmented), 1, 0.1)
          : because('not-augmented', provenance(augmented)),
      );
    }
    if (shuffle?.value === false && augmented?.value === false) {
      // neither a shuffled subset nor augmentation: only a reshuffled split could still randomise it
      const last = reasons.pop();
      if (last !== undefined) reasons.push({ ...last, weight: Math.log(0.05) });
    }
    const sampled = evidence.instability.find((i) => i.basis === 'sampling' && i.worstRatio !== null);
    if (sampled !== undefined && sampled.worstRatio !== null) {
      // a random subset or augmentation keeps within about the allowance; jumps beyond it are rare under it
      reasons.push(
        weigh(
          'beyond-sampling',
          { metric: sampled.metric, ratio: sampled.worstRatio, samples: sampled.samples },
          0.05,
          0.5,
        ),
      );
    }
    return done(reasons);
  },
});
