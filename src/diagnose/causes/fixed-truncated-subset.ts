/**
 * M2 (spec/causes.md §3 M2): the iterator restarts every epoch but s·b < N, so the same prefix is always
 * evaluated; with class-sorted data it can be one class. No oscillation, a constant bias: validation can
 * look stable (or great, or stuck at a class prior) because it is a fixed subset. The digits of the accuracy
 * show it: the same count every epoch, smaller than the set.
 */
import { assessment, because, defineCause, weigh, type TypedReason } from '../define-cause.js';
import { percent } from '../evidence.js';
import { GEOMETRY_MESSAGES, resolveValidationGeometry } from '../geometry.js';
import { validationPersistence } from '../iterator-semantics.js';
import { tallyPrior } from '../priors.js';

/** Below this coverage a fixed subset can bias the metric noticeably; above it the bias is negligible. */
const NEGLIGIBLE_COVERAGE = 0.95;

const messages = {
  ...GEOMETRY_MESSAGES,
  'val-arrays': 'validation data are arrays (valData = arrays): Keras evaluates all of them every epoch',
  'iterator-persists': '{basis}: the evaluated window moves between epochs instead of staying fixed',
  covers:
    's·b = {steps} × {batchSize} = {evaluated} of {samples} samples ({percent} %) are evaluated each epoch: the subset is (nearly) the whole set',
  truncated:
    'only s·b = {steps} × {batchSize} = {evaluated} of {samples} samples ({percent} %) are evaluated each epoch; with class-sorted files that prefix can be mostly one class',
  check:
    'compare validation_steps × batch_size with the number of validation samples ({samples}); evaluate with steps=len(validation_generator): if the metric changes, the logged value came from a subset',
  'check-unknown':
    'compare validation_steps × batch_size with the number of validation samples; evaluate with steps=len(validation_generator): if the metric changes, the logged value came from a subset',
  fix: 'pass validation_steps=len(validation_generator) (= ceil(N / b)) or omit it for a Sequence or tf.data; shuffle a class-sorted set once before taking a subset',
} as const;

type MessageId = keyof typeof messages;

export default defineCause({
  id: 'fixed-truncated-subset',
  title: 'Validation on a fixed truncated subset (restart semantics with s·b < N)',
  predicts:
    'no oscillation; val_* biased, possibly by class; the same sample count every epoch, below the set size',
  side: 'evaluation',
  explains: ['stuck', 'gap'],
  prior: tallyPrior('fixed-truncated-subset'),
  // a biased but steady validation; the count is a fixed part of the set
  likelihoods: {
    pattern: { gap: 0.3, 'stuck-constant': 0.1, 'stuck-detached': 0.1, 'stuck-chance': 0.05, none: 0.3 },
    counts: { 'constant-subset': 0.95, constant: 0.5, 'constant-full': 0.001, cycle: 0.01 },
  },
  messages,
  assess(_evidence, _run, context) {
    const resolution = resolveValidationGeometry(context);
    const samples = context.valSamples?.value;
    const check = samples !== undefined ? because('check', { samples }) : because('check-unknown');
    const done = (reasons: TypedReason<MessageId>[]) => assessment<MessageId>(reasons, check, because('fix'));
    if (context.valData?.value === 'arrays') return done([weigh('val-arrays', {}, 0, 1)]);
    const iterator = validationPersistence(context);
    if (iterator.persistence === 'persists') {
      return done([weigh('iterator-persists', { basis: iterator.basis }, 0.1, 1)]);
    }
    if (!resolution.known) return done(resolution.reasons);
    const g = resolution.geometry;
    const evaluated = Math.min(g.steps * g.batchSize, g.samples);
    const coverage = evaluated / g.samples;
    const data = {
      steps: g.steps,
      batchSize: g.batchSize,
      evaluated,
      samples: g.samples,
      percent: percent(coverage),
    };
    const trust = g.assumed ? 0.5 : 1;
    if (coverage >= NEGLIGIBLE_COVERAGE) return done([weigh('covers', data, 1 - trust, 1), ...g.reasons]);
    return done([weigh('truncated', data, 1, 1 - 0.5 * trust), ...g.reasons]);
  },
});
