/**
 * Is an epoch-to-epoch accuracy change larger than the sampling noise of an accuracy measured on N examples?
 *
 * Assumption: the two evaluations are independent samples of N examples each (two-proportion z-test with the
 * pooled proportion under H0: p1 = p2). That is the null of "the model did not change; only which examples
 * were scored did" (validation_steps below the set size, a shuffling or augmenting validation generator, a
 * rotating subset). When the same fixed set is scored every epoch, its sampling error is shared by both
 * values and cancels in the difference, so Var(Δ) is smaller (correctness of an example is positively
 * correlated across nearby epochs) — the independent-samples z is then conservative, and a change that beats
 * it is beyond noise under either design. A paired (McNemar) test would need per-example predictions, which
 * a training log does not have.
 */
import { median } from 'simple-statistics';
import { normalPValue } from './distributions.js';

/**
 * Standard error sqrt(p(1 − p)/N) of an accuracy p (a fraction in [0, 1], not a percentage) measured on N
 * independent examples. NaN for invalid input.
 */
export function accuracyStandardError(accuracy: number, sampleSize: number): number {
  if (!(accuracy >= 0 && accuracy <= 1) || !(sampleSize > 0)) return Number.NaN;
  return Math.sqrt((accuracy * (1 - accuracy)) / sampleSize);
}

/** Result of {@link accuracyChangeTest}. */
export interface AccuracyChange {
  before: number;
  after: number;
  /** after − before. */
  difference: number;
  /** Pooled standard error of the difference under H0. */
  standardError: number;
  z: number;
  /** Two-sided p. */
  p: number;
}

/**
 * Two-proportion z-test of an accuracy change between two independent evaluations (see the module comment):
 * z = (after − before) / sqrt(p̄(1 − p̄)(1/N1 + 1/N2)), p̄ the pooled accuracy. Accuracies are fractions.
 *
 * @param sampleSize N1, examples behind `before`.
 * @param afterSampleSize N2, examples behind `after`; default N1.
 */
export function accuracyChangeTest(
  before: number,
  after: number,
  sampleSize: number,
  afterSampleSize: number = sampleSize,
): AccuracyChange {
  const difference = after - before;
  const valid =
    before >= 0 && before <= 1 && after >= 0 && after <= 1 && sampleSize > 0 && afterSampleSize > 0;
  if (!valid) return { before, after, difference, standardError: NaN, z: NaN, p: NaN };
  const pooled = (before * sampleSize + after * afterSampleSize) / (sampleSize + afterSampleSize);
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / sampleSize + 1 / afterSampleSize));
  // p̄ ∈ {0, 1} means both accuracies are equal and extreme: no change, nothing to test.
  const z = standardError > 0 ? difference / standardError : 0;
  return { before, after, difference, standardError, z, p: standardError > 0 ? normalPValue(z) : 1 };
}

/** Result of {@link binomialSwingTest}. */
export interface BinomialSwingResult {
  sampleSize: number;
  /** One entry per successive pair (length n − 1). */
  changes: AccuracyChange[];
  /** Median |z| over the changes: how many sampling SEs a typical epoch-to-epoch move is. */
  medianAbsZ: number;
  maxAbsZ: number;
  /** Changes with p < alpha. */
  significantChanges: number;
  alpha: number;
}

/**
 * Compares every epoch-to-epoch change of an accuracy series with the sampling noise of N examples
 * ({@link accuracyChangeTest} on each successive pair). A median |z| far above 2 says the swings are not
 * explained by which validation examples happened to be scored.
 *
 * @param accuracies accuracy per evaluation, as fractions in [0, 1].
 * @param sampleSize examples per evaluation (e.g. validation_steps × batch size, or the validation set size).
 * @param alpha level for `significantChanges`; default 0.001 (the alternation detector's default).
 */
export function binomialSwingTest(
  accuracies: readonly number[],
  sampleSize: number,
  alpha = 0.001,
): BinomialSwingResult {
  const changes: AccuracyChange[] = [];
  for (let t = 1; t < accuracies.length; t++) {
    changes.push(accuracyChangeTest(accuracies[t - 1] as number, accuracies[t] as number, sampleSize));
  }
  const absZ = changes.map((c) => Math.abs(c.z)).filter((z) => !Number.isNaN(z));
  return {
    sampleSize,
    changes,
    medianAbsZ: absZ.length > 0 ? median(absZ) : Number.NaN,
    maxAbsZ: absZ.length > 0 ? absZ.reduce((a, b) => Math.max(a, b), 0) : Number.NaN,
    significantChanges: changes.filter((c) => c.p < alpha).length,
    alpha,
  };
}
