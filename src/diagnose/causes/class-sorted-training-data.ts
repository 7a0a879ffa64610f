/**
 * M15 (spec/causes.md §3 M15) [Inference]: unshuffled, class-blocked training data with steps_per_epoch
 * covering about half a pass make odd epochs train on one class and even epochs on the other; the model's
 * bias flips every epoch. Unlike slice rotation, training metrics oscillate too (or are implausibly high).
 */
import { assessment, because, defineCause, weigh, type TypedReason } from '../define-cause.js';
import { percent } from '../evidence.js';
import { provenance } from '../facts.js';
import { tallyPrior } from '../priors.js';
import { apparentPeriod, sliceRotation } from '../slice-rotation.js';

/** Epoch windows that differ by less than this share of the training set cannot flip the class mix. */
const NEGLIGIBLE_DIFFERENCE = 0.05;

const messages = {
  'full-pass':
    'each epoch draws {steps} of {passLength} training batches ({covered} of {samples} images): consecutive epochs differ by at most {differencePercent} % of the training set, so training cannot alternate between class blocks',
  'counts-full-pass':
    'the digits of {metric} give {count} training samples every epoch, the whole training set ({samples}): every epoch trains on every class',
  'training-rotation':
    'the training iterator (N = {samples}, b = {batchSize}, s = {steps}, L = {passLength}) moves r = {shift} batches per epoch: period {period} if its files are class-sorted and unshuffled',
  'rotation-fits': 'that period matches the observed period {period}',
  'train-shuffled': 'the training data are shuffled ({source}, line {line}: `{code}`)',
  'no-pattern': 'no periodic pattern was found',
  check:
    'print train_generator.shuffle and compare steps_per_epoch × batch_size with the training samples; evaluate per-class accuracy after an odd and after an even epoch: a flip of the favoured class settles it',
  fix: 'shuffle the training data (shuffle=True) and make steps_per_epoch cover a whole pass (len(train_generator))',
} as const;

type MessageId = keyof typeof messages;

export default defineCause({
  id: 'class-sorted-training-data',
  title: 'Class-sorted training data with partial epochs',
  predicts:
    'train metrics oscillate with validation (or are implausibly high); val_acc alternates between class priors',
  side: 'data',
  explains: ['periodic', 'training-periodic'],
  prior: tallyPrior('class-sorted-training-data'),
  // what is trained changes every epoch, so the epoch averages swing; validation scores the whole set
  likelihoods: {
    pattern: { 'shared-periodic': 0.6, 'train-periodic': 0.25, 'val-periodic': 0.1 },
    counts: { 'constant-full': 0.95, constant: 0.95, 'constant-subset': 0.05, cycle: 0.001 },
  },
  messages,
  assess(evidence, _run, context) {
    const done = (reasons: TypedReason<MessageId>[]) =>
      assessment<MessageId>(reasons, because('check'), because('fix'));
    if (context.trainShuffle?.value === true)
      return done([weigh('train-shuffled', provenance(context.trainShuffle), 0, 1)]);
    const samples = context.trainSamples?.value;
    const counts = context.trainCounts;
    const counted = counts !== null && counts.pattern === 'constant' ? (counts.counts[0] ?? null) : null;
    if (samples !== undefined && counted !== null && counted >= samples) {
      return done([
        weigh('counts-full-pass', { metric: counts?.metric ?? null, count: counted, samples }, 0, 1),
      ]);
    }
    const batchSize = context.batchSize?.value;
    const steps = context.stepsPerEpoch?.value;
    const period = evidence.period ?? evidence.trainOscillation[0]?.period ?? null;
    const reasons: TypedReason<MessageId>[] = [];
    if (samples !== undefined && batchSize !== undefined && steps !== undefined) {
      const rotation = sliceRotation({ samples, batchSize, steps });
      if (rotation.maxDifference.fraction < NEGLIGIBLE_DIFFERENCE) {
        return done([
          weigh(
            'full-pass',
            {
              steps,
              passLength: rotation.passLength,
              covered: Math.min(steps * batchSize, samples),
              samples,
              differencePercent: percent(rotation.maxDifference.fraction),
            },
            0,
            1,
          ),
        ]);
      }
      reasons.push(
        because('training-rotation', {
          samples,
          batchSize,
          steps,
          passLength: rotation.passLength,
          shift: rotation.shift,
          period: rotation.period,
        }),
      );
      if (period !== null && apparentPeriod(rotation, period, evidence.epochsObserved).matches) {
        reasons.push(weigh('rotation-fits', { period }, 1, 0.2));
      }
    }
    if (period === null) reasons.push(because('no-pattern'));
    return done(reasons);
  },
});
