/**
 * M10 (spec/causes.md §3 M10): a cyclical learning rate whose half cycle (`step_size`) is one epoch puts the
 * end-of-epoch rate alternately at the peak and the trough; warm restarts with short cycles do the same at
 * the cycle length. The epoch-averaged training metrics swing too, usually in antiphase with validation
 * (issue 7); a logged `lr` column cycles with the period.
 */
import { assessment, because, defineCause, weigh, type TypedReason } from '../define-cause.js';
import { provenance } from '../facts.js';
import { tallyPrior } from '../priors.js';

const messages = {
  'no-pattern': 'a cyclic schedule gives a period equal to its cycle; no periodic pattern was found',
  'train-phase': 'training swings {relation} with validation, as a schedule that moves the model itself does',
  'code-cyclic': 'the code schedules a cyclic rate: {schedule} (line {line}: `{code}`)',
  'code-not-cyclic':
    'the code schedules the rate as {schedule} and passes the callbacks {callbacks} (line {line}): no cyclic schedule',
  unlogged:
    'the learning rate is not logged: a cyclic schedule with step_size = {steps} iterations (half a cycle per epoch) would give period 2',
  'unlogged-unknown-steps':
    'the learning rate is not logged: a cyclic schedule with a half cycle of one epoch would give period 2',
  'separate-class-sorted':
    'the logged learning rate: a cyclic schedule shows in an lr column (or the CLR callback), class-sorted training in train_generator.shuffle and steps_per_epoch',
  check:
    'log the learning rate at each epoch end (a callback printing float(model.optimizer.learning_rate)); if it alternates between a peak and a trough in step with the validation metric, the schedule causes the swing',
  fix: 'set the half cycle (step_size) to 2–8 × the iterations per epoch, or compare and checkpoint only at the same phase of the cycle (its minima)',
} as const;

type MessageId = keyof typeof messages;

export default defineCause({
  id: 'cyclic-learning-rate',
  title: 'Cyclic learning-rate schedule with a cycle of a few epochs',
  predicts:
    'exact period 2 (or the cycle length in epochs) in validation and in the epoch-averaged training metrics, best at low-rate epochs; a logged lr cycles with it',
  side: 'training',
  explains: ['periodic', 'training-periodic'],
  prior: tallyPrior('cyclic-learning-rate'),
  // the schedule moves the model, so epoch averages usually swing too; the whole set is evaluated; a logged
  // rate cycles in step (a rate logged constant or only falling is no cyclic schedule)
  likelihoods: {
    // the rate changes every step the training average is taken over, so a cycle long enough to swing
    // validation swings the epoch-averaged training metrics too; validation alone swinging is the exception
    pattern: { 'shared-periodic': 0.6, 'val-periodic': 0.1, 'train-periodic': 0.1 },
    counts: { 'constant-full': 0.95, constant: 0.95, 'constant-subset': 0.05, cycle: 0.001 },
    rate: { 'cycling-in-step': 0.9, cycling: 0.3, irregular: 0.05, decreasing: 0.005, constant: 0.001 },
  },
  separatedFrom: { 'class-sorted-training-data': 'separate-class-sorted' },
  messages,
  assess(evidence, _run, context) {
    const done = (reasons: TypedReason<MessageId>[]) =>
      assessment<MessageId>(reasons, because('check'), because('fix'));
    const period = evidence.period ?? evidence.trainOscillation[0]?.period ?? null;
    if (period === null) return done([because('no-pattern')]);
    const reasons: TypedReason<MessageId>[] = [];
    const relation =
      evidence.trainOscillation.find((t) => t.valPhase !== null)?.valPhase ?? evidence.primary?.trainPhase;
    if (relation === 'antiphase' || relation === 'in-phase') {
      reasons.push(
        because('train-phase', { relation: relation === 'antiphase' ? 'in antiphase' : 'in phase' }),
      );
    }
    const schedule = context.lrSchedule;
    if (schedule !== null && schedule.source === 'code') {
      const cyclic = schedule.value === 'cyclic' || schedule.value === 'warm-restarts';
      reasons.push(
        cyclic
          ? weigh('code-cyclic', { schedule: schedule.value, ...provenance(schedule) }, 1, 0.05)
          : weigh(
              'code-not-cyclic',
              {
                schedule: schedule.value,
                callbacks: context.callbacks?.value.join(', ') ?? 'none',
                ...provenance(schedule),
              },
              0.02,
              1,
            ),
      );
    }
    if (context.learningRate === null && reasons.length === 0) {
      const steps = context.stepsPerEpoch?.value;
      reasons.push(steps !== undefined ? because('unlogged', { steps }) : because('unlogged-unknown-steps'));
    }
    return done(reasons);
  },
});
