/**
 * M14, small-validation-set part (spec/causes.md §3 M14): accuracy on N samples has binomial noise
 * ≈ sqrt(p(1 − p) / N); epoch-to-epoch swings within about two standard errors are noise. For 416172
 * (N = 10401) the noise is 0.3–0.5 points, far below its 20-point swing.
 */
import { findRole } from '../../model/index.js';
import { because, defineCause, outcome } from '../define-cause.js';
import { gatherEvidence, numberStat, phaseChance, round, series } from '../evidence.js';
import { describePattern, PATTERN_MESSAGES } from '../patterns.js';

/** Findings that noise can produce or fake: swings, a best epoch picked among noisy ones, a flat metric. */
const NOISE_SENSITIVE_RULES = ['plateau', 'checkpoint-bias', 'val-stuck'];

/** Swings within this many standard errors are sampling noise; beyond FAR_ABOVE they are not. */
const WITHIN = 2;
const FAR_ABOVE = 5;

const messages = {
  ...PATTERN_MESSAGES,
  'noise-ratio':
    'the swing of {metric} ({swing}) is {ratio}× the binomial noise sqrt(p(1 − p)/N) = {standardError} for p = {p}, N = {samples}',
  'exceeds-noise': 'val-swing-exceeds-sampling-noise fired: the swings are {ratio}× the binomial SE',
  'phase-locked':
    'sampling noise is random; it does not hold one odd/even phase for {epochs} epochs (chance ≈ {chance})',
  'no-accuracy': 'no validation accuracy, or no validation size, to compare with binomial noise',
  'trend-only':
    'the findings ({rules}) are trends over many epochs; sampling noise makes epoch-to-epoch jitter, not trends',
  check:
    'compute sqrt(p(1 − p)/N) with your validation size N and accuracy p: swings within about 2 of these standard errors are noise',
  fix: 'use a larger validation set, or compare epochs with a tolerance of about 2 standard errors',
} as const;

type MessageId = keyof typeof messages;

function medianAbsChange(values: number[]): number | null {
  const changes: number[] = [];
  for (let i = 1; i < values.length; i++) changes.push(Math.abs((values[i] ?? 0) - (values[i - 1] ?? 0)));
  if (changes.length === 0) return null;
  changes.sort((a, b) => a - b);
  const mid = Math.floor(changes.length / 2);
  return changes.length % 2 === 1 ? (changes[mid] ?? 0) : ((changes[mid - 1] ?? 0) + (changes[mid] ?? 0)) / 2;
}

export default defineCause({
  id: 'sampling-noise',
  title: 'Sampling noise of a small validation set',
  predicts: 'small, irregular swings within about two binomial standard errors of the validation accuracy',
  messages,
  assess(findings, run, context) {
    const evidence = gatherEvidence(findings, run);
    const done = outcome<MessageId>(describePattern(evidence), because('check'), because('fix'));
    const swingFinding = findings.find(
      (f) =>
        f.run === run.index &&
        f.rule === 'val-swing-exceeds-sampling-noise' &&
        (f.severity === 'error' || f.severity === 'warning'),
    );
    const sensitive =
      evidence.period !== null ||
      swingFinding !== undefined ||
      NOISE_SENSITIVE_RULES.some((rule) => evidence.rules.has(rule));
    if (!sensitive)
      return done('unlikely', [because('trend-only', { rules: [...evidence.rules].sort().join(', ') })]);
    const names = new Set(run.epochs.flatMap((e) => Object.keys(e.metrics)));
    const metric = evidence.accuracy?.metric ?? findRole(names, 'val_accuracy');
    const samples =
      context.valSamples?.value ??
      (swingFinding ? numberStat(swingFinding.stats, 'valSamples') : null) ??
      null;
    if (metric !== null && samples !== null) {
      const values = series(run, metric).map((v) => v.value);
      const p = values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null;
      const swing = evidence.accuracy?.amplitude ?? medianAbsChange(values);
      if (p !== null && p > 0 && p < 1 && swing !== null) {
        const standardError = Math.sqrt((p * (1 - p)) / samples);
        const ratio = swing / standardError;
        const reason = because('noise-ratio', {
          metric,
          swing: round(swing),
          ratio: round(ratio),
          standardError: round(standardError),
          p: round(p),
          samples,
        });
        if (ratio >= FAR_ABOVE) return done('ruled-out', [reason]);
        if (ratio <= WITHIN)
          return done(evidence.phaseLocked && evidence.period !== null ? 'unlikely' : 'likely', [reason]);
        return done('possible', [reason]);
      }
    }
    if (swingFinding) {
      const ratio = numberStat(swingFinding.stats, 'ratio');
      return done(ratio !== null && ratio >= FAR_ABOVE ? 'ruled-out' : 'unlikely', [
        because('exceeds-noise', { ratio: ratio === null ? null : round(ratio) }),
      ]);
    }
    if (evidence.period !== null && evidence.phaseLocked) {
      const epochs = evidence.primary?.longestPhaseRun ?? evidence.epochsObserved;
      return done('unlikely', [because('phase-locked', { epochs, chance: phaseChance(epochs) })]);
    }
    return done('possible', [because('no-accuracy')]);
  },
});
