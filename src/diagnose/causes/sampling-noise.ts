/**
 * M14, small-validation-set part (spec/causes.md §3 M14): accuracy on N samples has binomial noise
 * ≈ sqrt(p(1 − p) / N). The detectors are built so that honest noise trips them rarely: an instability beyond
 * √2 binomial standard errors, a median swing of 4 standard errors and an alternation at p < 0.001 each
 * happen under sampling noise alone in about one run in a thousand, which is the likelihood weighed here.
 */
import { findRole } from '../../model/index.js';
import { assessment, because, defineCause, weigh, type TypedReason } from '../define-cause.js';
import { round, series } from '../evidence.js';
import { tallyPrior } from '../priors.js';

/** What honest noise trips a detector at (its family-wise level): one run in a thousand. */
const NOISE_TRIPS = 0.001;

const messages = {
  'noise-ratio':
    'the typical swing of {metric} ({swing}) is {ratio}× the binomial noise sqrt(p(1 − p)/N) = {standardError} for p = {p}, N = {samples}',
  'instability-beyond': 'val-instability found jumps beyond √2 binomial standard errors on {samples} samples',
  'swing-beyond':
    'val-swing-exceeds-sampling-noise: the typical change is {ratio}× the binomial noise of a change',
  periodic:
    'sampling noise is random; a period held over {epochs} epochs is what the alternation and period tests reject at p < 0.001',
  check:
    'compute sqrt(p(1 − p)/N) with your validation size N and accuracy p: swings within about 2 of these standard errors are noise',
  fix: 'use a larger validation set, or compare epochs with a tolerance of about 2 standard errors',
} as const;

type MessageId = keyof typeof messages;

export default defineCause({
  id: 'sampling-noise',
  title: 'Sampling noise of a small validation set',
  predicts: 'small, irregular swings within about two binomial standard errors of the validation accuracy',
  side: 'measurement',
  explains: ['irregular', 'stuck', 'periodic'],
  prior: tallyPrior('sampling-noise'),
  // noise looks like mild irregular swings; a tiny set can repeat one value for a few epochs
  likelihoods: { pattern: { 'val-irregular': 0.6, 'stuck-constant': 0.02, gap: 0.05 } },
  messages,
  assess(evidence, run, context) {
    const done = (reasons: TypedReason<MessageId>[]) =>
      assessment<MessageId>(reasons, because('check'), because('fix'));
    const reasons: TypedReason<MessageId>[] = [];
    const sampled = evidence.instability.find((i) => i.basis === 'sampling');
    if (sampled !== undefined) {
      reasons.push(weigh('instability-beyond', { samples: sampled.samples }, NOISE_TRIPS, 0.5));
    } else if (evidence.swing !== null) {
      reasons.push(weigh('swing-beyond', { ratio: evidence.swing.ratio }, NOISE_TRIPS, 0.5));
    }
    if (
      evidence.period !== null &&
      (evidence.primary?.severity === 'error' || evidence.periodic.length > 0)
    ) {
      reasons.push(weigh('periodic', { epochs: evidence.epochsObserved }, NOISE_TRIPS, 1));
    }
    const names = new Set(run.epochs.flatMap((e) => Object.keys(e.metrics)));
    const metric = evidence.accuracy?.metric ?? findRole(names, 'val_accuracy');
    const samples = sampled?.samples ?? evidence.swing?.samples ?? context.valSamples?.value ?? null;
    if (metric !== null && samples !== null) {
      const values = series(run, metric).map((v) => v.value);
      const p = values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null;
      const changes = values.slice(1).map((v, i) => Math.abs(v - (values[i] ?? v)));
      changes.sort((a, b) => a - b);
      const swing = evidence.accuracy?.amplitude ?? changes[Math.floor(changes.length / 2)] ?? null;
      if (p !== null && p > 0 && p < 1 && swing !== null) {
        const standardError = Math.sqrt((p * (1 - p)) / samples);
        reasons.push(
          because('noise-ratio', {
            metric,
            swing: round(swing),
            ratio: round(swing / standardError),
            standardError: round(standardError),
            p: round(p),
            samples,
          }),
        );
      }
    }
    return done(reasons);
  },
});
