/**
 * M15 (spec/causes.md §3 M15) [Inference]: unshuffled, class-blocked training data with steps_per_epoch
 * covering about half a pass make odd epochs train on one class and even epochs on the other; the model's
 * bias flips every epoch. Unlike slice rotation, training metrics oscillate too (or are implausibly high).
 */
import { because, defineCause, outcome, type TypedReason } from '../define-cause.js';
import { gatherEvidence, percent } from '../evidence.js';
import { describePattern, PATTERN_MESSAGES } from '../patterns.js';
import { apparentPeriod, sliceRotation } from '../slice-rotation.js';

/** Epoch windows that differ by less than this share of the training set cannot flip the class mix. */
const NEGLIGIBLE_DIFFERENCE = 0.05;

const messages = {
  ...PATTERN_MESSAGES,
  'full-pass':
    'each epoch draws {steps} of {passLength} training batches ({covered} of {samples} images): consecutive epochs differ by at most {differencePercent} % of the training set, so training cannot alternate between class blocks',
  'training-rotation':
    'the training iterator (N = {samples}, b = {batchSize}, s = {steps}, L = {passLength}) moves r = {shift} batches per epoch: period {period} if its files are class-sorted and unshuffled',
  'no-pattern': 'no periodic validation pattern was found',
  'train-alternates':
    'training alternates too, as alternating class-blocked training predicts (val_acc then swings between the class priors)',
  'train-smooth':
    'training is smooth; alternating class-blocked training would make it alternate too (or look implausibly high)',
  'train-unknown': 'whether training alternates too is not known',
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
  messages,
  assess(findings, run, context) {
    const evidence = gatherEvidence(findings, run);
    const done = outcome<MessageId>(describePattern(evidence), because('check'), because('fix'));
    const samples = context.trainSamples?.value;
    const batchSize = context.batchSize?.value;
    const steps = context.stepsPerEpoch?.value;
    let rotationReason: TypedReason<MessageId> | null = null;
    let predictsPeriod = false;
    if (samples !== undefined && batchSize !== undefined && steps !== undefined) {
      const rotation = sliceRotation({ samples, batchSize, steps });
      if (rotation.maxDifference.fraction < NEGLIGIBLE_DIFFERENCE) {
        return done('ruled-out', [
          because('full-pass', {
            steps,
            passLength: rotation.passLength,
            covered: Math.min(steps * batchSize, samples),
            samples,
            differencePercent: percent(rotation.maxDifference.fraction),
          }),
        ]);
      }
      rotationReason = because('training-rotation', {
        samples,
        batchSize,
        steps,
        passLength: rotation.passLength,
        shift: rotation.shift,
        period: rotation.period,
      });
      predictsPeriod =
        evidence.period !== null &&
        apparentPeriod(rotation, evidence.period, evidence.epochsObserved).matches;
    }
    const extra = rotationReason ? [rotationReason] : [];
    if (evidence.period === null) return done('unlikely', [because('no-pattern'), ...extra]);
    if (evidence.valOnly === false) return done('likely', [because('train-alternates'), ...extra]);
    if (evidence.valOnly === true) return done('unlikely', [because('train-smooth'), ...extra]);
    return done(predictsPeriod ? 'likely' : 'possible', [because('train-unknown'), ...extra]);
  },
});
