/**
 * M10 (spec/causes.md §3 M10): a cyclical learning rate whose half cycle (`step_size`) is one epoch puts
 * the end-of-epoch rate alternately at the peak and the trough; warm restarts with short cycles do the same
 * at the cycle length. Epoch-averaged training metrics can still look smooth [Inference].
 */
import { because, defineCause, outcome } from '../define-cause.js';
import { gatherEvidence, learningRateName, series } from '../evidence.js';
import { describePattern, PATTERN_MESSAGES } from '../patterns.js';

/** Share of epochs whose logged rate must change, each time reversing direction, to call it a cycle. */
const CYCLE_SHARE = 0.8;

const messages = {
  ...PATTERN_MESSAGES,
  'no-pattern': 'a cyclic schedule gives a period equal to its cycle; no periodic pattern was found',
  'lr-alternates':
    '{lrMetric} is logged and alternates: it changed direction on {reversals} of {intervals} epochs, in step with the validation period {period}',
  'lr-flat':
    '{lrMetric} is logged every epoch and changes only on {changes} of {intervals} epochs, never back and forth: no cycle',
  'lr-not-periodic':
    '{lrMetric} changes on {changes} of {intervals} epochs but reverses direction only {reversals} times: a schedule, not a cycle',
  'train-too':
    'training alternates too: a schedule (or the order of the training data) moves the model itself with period {period}',
  unlogged:
    'the learning rate is not logged: a cyclic schedule with step_size = {steps} iterations (half a cycle per epoch) would give period 2 while epoch-averaged training metrics look smooth',
  'unlogged-unknown-steps':
    'the learning rate is not logged: a cyclic schedule with a half cycle of one epoch would give period 2 while epoch-averaged training metrics look smooth',
  check:
    'log the learning rate at each epoch end (a callback printing float(model.optimizer.learning_rate)); if it alternates between a peak and a trough in step with the validation metric, the schedule causes the swing',
  fix: 'set the half cycle (step_size) to 2–8 × the iterations per epoch, or compare and checkpoint only at the same phase of the cycle (its minima)',
} as const;

type MessageId = keyof typeof messages;

export default defineCause({
  id: 'cyclic-learning-rate',
  title: 'Cyclic learning-rate schedule with a cycle of a few epochs',
  predicts:
    'exact period 2 (or the cycle length in epochs) in validation, best at low-rate epochs; a logged lr alternates with it',
  messages,
  assess(findings, run, context) {
    const evidence = gatherEvidence(findings, run);
    const done = outcome<MessageId>(describePattern(evidence), because('check'), because('fix'));
    const period = evidence.period;
    const lrMetric = learningRateName(run);
    if (lrMetric !== null) {
      const values = series(run, lrMetric).map((p) => p.value);
      let changes = 0;
      let reversals = 0;
      let previousSign = 0;
      for (let i = 1; i < values.length; i++) {
        const a = values[i - 1] ?? 0;
        const b = values[i] ?? 0;
        const sign = Math.abs(b - a) <= 1e-3 * Math.max(Math.abs(a), Math.abs(b)) ? 0 : Math.sign(b - a);
        if (sign === 0) continue;
        changes += 1;
        if (previousSign !== 0 && sign !== previousSign) reversals += 1;
        previousSign = sign;
      }
      const intervals = Math.max(0, values.length - 1);
      if (intervals >= 2) {
        const cycling = reversals >= CYCLE_SHARE * (intervals - 1);
        if (cycling && period !== null) {
          return done('confirmed', [because('lr-alternates', { lrMetric, reversals, intervals, period })]);
        }
        if (reversals === 0) return done('ruled-out', [because('lr-flat', { lrMetric, changes, intervals })]);
        if (!cycling)
          return done('unlikely', [because('lr-not-periodic', { lrMetric, changes, intervals, reversals })]);
      }
    }
    if (period === null) return done('unlikely', [because('no-pattern')]);
    if (evidence.valOnly === false) return done('likely', [because('train-too', { period })]);
    const steps = context.stepsPerEpoch?.value;
    if (period === 2 && evidence.phaseLocked) {
      return done('possible', [
        steps !== undefined ? because('unlogged', { steps }) : because('unlogged-unknown-steps'),
      ]);
    }
    return done('possible', [because('unlogged-unknown-steps')]);
  },
});
