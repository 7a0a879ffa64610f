/**
 * M3 (spec/causes.md §3 M3): prefetch queues discarded after each evaluation, or a second consumer of the
 * same iterator (a callback calling predict on it), add w draws per epoch, so the window moves by
 * c = s + w batches instead of s (§2.3). Old Keras / tf.keras v1 generators lose ≈ max_queue_size = 10
 * batches per epoch, TF ≥ 2.2 generators ≈ 1 (TF #45249).
 */
import { assessment, because, defineCause, weigh, type TypedReason } from '../define-cause.js';
import { round } from '../evidence.js';
import { provenance } from '../facts.js';
import { GEOMETRY_MESSAGES, resolveValidationGeometry } from '../geometry.js';
import { validationPersistence } from '../iterator-semantics.js';
import { tallyPrior } from '../priors.js';
import {
  apparentPeriod,
  countsGeometry,
  extraDrawsForPeriod,
  shiftsForPeriod,
  sliceRotation,
} from '../slice-rotation.js';

/** Batches a prefetch queue can discard per epoch: 1 (tf.keras ≥ 2.2) up to max_queue_size = 10 (old Keras). */
const MAX_PREFETCH_DISCARD = 10;
/** Keras callbacks that never draw from the validation data themselves. */
const BUILT_IN_CALLBACKS = new Set([
  'ModelCheckpoint',
  'EarlyStopping',
  'ReduceLROnPlateau',
  'CSVLogger',
  'TensorBoard',
  'LearningRateScheduler',
  'TerminateOnNaN',
  'History',
  'ProgbarLogger',
  'BackupAndRestore',
]);

const messages = {
  ...GEOMETRY_MESSAGES,
  'no-pattern':
    'extra draws act like slice rotation: they show as a validation-only, phase-locked period; none was found',
  'val-shuffled':
    'the validation iterator shuffles ({source}, line {line}): moving the window changes no class mix',
  'val-arrays': 'validation data are arrays (valData = arrays): evaluated in full, no iterator to over-draw',
  'val-restarts': '{basis}: extra draws do not carry over to the next epoch',
  'needs-none':
    'no extra draws are needed: s = {steps} alone moves the window by r = {shift} of L = {passLength} batches, period {period} (see validation-slice-rotation)',
  'counts-need-none':
    'the counted window sizes ({counts}) are what validation_steps alone evaluates (b = {batchSize}, s = {steps}); extra draws would move the windows elsewhere',
  'prefetch-fits':
    'w = {extraDraws} extra batches per epoch (c = {draws}, r = {shift} of L = {passLength}) gives period {period}: within what a discarded prefetch queue loses (1 to 10 batches)',
  'needs-many':
    'with N = {samples}, b = {batchSize}, s = {steps}, period {period} needs w ≈ {extraDraws} extra batches per epoch ({passFraction} of a pass); a discarded prefetch queue loses 1 to 10, so only a second consumer of the same iterator draws that many',
  'no-consumer':
    'the callbacks in the code ({callbacks}, line {line}) are Keras built-ins that never draw from the validation data',
  'none-fits':
    'no number of extra draws per epoch gives period {period} with N = {samples}, b = {batchSize}, s = {steps}',
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
  side: 'evaluation',
  explains: ['periodic'],
  prior: tallyPrior('extra-validation-draws'),
  // the same windows as a rotation: a validation-only period and counts that cycle
  likelihoods: {
    pattern: { 'val-periodic': 0.85, 'shared-periodic': 0.03, 'stuck-constant': 0.02 },
    // a window of c batches of b evaluates c·b samples every epoch unless it straddles the end of a pass with
    // a partial last batch (N mod b ≠ 0): equal windows (a constant count below the set) and straddling ones
    // (counts that cycle) are both common; only the whole set every epoch contradicts a partial pass
    counts: { cycle: 0.6, 'constant-subset': 0.4, constant: 0.4, 'constant-full': 0.001 },
  },
  messages,
  assess(evidence, _run, context) {
    const resolution = resolveValidationGeometry(context);
    const geometry = resolution.known ? resolution.geometry : null;
    const check = geometry
      ? because('check', {
          steps: geometry.steps,
          passLength: Math.ceil(geometry.samples / geometry.batchSize),
        })
      : because('check-unknown');
    const done = (reasons: TypedReason<MessageId>[]) => assessment<MessageId>(reasons, check, because('fix'));

    if (context.valShuffle?.value === true)
      return done([weigh('val-shuffled', provenance(context.valShuffle), 0, 1)]);
    if (context.valData?.value === 'arrays') return done([weigh('val-arrays', {}, 0, 1)]);
    const iterator = validationPersistence(context);
    if (iterator.persistence === 'restarts')
      return done([weigh('val-restarts', { basis: iterator.basis }, 0, 1)]);
    const period = evidence.period;
    if (period === null) return done([because('no-pattern')]);

    const reasons: TypedReason<MessageId>[] = [];
    const counts = context.valCounts;
    if (counts !== null && counts.pattern === 'cycle') {
      const found = countsGeometry(counts, context.valSamples?.value ?? null);
      const first = found.candidates[0];
      if (first !== undefined) {
        // extra draws reproduce the validation_steps-only windows only if w is a whole number of passes
        reasons.push(
          weigh(
            'counts-need-none',
            { counts: counts.counts.join(', '), batchSize: first.batchSize, steps: first.steps },
            0.05,
            1,
          ),
        );
      }
    }
    if (!resolution.known) return done([...reasons, ...resolution.reasons]);

    const g = resolution.geometry;
    const trust = g.assumed ? 0.5 : 1;
    const epochs = evidence.epochsObserved;
    const base = sliceRotation(g);
    if (apparentPeriod(base, period, epochs).matches) {
      return done([
        ...reasons,
        weigh(
          'needs-none',
          { steps: g.steps, shift: base.shift, passLength: base.passLength, period: base.period },
          1 - 0.95 * trust,
          1,
        ),
        ...g.reasons,
      ]);
    }
    const candidates = extraDrawsForPeriod(g, period, epochs).filter((w) => w >= 1);
    const coincidence =
      Math.max(1, shiftsForPeriod(base.passLength, period, epochs).length) / base.passLength;
    const prefetch = candidates.find((w) => w <= MAX_PREFETCH_DISCARD);
    if (prefetch !== undefined) {
      const rotation = sliceRotation({ ...g, extraDraws: prefetch });
      return done([
        ...reasons,
        weigh(
          'prefetch-fits',
          {
            extraDraws: prefetch,
            draws: rotation.draws,
            shift: rotation.shift,
            passLength: rotation.passLength,
            period,
          },
          trust + (1 - trust) * coincidence,
          coincidence,
        ),
        ...g.reasons,
      ]);
    }
    if (candidates.length === 0) {
      return done([
        ...reasons,
        weigh(
          'none-fits',
          { period, samples: g.samples, batchSize: g.batchSize, steps: g.steps },
          1 - trust,
          1,
        ),
        ...g.reasons,
      ]);
    }
    // the draw count that hits the period most exactly (longest-lived phase), smallest first on ties
    const best = candidates
      .map((w) => ({
        w,
        phase: apparentPeriod(sliceRotation({ ...g, extraDraws: w }), period, 0).phaseEpochs,
      }))
      .sort((a, b) => b.phase - a.phase || a.w - b.w)[0];
    const extraDraws = best?.w ?? candidates[0] ?? 0;
    reasons.push(
      because('needs-many', {
        samples: g.samples,
        batchSize: g.batchSize,
        steps: g.steps,
        period,
        extraDraws,
        passFraction: round(extraDraws / base.passLength, 2),
      }),
    );
    const callbacks = context.callbacks;
    if (callbacks !== null && callbacks.value.every((c) => BUILT_IN_CALLBACKS.has(c))) {
      // a second consumer would have to be in code the paste does not show
      reasons.push(
        weigh('no-consumer', { callbacks: callbacks.value.join(', '), ...provenance(callbacks) }, 0.1, 1),
      );
    }
    return done([...reasons, ...g.reasons]);
  },
});
