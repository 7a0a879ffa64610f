/**
 * M9 (spec/causes.md §3 M9): steps that overshoot a narrow valley (a high learning rate, a tiny Adam epsilon,
 * no warm-up) make the training loss jump together with validation, at irregular epochs, sometimes ending in
 * NaN. An alternating or cycling training curve is the signature of a schedule, not of overshooting.
 */
import { assessment, because, defineCause, weigh, type TypedReason } from '../define-cause.js';
import { provenance } from '../facts.js';
import { tallyPrior } from '../priors.js';

/** Adaptive optimizers (Adam and kin) and plain SGD take rates of different sizes. */
const ADAPTIVE = /adam|rmsprop|adagrad|adadelta|nadam|adamax|lion|lamb|ftrl/i;
/** Rates at or below these are small (10× under the usual defaults 1e-3 and 1e-2); at or above 10× over, large. */
const SMALL = { adaptive: 1e-4, sgd: 1e-3 } as const;
const LARGE = { adaptive: 1e-2, sgd: 1e-1 } as const;

const messages = {
  'train-jumps':
    'the training loss jumps at {jumps} epoch(s), the worst {factor}× its trend at epoch {epoch}: steps overshoot',
  'train-rough':
    'the training loss scatters around its trend by {percent} % of the progress it made, at every stretch of the run: steps keep overshooting',
  'code-small-rate':
    'the code trains with {name} at learning rate {rate} (line {line}: `{code}`), ten times below the usual default',
  'code-large-rate':
    'the code trains with {name} at learning rate {rate} (line {line}: `{code}`), ten times above the usual default',
  'code-rate': 'the code trains with {name} at learning rate {rate} (line {line})',
  check:
    'rerun a few epochs with the learning rate divided by 10: if the training loss steadies and the validation jumps shrink, the rate was too high',
  fix: 'lower the learning rate, add warm-up or a decaying schedule, clip gradients (clipnorm=1.0), or raise Adam epsilon',
} as const;

type MessageId = keyof typeof messages;

export default defineCause({
  id: 'learning-rate-too-high',
  title: 'Optimization instability (learning rate too high, tiny Adam epsilon, no warm-up)',
  predicts:
    'the training loss jumps above its trend at the same epochs as validation, irregularly, possibly ending in NaN',
  side: 'training',
  explains: ['irregular', 'training-irregular', 'periodic'],
  prior: tallyPrior('learning-rate-too-high'),
  // overshooting shakes training and validation together; it does not keep a period
  likelihoods: {
    pattern: {
      'shared-irregular': 0.55,
      'train-irregular': 0.25,
      'val-irregular': 0.08,
      'shared-periodic': 0.02,
    },
  },
  messages,
  assess(evidence, _run, context) {
    const done = (reasons: TypedReason<MessageId>[]) =>
      assessment<MessageId>(reasons, because('check'), because('fix'));
    const reasons: TypedReason<MessageId>[] = [];
    const jumps = evidence.trainJumps;
    if (jumps !== null && jumps.jumps === 0 && jumps.roughness !== null) {
      reasons.push(because('train-rough', { percent: Math.round(jumps.roughness * 1000) / 10 }));
    } else if (jumps !== null) {
      reasons.push(
        because('train-jumps', { jumps: jumps.jumps, factor: jumps.worstFactor, epoch: jumps.worstEpoch }),
      );
    }
    const optimizer = context.optimizer;
    const rate = optimizer?.value.learningRate ?? null;
    if (optimizer !== null && rate !== null) {
      const kind = ADAPTIVE.test(optimizer.value.name) ? 'adaptive' : 'sgd';
      const data = { name: optimizer.value.name, rate, ...provenance(optimizer) };
      // a rate ten times below the default rarely overshoots (one run in twenty), ten times above often does
      if (rate <= SMALL[kind]) reasons.push(weigh('code-small-rate', data, 0.05, 0.5));
      else if (rate >= LARGE[kind]) reasons.push(weigh('code-large-rate', data, 0.8, 0.2));
      else reasons.push(because('code-rate', data));
    }
    return done(reasons);
  },
});
