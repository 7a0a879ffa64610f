/**
 * M2 (spec/causes.md §3 M2): the iterator restarts every epoch but s·b < N, so the same prefix is always
 * evaluated; with class-sorted data it can be one class. No oscillation, a constant bias: validation can
 * look stable (or great, or stuck at a class prior) because it is a fixed subset.
 */
import { validationPersistence } from '../iterator-semantics.js';
import { because, defineCause, outcome } from '../define-cause.js';
import { gatherEvidence, percent } from '../evidence.js';
import { GEOMETRY_MESSAGES, resolveValidationGeometry } from '../geometry.js';
import { describePattern, PATTERN_MESSAGES } from '../patterns.js';

/** Below this coverage a fixed subset can bias the metric noticeably; above it the bias is negligible. */
const NEGLIGIBLE_COVERAGE = 0.95;
/** Symptoms of a biased but steady validation metric. */
const BIAS_RULES = ['val-stuck', 'val-better-than-train'];

const messages = {
  ...PATTERN_MESSAGES,
  ...GEOMETRY_MESSAGES,
  'val-arrays': 'validation data are arrays (valData = arrays): Keras evaluates all of them every epoch',
  'iterator-persists': '{basis}: the evaluated window moves between epochs instead of staying fixed',
  periodic:
    'a fixed subset is the same every epoch: it biases {metric} by a constant, it cannot make it swing with period {period}',
  covers:
    's·b = {steps} × {batchSize} = {evaluated} of {samples} samples ({percent} %) are evaluated each epoch: the subset is (nearly) the whole set',
  truncated:
    'only s·b = {steps} × {batchSize} = {evaluated} of {samples} samples ({percent} %) are evaluated each epoch; with class-sorted files that prefix can be mostly one class',
  'bias-symptom': 'the validation metric looks biased ({rules})',
  'no-symptom': 'no stuck or suspiciously good validation metric was found',
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
  predicts: 'no oscillation; val_* biased, possibly by class (val_acc ≈ a class prior or ≈ 1.0)',
  messages,
  assess(findings, run, context) {
    const evidence = gatherEvidence(findings, run);
    const resolution = resolveValidationGeometry(context);
    const samples = context.valSamples?.value;
    const check = samples !== undefined ? because('check', { samples }) : because('check-unknown');
    const done = outcome<MessageId>(describePattern(evidence), check, because('fix'));
    if (context.valData?.value === 'arrays') return done('ruled-out', [because('val-arrays')]);
    const iterator = validationPersistence(context);
    if (iterator.persistence === 'persists') {
      return done('unlikely', [because('iterator-persists', { basis: iterator.basis })]);
    }
    const symptoms = BIAS_RULES.filter((rule) => evidence.mentioned.has(rule));
    const symptom =
      symptoms.length > 0 ? because('bias-symptom', { rules: symptoms.join(', ') }) : because('no-symptom');
    if (resolution.known) {
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
      if (coverage >= NEGLIGIBLE_COVERAGE) return done('ruled-out', [because('covers', data)], g.reasons);
      if (evidence.period !== null) {
        const metric = evidence.primary?.metric ?? evidence.periodic[0]?.metric ?? 'validation';
        return done('unlikely', [
          because('periodic', { metric, period: evidence.period }),
          because('truncated', data),
        ]);
      }
      if (symptoms.length > 0) {
        return done(g.assumed ? 'possible' : 'likely', [because('truncated', data), symptom], g.reasons);
      }
      return done('possible', [because('truncated', data), symptom], g.reasons);
    }
    if (evidence.period !== null) {
      const metric = evidence.primary?.metric ?? evidence.periodic[0]?.metric ?? 'validation';
      return done('unlikely', [because('periodic', { metric, period: evidence.period })]);
    }
    return done(symptoms.length > 0 ? 'possible' : 'unlikely', [symptom, ...resolution.reasons]);
  },
});
