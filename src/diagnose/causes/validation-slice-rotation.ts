/**
 * M1 (spec/causes.md §2, §3 M1): a persistent validation iterator whose `validation_steps` is not a whole
 * pass evaluates a different window every epoch; with class-sorted, unshuffled data the window's class mix
 * changes systematically. The arithmetic of §2.3 turns N, b and s into a predicted period and phase.
 */
import type { RunContext, Scalar } from '../../model/index.js';
import { assessment, because, defineCause, weigh, type TypedReason } from '../define-cause.js';
import { percent, round, type AlternationEvidence } from '../evidence.js';
import { provenance } from '../facts.js';
import { GEOMETRY_MESSAGES, resolveValidationGeometry } from '../geometry.js';
import { validationPersistence } from '../iterator-semantics.js';
import { tallyPrior } from '../priors.js';
import {
  apparentPeriod,
  countsGeometry,
  shiftsForPeriod,
  batchSizesForPeriod,
  classFractions,
  epochWindows,
  sliceRotation,
  stepsForPeriod,
  type EpochWindow,
  type Rotation,
} from '../slice-rotation.js';

const messages = {
  ...GEOMETRY_MESSAGES,
  'no-period-observed':
    'slice rotation shows as a phase-locked period (2 when the window moves half a pass per epoch); none was found',
  'val-shuffled':
    'the validation iterator shuffles ({source}, line {line}): windows are random draws, not class blocks',
  'counts-rotation':
    'the counts {counts} are what a rotation with validation_steps alone evaluates: N = {samples} in batches of b = {batchSize} (s = {steps}, L = {passLength}, last batch {lastBatch}) gives exactly these window sizes with period {period}{others}',
  'counts-no-rotation':
    'no batch size and step count rotate a {samples}-sample set into windows of {counts} with period {period}',
  'predicted-period':
    'stated or derived numbers predict the observed period: with random numbers a period {observed} that holds {epochs} epochs arises for {fits} of {passLength} window shifts',
  'assumed-numbers': 'the numbers rest on the script idiom (assumed), so they count half',
  'val-arrays':
    'validation data are arrays (valData = arrays): they are evaluated in full every epoch, with no iterator',
  'iterator-restarts':
    '{basis}: every epoch scores the same first validation_steps batches, so the window cannot rotate',
  geometry:
    'L = ceil({samples} / {batchSize}) = {passLength} batches per pass (last batch {lastBatch} images); with s = {steps} steps the window moves r = {shift} batches per epoch: period {period}',
  'same-window': 'r = 0: every epoch evaluates the same {images} images, so the windows cannot alternate',
  'no-period': 'period 2 needs r ≈ L/2 = {target} (mod {passLength}); r = {shift} gives period {period}',
  'subset-period':
    'the digits of {metric} give {count} of the {samples} validation samples every epoch: a persistent iterator moving that window by {count} samples per epoch repeats every {samples} / gcd({count}, {samples}) = {period} epochs, the period observed',
  'subset-other-period':
    'the digits of {metric} give {count} of the {samples} validation samples every epoch: a persistent iterator would repeat every {period} epochs, not {observed}',
  'no-period-k':
    'period {observed} needs r ≈ j·{passLength}/{observed} with j prime to {observed}; r = {shift} gives period {period}',
  'max-difference':
    "any two epochs' windows differ by at most {batches} batches = {images} images ({percent} % of {samples})",
  'too-small-for-swing':
    'a window change that small moves {metric} by at most ≈ {boundPoints} points; the observed swing is {amplitudePoints} points',
  'predicts-period-exact':
    'r = {shift} = L/2: epochs alternate between two complementary windows, exactly period 2, as observed on {metric}',
  'predicts-period-near':
    'r = {shift} ≈ L/2 = {half}: epochs alternate between two near-complementary windows (period 2, phase held ≈ {phaseEpochs} epochs; observed {observed})',
  'predicts-period-k':
    'r = {shift} ≈ {step}/{observed} of a pass: the windows repeat with period {observed} (phase held ≈ {phaseEpochs} epochs), as observed on {metric}',
  'phase-mismatch-locked':
    'the arithmetic gives period {observed}, but its phase survives only ≈ {phaseEpochs} epochs while the observed phase holds for {epochs}',
  'phase-mismatch-flips':
    'the arithmetic gives period {observed} with a phase that holds ≈ {phaseEpochs} epochs, but the observed phase flips within {epochs}',
  windows:
    'odd epochs evaluate images {oddImages}, even epochs images {evenImages} (directory order; observed {metric} high on {parity} epochs)',
  'class-fractions': 'with valClassCounts {classCounts}, the class-0 fraction of epochs 1–4 is {fractions}',
  antiphase:
    '{accuracyMetric} and {lossMetric} swing in antiphase (high on {accuracyParity} and {lossParity} epochs), as a change of the evaluated class mix predicts',
  'alternative-batch-exact':
    'with an effective validation batch of {batchSize} (L = {passLength}, s = {steps}) epochs alternate between the two halves of the set, exactly period 2',
  'alternative-batch-near':
    'with an effective validation batch of {batchSize} (L = {passLength}, s = {steps}) epochs alternate between the two halves of the set: period 2, phase held ≈ {phaseEpochs} epochs',
  'alternative-batch-period':
    'with an effective validation batch of {batchSize} (L = {passLength}, s = {steps}) the windows repeat with period {period}',
  'alternative-steps':
    'with b = {batchSize}, validation_steps = {steps} (L = {passLength}, r = {shift}) would give period {period}',
  'ruled-out-for-numbers':
    'ruled out for the stated/implied numbers N = {samples}, b = {batchSize}, s = {steps}; other numbers can produce it (see the alternatives)',
  'train-contradicts':
    'training alternates too, which slice rotation cannot cause; the arithmetic alone does not settle it',
  'separate-swap':
    'the samples behind each validation accuracy: full float32 digits (CSVLogger, history JSON) show windows of different sizes for a rotation and the whole set every epoch for a weight swap; or state --val-steps, --val-batch-size and --val-samples',
  check:
    'print len(validation_generator), validation_generator.batch_size and the validation_steps you pass (the numbers above: L = {passLength}, b = {batchSize}, s = {steps}); then evaluate two consecutive checkpoints on a fresh generator with steps=len(gen): if both give the same accuracy, the swing is an evaluation artifact',
  'check-unknown':
    'print len(validation_generator), validation_generator.batch_size and the validation_steps you pass; then evaluate two consecutive checkpoints on a fresh generator with steps=len(gen): if both give the same accuracy, the swing is an evaluation artifact',
  fix: 'pass validation_steps=len(validation_generator) (= ceil(N / b)) or omit it; build the step count with the batch size the generator really uses; or call validation_generator.reset() before each evaluation',
} as const;

type MessageId = keyof typeof messages;

function rangeText(window: EpochWindow | undefined): string {
  if (!window) return '';
  return window.ranges.map(([a, b]) => (a === b ? `${a}` : `${a}–${b}`)).join(', ');
}

function fractionText(values: number[]): string {
  return values.map((v) => v.toFixed(3)).join(', ');
}

/** Reasons that describe the windows a matching rotation predicts. */
function predictionReasons(
  rotation: Rotation,
  observed: number,
  epochs: number,
  primary: AlternationEvidence | null,
  metric: string,
  classCounts: number[] | null,
): TypedReason<MessageId>[] {
  const reasons: TypedReason<MessageId>[] = [];
  const apparent = apparentPeriod(rotation, observed, 0);
  const phaseEpochs = Number.isFinite(apparent.phaseEpochs) ? round(apparent.phaseEpochs) : null;
  if (observed === 2 && rotation.exactPeriod2) {
    reasons.push(because('predicts-period-exact', { shift: rotation.shift, metric }));
  } else if (observed === 2) {
    reasons.push(
      because('predicts-period-near', {
        shift: rotation.shift,
        half: rotation.passLength / 2,
        phaseEpochs,
        observed: epochs,
      }),
    );
  } else {
    reasons.push(
      because('predicts-period-k', {
        shift: rotation.shift,
        step: apparent.step,
        observed,
        phaseEpochs,
        metric,
      }),
    );
  }
  const windows = epochWindows(rotation, 4);
  if (observed === 2) {
    reasons.push(
      because('windows', {
        oddImages: rangeText(windows[0]),
        evenImages: rangeText(windows[1]),
        metric,
        parity: primary?.highParity ?? null,
      }),
    );
  }
  if (classCounts !== null) {
    reasons.push(
      because('class-fractions', {
        classCounts: classCounts.join(', '),
        fractions: fractionText(windows.map((w) => classFractions(w, classCounts)[0] ?? 0)),
      }),
    );
  }
  return reasons;
}

function alternativeReasons(
  samples: number,
  batchSize: number,
  steps: number,
  observed: number,
  epochs: number,
): TypedReason<MessageId>[] {
  const reasons: TypedReason<MessageId>[] = [];
  const byBatch = batchSizesForPeriod(samples, steps, observed, epochs, batchSize)[0];
  if (byBatch) {
    const apparent = apparentPeriod(byBatch, observed, epochs);
    const data: Record<string, Scalar> = {
      batchSize: byBatch.batchSize,
      passLength: byBatch.passLength,
      steps,
      period: observed,
      phaseEpochs: Number.isFinite(apparent.phaseEpochs) ? round(apparent.phaseEpochs) : null,
    };
    if (observed !== 2) reasons.push(because('alternative-batch-period', data));
    else reasons.push(because(apparent.exact ? 'alternative-batch-exact' : 'alternative-batch-near', data));
  }
  const bySteps = stepsForPeriod(samples, batchSize, observed, epochs)[0];
  if (bySteps) {
    reasons.push(
      because('alternative-steps', {
        batchSize,
        steps: bySteps.steps,
        passLength: bySteps.passLength,
        shift: bySteps.shift,
        period: observed,
      }),
    );
  }
  return reasons;
}

/** How a rotation decides the log: a reason and its likelihoods (this cause vs. not). */
function rotationWeight(
  reasons: TypedReason<MessageId>[],
  known: boolean,
  assumed: boolean,
): { reasons: TypedReason<MessageId>[] } {
  return { reasons: known && assumed ? [...reasons, because('assumed-numbers')] : reasons };
}

/** The rotation a count cycle implies (N from the log or the sum of one cycle). */
function countReasons(context: RunContext, observed: number | null): TypedReason<MessageId>[] {
  const counts = context.valCounts;
  if (counts === null || counts.pattern !== 'cycle' || counts.period === null) return [];
  const found = countsGeometry(counts, context.valSamples?.value ?? null);
  const data = {
    counts: counts.counts.join(', '),
    period: counts.period,
    samples: found.samples,
  };
  if (found.candidates.length === 0) {
    // no rotation evaluates windows of these sizes: the digits speak against a rotation
    return [weigh('counts-no-rotation', data, 0.05, 1)];
  }
  const first = found.candidates[0];
  if (first === undefined) return [];
  const others =
    found.candidates.length > 1
      ? ` (or b = ${found.candidates
          .slice(1, 4)
          .map((c) => `${c.batchSize} with s = ${c.steps}`)
          .join(', ')})`
      : '';
  const matches = observed === null || observed === counts.period;
  return [
    because('counts-rotation', {
      ...data,
      batchSize: first.batchSize,
      steps: first.steps,
      passLength: first.passLength,
      lastBatch: first.lastBatch,
      others,
    }),
    ...(matches ? [] : [weigh('counts-no-rotation', data, 0.2, 1)]),
  ];
}

/**
 * A constant count n below the set size N (read from the digits and the log): every epoch scores a window of
 * n samples. A persistent iterator moves that window by n samples per epoch (whole batches when b divides
 * N, or an iterator that cycles over the samples), so the windows repeat with period T = N / gcd(n, N): a
 * prediction made without b or s. An observed period equal to T is what the rotation predicts; a period
 * that other mechanisms produce matches it by coincidence (about one period in five among the 2 … 6 a
 * swing scan can report).
 */
function subsetReasons(context: RunContext, observed: number): TypedReason<MessageId>[] {
  const counts = context.valCounts;
  const size = context.valSamples?.value ?? null;
  if (counts === null || counts.pattern !== 'constant' || size === null) return [];
  const n = counts.counts[0];
  if (n === undefined || !(n > 0) || n >= size) return [];
  const period = size / gcd(n, size);
  const data = { metric: counts.metric, count: n, samples: size, period, observed };
  return period === observed
    ? [weigh('subset-period', data, 0.9, SUBSET_COINCIDENCE)]
    : [weigh('subset-other-period', data, 0.1, 1)];
}

/** Chance that a period from another mechanism equals N / gcd(n, N) (one of the ~5 periods a scan reports). */
const SUBSET_COINCIDENCE = 0.2;

function gcd(a: number, b: number): number {
  let x = Math.abs(Math.round(a));
  let y = Math.abs(Math.round(b));
  while (y > 0) [x, y] = [y, x % y];
  return x;
}

export default defineCause({
  id: 'validation-slice-rotation',
  title: 'Validation slice rotation (validation_steps does not cover one pass of a persistent iterator)',
  predicts:
    'only val_* swing, phase-locked with period L / gcd(s mod L, L) (2 when s ≡ L/2 mod L); train metrics and LR smooth; val_acc and val_loss in antiphase; the evaluated sample count changes with the window',
  side: 'evaluation',
  explains: ['periodic'],
  prior: tallyPrior('validation-slice-rotation'),
  // a rotation shows as a validation-only period (class-sorted windows); it moves nothing in training. Unless
  // the batch size divides the set, one window of a cycle holds the partial last batch, so the counts cycle
  likelihoods: {
    pattern: { 'val-periodic': 0.85, 'shared-periodic': 0.03, 'stuck-constant': 0.02 },
    // a window of c batches of b evaluates c·b samples every epoch unless it straddles the end of a pass with
    // a partial last batch (N mod b ≠ 0): equal windows (a constant count below the set) and straddling ones
    // (counts that cycle) are both common; only the whole set every epoch contradicts a partial pass
    counts: { cycle: 0.6, 'constant-subset': 0.4, constant: 0.4, 'constant-full': 0.001 },
  },
  separatedFrom: { 'weight-averaging-swap': 'separate-swap' },
  messages,
  assess(evidence, _run, context) {
    const resolution = resolveValidationGeometry(context);
    const known = resolution.known ? resolution.geometry : null;
    const check = known
      ? because('check', {
          passLength: Math.ceil(known.samples / known.batchSize),
          batchSize: known.batchSize,
          steps: known.steps,
        })
      : because('check-unknown');
    const fix = because('fix');
    const done = (reasons: TypedReason<MessageId>[]) => assessment<MessageId>(reasons, check, fix);

    if (context.valShuffle?.value === true) {
      return done([weigh('val-shuffled', provenance(context.valShuffle), 0, 1)]);
    }
    if (context.valData?.value === 'arrays') return done([weigh('val-arrays', {}, 0, 1)]);
    const iterator = validationPersistence(context);
    if (iterator.persistence === 'restarts') {
      return done([weigh('iterator-restarts', { basis: iterator.basis }, 0, 1)]);
    }
    const observed = evidence.period;
    const fromCounts = countReasons(context, observed);
    if (observed === null) return done([because('no-period-observed'), ...fromCounts]);
    // measured window sizes outrank an assumed geometry: the script idiom assumes a full pass, the digits say
    // how much of the set each epoch scores
    const fromSubset = subsetReasons(context, observed);
    if (fromSubset.length > 0 && (!resolution.known || resolution.geometry.assumed))
      return done([...fromSubset, ...fromCounts]);
    if (!resolution.known) return done([...resolution.reasons, ...fromCounts]);

    const geometry = resolution.geometry;
    const rotation = sliceRotation(geometry);
    const geometryReason = because('geometry', {
      samples: rotation.samples,
      batchSize: rotation.batchSize,
      passLength: rotation.passLength,
      lastBatch: rotation.lastBatch,
      steps: rotation.steps,
      shift: rotation.shift,
      period: rotation.period,
    });
    const epochs = evidence.epochsObserved;
    const apparent = apparentPeriod(rotation, observed, 0);
    const aligned = apparent.matches;
    const phaseMatches = evidence.phaseLocked
      ? apparent.phaseEpochs >= epochs
      : apparent.phaseEpochs < epochs;
    const accuracy = evidence.accuracy;
    const bound = rotation.maxDifference.fraction;
    const amplitudeFits = accuracy === null || accuracy.amplitude <= bound;
    const metric = evidence.primary?.metric ?? evidence.periodic[0]?.metric ?? 'the validation metric';
    // an assumed number (the script idiom) may be wrong: then the arithmetic says nothing (half the weight)
    const trust = geometry.assumed ? 0.5 : 1;

    if (aligned && phaseMatches && amplitudeFits) {
      const fits = shiftsForPeriod(rotation.passLength, observed, epochs).length;
      const coincidence = Math.max(1, fits) / rotation.passLength;
      const lead: TypedReason<MessageId>[] = [
        weigh(
          'predicted-period',
          { observed, epochs, fits, passLength: rotation.passLength },
          trust + (1 - trust) * coincidence,
          coincidence,
        ),
        geometryReason,
        ...predictionReasons(
          rotation,
          observed,
          epochs,
          evidence.primary,
          metric,
          context.valClassCounts?.value ?? null,
        ),
      ];
      const loss = evidence.alternations.find((a) => !a.isAccuracy && /loss/.test(a.metric));
      if (evidence.antiphase === true && accuracy && loss) {
        lead.push(
          because('antiphase', {
            accuracyMetric: accuracy.metric,
            lossMetric: loss.metric,
            accuracyParity: accuracy.highParity,
            lossParity: loss.highParity,
          }),
        );
      }
      if (evidence.valOnly === false) lead.unshift(because('train-contradicts'));
      return done(
        rotationWeight([...lead, ...geometry.reasons, ...fromCounts], true, geometry.assumed).reasons,
      );
    }

    const lead: TypedReason<MessageId>[] = [];
    const against = (messageId: MessageId, data: Record<string, Scalar>) =>
      weigh(messageId, data, 1 - trust, 1);
    lead.push(...geometry.reasons, geometryReason);
    if (rotation.sameWindowEveryEpoch) {
      lead.push(
        against('same-window', {
          images: rotation.coversAll ? rotation.samples : rotation.steps * rotation.batchSize,
        }),
      );
    } else if (!aligned) {
      const data = {
        observed,
        target: rotation.passLength / 2,
        passLength: rotation.passLength,
        shift: rotation.shift,
        period: rotation.period,
      };
      lead.push(against(observed === 2 ? 'no-period' : 'no-period-k', data));
    }
    lead.push(
      because('max-difference', {
        batches: rotation.maxDifference.batches,
        images: rotation.maxDifference.images,
        percent: percent(bound),
        samples: rotation.samples,
      }),
    );
    if (!amplitudeFits && accuracy !== null && aligned) {
      lead.push(
        against('too-small-for-swing', {
          metric: accuracy.metric,
          boundPoints: round(100 * bound, 2),
          amplitudePoints: round(100 * accuracy.amplitude, 2),
        }),
      );
    } else if (!amplitudeFits && accuracy !== null) {
      lead.push(
        because('too-small-for-swing', {
          metric: accuracy.metric,
          boundPoints: round(100 * bound, 2),
          amplitudePoints: round(100 * accuracy.amplitude, 2),
        }),
      );
    }
    if (aligned && !phaseMatches) {
      const phase = weigh(
        evidence.phaseLocked ? 'phase-mismatch-locked' : 'phase-mismatch-flips',
        {
          observed,
          phaseEpochs: Number.isFinite(apparent.phaseEpochs) ? round(apparent.phaseEpochs) : null,
          epochs,
        },
        0.3,
        1,
      );
      return done([phase, ...lead, ...fromCounts]);
    }
    lead.unshift(
      because('ruled-out-for-numbers', {
        samples: rotation.samples,
        batchSize: rotation.batchSize,
        steps: rotation.steps,
      }),
    );
    const alternatives = alternativeReasons(
      rotation.samples,
      rotation.batchSize,
      rotation.steps,
      observed,
      epochs,
    );
    return done([...lead, ...alternatives, ...fromCounts]);
  },
});
