/**
 * M3 (spec/causes.md §3 M3): prefetch queues discarded after each evaluation, or a second consumer of the
 * same iterator (a callback calling predict on it), add w draws per epoch, so the window moves by
 * c = s + w batches instead of s (§2.3). Old Keras / tf.keras v1 generators lose ≈ max_queue_size = 10
 * batches per epoch, TF ≥ 2.2 generators ≈ 1 (TF #45249).
 */
import { validationPersistence } from '../iterator-semantics.js';
import { because, defineCause, outcome } from '../define-cause.js';
import { gatherEvidence, hasEvaluationSignature, round } from '../evidence.js';
import { GEOMETRY_MESSAGES, resolveValidationGeometry } from '../geometry.js';
import { describePattern, PATTERN_MESSAGES } from '../patterns.js';
import { apparentPeriod, extraDrawsForPeriod, sliceRotation } from '../slice-rotation.js';

/** Batches a prefetch queue can discard per epoch: 1 (tf.keras ≥ 2.2) up to max_queue_size = 10 (old Keras). */
const MAX_PREFETCH_DISCARD = 10;

const messages = {
  ...PATTERN_MESSAGES,
  ...GEOMETRY_MESSAGES,
  'no-pattern':
    'extra draws act like slice rotation: they show as a validation-only, phase-locked period; none was found',
  'train-alternates':
    'training alternates too; extra draws on the validation iterator cannot change training',
  'val-shuffled':
    'the validation iterator shuffles (valShuffle = true): moving the window changes no class mix',
  'val-arrays': 'validation data are arrays (valData = arrays): evaluated in full, no iterator to over-draw',
  'val-restarts': '{basis}: extra draws do not carry over to the next epoch',
  'needs-none':
    'no extra draws are needed: s = {steps} alone moves the window by r = {shift} of L = {passLength} batches, period {period} (see validation-slice-rotation)',
  'prefetch-fits':
    'w = {extraDraws} extra batches per epoch (c = {draws}, r = {shift} of L = {passLength}) gives period {period}: within what a discarded prefetch queue loses (1 to 10 batches)',
  'needs-many':
    'with N = {samples}, b = {batchSize}, s = {steps}, period {period} needs w ≈ {extraDraws} extra batches per epoch ({passFraction} of a pass); a discarded prefetch queue loses 1 to 10, so only a second consumer of the same iterator draws that many',
  'none-fits':
    'no number of extra draws per epoch gives period {period} with N = {samples}, b = {batchSize}, s = {steps}',
  'evaluation-side':
    'a validation-only, phase-locked pattern points to the evaluation side, and extra draws are one way to move the window',
  check:
    'wrap the validation generator so it prints every batch index it yields: with validation_steps = {steps}, more than {steps} indices per epoch (a start that moves by other than {steps} mod {passLength}) means extra draws',
  'check-unknown':
    'wrap the validation generator so it prints every batch index it yields: more indices per epoch than validation_steps means extra draws',
  fix: 'validate on a keras.utils.Sequence or tf.data (restarted each evaluation) or with workers=0, and never share the validation iterator with callbacks',
} as const;

type MessageId = keyof typeof messages;

export default defineCause({
  id: 'extra-validation-draws',
  title: 'Extra draws from the validation iterator (discarded prefetch, a second consumer)',
  predicts:
    'as slice rotation with c = s + w draws per epoch: a validation-only, phase-locked period; possibly "ran out of data" warnings',
  messages,
  assess(findings, run, context) {
    const evidence = gatherEvidence(findings, run);
    const resolution = resolveValidationGeometry(context);
    const geometry = resolution.known ? resolution.geometry : null;
    const check = geometry
      ? because('check', {
          steps: geometry.steps,
          passLength: Math.ceil(geometry.samples / geometry.batchSize),
        })
      : because('check-unknown');
    const done = outcome<MessageId>(describePattern(evidence), check, because('fix'));

    if (context.valShuffle?.value === true) return done('ruled-out', [because('val-shuffled')]);
    if (context.valData?.value === 'arrays') return done('ruled-out', [because('val-arrays')]);
    const period = evidence.period;
    if (period === null) return done('unlikely', [because('no-pattern')]);
    if (evidence.valOnly === false) return done('unlikely', [because('train-alternates')]);
    const iterator = validationPersistence(context);
    if (iterator.persistence === 'restarts') {
      return done('unlikely', [because('val-restarts', { basis: iterator.basis })]);
    }
    if (!hasEvaluationSignature(evidence)) return done('unlikely', [because('no-pattern')]);
    if (!resolution.known) return done('possible', [because('evaluation-side'), ...resolution.reasons]);

    const g = resolution.geometry;
    const epochs = evidence.epochsObserved;
    const base = sliceRotation(g);
    if (apparentPeriod(base, period, epochs).matches) {
      return done(
        'unlikely',
        [
          because('needs-none', {
            steps: g.steps,
            shift: base.shift,
            passLength: base.passLength,
            period: base.period,
          }),
        ],
        g.reasons,
      );
    }
    const candidates = extraDrawsForPeriod(g, period, epochs).filter((w) => w >= 1);
    const prefetch = candidates.find((w) => w <= MAX_PREFETCH_DISCARD);
    if (prefetch !== undefined) {
      const rotation = sliceRotation({ ...g, extraDraws: prefetch });
      return done(
        'likely',
        [
          because('prefetch-fits', {
            extraDraws: prefetch,
            draws: rotation.draws,
            shift: rotation.shift,
            passLength: rotation.passLength,
            period,
          }),
        ],
        g.reasons,
      );
    }
    if (candidates.length === 0) {
      return done(
        'ruled-out',
        [because('none-fits', { period, samples: g.samples, batchSize: g.batchSize, steps: g.steps })],
        g.reasons,
      );
    }
    // The draw count that hits the period most exactly (longest-lived phase), smallest first on ties.
    const best = candidates
      .map((w) => ({
        w,
        phase: apparentPeriod(sliceRotation({ ...g, extraDraws: w }), period, 0).phaseEpochs,
      }))
      .sort((a, b) => b.phase - a.phase || a.w - b.w)[0];
    const extraDraws = best?.w ?? candidates[0] ?? 0;
    return done(
      'possible',
      [
        because('needs-many', {
          samples: g.samples,
          batchSize: g.batchSize,
          steps: g.steps,
          period,
          extraDraws,
          passFraction: round(extraDraws / base.passLength, 2),
        }),
      ],
      g.reasons,
    );
  },
});
