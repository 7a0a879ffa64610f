/**
 * Robust monotone-trend helpers for detectors such as "validation loss rising for a sustained stretch while
 * training loss keeps falling": Theil–Sen slope and the Mann–Kendall trend test.
 *
 * Both assume independent noise. Positive autocorrelation (slow drift) makes Mann–Kendall anti-conservative
 * (Hamed & Rao 1998), so use its p-value as a screen together with an effect size (the Theil–Sen slope times
 * the window length), not as the only gate.
 */
import { median, quickselect } from 'simple-statistics';
import { normalPValue, normalQuantile } from './distributions.js';

/** Mann–Kendall uses the exact null distribution up to this many points when there are no ties. */
export const MANN_KENDALL_EXACT_LIMIT = 50;

/** Result of {@link mannKendall}. */
export interface MannKendallResult {
  n: number;
  /** S = Σ_{i<j} sign(y_j − y_i): > 0 rising, < 0 falling. */
  s: number;
  /** Tie-corrected Var(S) = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)]/18. */
  variance: number;
  /** Continuity-corrected (S − sign S)/sqrt(Var S). */
  z: number;
  /** Two-sided p. */
  p: number;
  /** Kendall's tau-b between y and time. */
  tau: number;
  method: 'exact' | 'normal';
}

function tieGroupSizes(values: readonly number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const sizes: number[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[i]) j++;
    if (j > i) sizes.push(j - i + 1);
    i = j + 1;
  }
  return sizes;
}

function mannKendallS(y: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    for (let j = i + 1; j < y.length; j++) s += Math.sign((y[j] as number) - (y[i] as number));
  }
  return s;
}

/**
 * Mann–Kendall test for a monotone trend in y against its index (Mann 1945; Kendall 1975). Exact null
 * distribution (Mahonian numbers: S = N − 2·inversions) without ties and n ≤ 50; otherwise the normal
 * approximation with tie-corrected variance and a continuity correction. Fewer than 3 points give p = 1.
 */
export function mannKendall(y: readonly number[]): MannKendallResult {
  const n = y.length;
  const pairs = (n * (n - 1)) / 2;
  const s = mannKendallS(y);
  const ties = tieGroupSizes(y);
  const variance =
    (n * (n - 1) * (2 * n + 5) - ties.reduce((sum, t) => sum + t * (t - 1) * (2 * t + 5), 0)) / 18;
  const z = variance > 0 ? (s - Math.sign(s)) / Math.sqrt(variance) : 0;
  const tiedPairs = ties.reduce((sum, t) => sum + (t * (t - 1)) / 2, 0);
  const tau = pairs > 0 && pairs > tiedPairs ? s / Math.sqrt(pairs * (pairs - tiedPairs)) : Number.NaN;
  if (n < 3) return { n, s, variance, z: 0, p: 1, tau, method: 'exact' };
  if (ties.length === 0 && n <= MANN_KENDALL_EXACT_LIMIT) {
    const distribution = inversionDistribution(n);
    const maxInversions = Math.floor((pairs - Math.abs(s)) / 2);
    let tail = 0;
    for (let k = 0; k <= maxInversions; k++) tail += distribution[k] as number;
    return { n, s, variance, z, p: Math.min(1, 2 * tail), tau, method: 'exact' };
  }
  return { n, s, variance, z, p: variance > 0 ? normalPValue(z) : 1, tau, method: 'normal' };
}

/** Probabilities of k = 0..n(n−1)/2 inversions in a uniform random permutation of n items. */
function inversionDistribution(n: number): Float64Array {
  let current = Float64Array.of(1);
  for (let m = 2; m <= n; m++) {
    // Inserting item m adds 0..m−1 inversions with equal probability.
    const next = new Float64Array(current.length + m - 1);
    let window = 0;
    for (let k = 0; k < next.length; k++) {
      if (k < current.length) window += current[k] as number;
      if (k - m >= 0) window -= current[k - m] as number;
      next[k] = window / m;
    }
    current = next;
  }
  return current;
}

/** Result of {@link theilSen}. */
export interface TheilSenResult {
  n: number;
  /** Median of the pairwise slopes (y_j − y_i)/(x_j − x_i). */
  slope: number;
  /** median(y) − slope · median(x) (Conover 1980; SciPy `theilslopes` default). */
  intercept: number;
  /** Confidence bounds for the slope (Sen 1968); ±Infinity when there are too few pairs for the level. */
  lower: number;
  upper: number;
  confidence: number;
}

/**
 * Theil–Sen slope with Sen's (1968, eq. 2.6) distribution-free confidence interval: the order statistics of
 * rank round((N − C)/2) and round((N + C)/2) + 1 among the N pairwise slopes, C = z_{1−α/2}·sqrt(Var S) with
 * Var S tie-corrected for x and y (as SciPy `theilslopes`). Robust to up to ~29 % outliers.
 *
 * @param y values.
 * @param x abscissae (default 0..n−1); pairs with equal x are skipped.
 * @param confidence two-sided level of the interval; default 0.95.
 */
export function theilSen(y: readonly number[], x?: readonly number[], confidence = 0.95): TheilSenResult {
  const n = y.length;
  const xs = x ?? Array.from({ length: n }, (_, i) => i);
  if (xs.length !== n) throw new RangeError(`x has ${xs.length} values but y has ${n}`);
  const slopes: number[] = [];
  // a −0 among +0 slopes, or a NaN, would make the order of equal-comparing slopes matter (see below)
  let plain = true;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = (xs[j] as number) - (xs[i] as number);
      if (dx === 0) continue;
      const slope = ((y[j] as number) - (y[i] as number)) / dx;
      if (Number.isNaN(slope) || Object.is(slope, -0)) plain = false;
      slopes.push(slope);
    }
  }
  if (slopes.length === 0) {
    return { n, slope: NaN, intercept: NaN, lower: NaN, upper: NaN, confidence };
  }
  const count = slopes.length;
  const lowerRank = (c: number): number => Math.round((count - c) / 2);
  const upperRank = (c: number): number => Math.round((count + c) / 2) + 1;
  const tieTerm = (values: readonly number[]): number =>
    tieGroupSizes(values).reduce((sum, t) => sum + t * (t - 1) * (2 * t + 5), 0);
  const varianceS = (n * (n - 1) * (2 * n + 5) - tieTerm(xs) - tieTerm(y)) / 18;
  const c = normalQuantile(1 - (1 - confidence) / 2) * Math.sqrt(Math.max(varianceS, 0));
  // Only a few order statistics are read (the middle one or two, the two bounds): selected in O(N) instead
  // of sorting all N = n(n−1)/2 slopes. The value of a rank is the same either way unless equal-comparing
  // slopes differ in bits (−0 and +0, NaN): then they are sorted, as they always were.
  const low = Math.floor((count - 1) / 2);
  const high = Math.ceil((count - 1) / 2);
  const wanted = [low, high, lowerRank(c) - 1, upperRank(c) - 1].filter((k) => k >= 0 && k < count);
  if (plain) {
    let left = 0;
    for (const k of [...new Set(wanted)].sort((a, b) => a - b)) {
      // items [left, k] are the smallest of [left, count): the k-th smallest lands at k
      quickselect(slopes, k, left, count - 1);
      left = k + 1;
    }
  } else {
    slopes.sort((a, b) => a - b);
  }
  // median() of the middle pair (or one) is median() of all the slopes: the same interpolation between them
  const middle = low === high ? [slopes[low] as number] : [slopes[low] as number, slopes[high] as number];
  const slope = median(plain ? middle : slopes);
  const intercept = median([...y]) - slope * median([...xs]);
  const lower = lowerRank(c);
  const upper = upperRank(c);
  return {
    n,
    slope,
    intercept,
    lower: lower >= 1 ? (slopes[lower - 1] as number) : Number.NEGATIVE_INFINITY,
    upper: upper <= count ? (slopes[upper - 1] as number) : Number.POSITIVE_INFINITY,
    confidence,
  };
}
