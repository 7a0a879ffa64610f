/**
 * Mann–Whitney U and the distribution-free confirmation of a period-2 swing (statistics.md B2, "Even vs odd
 * Mann–Whitney on robust-LOWESS residuals"; B3 step 4).
 */
import { median, wilcoxonRankSum } from 'simple-statistics';
import type { InsufficientResult } from './alternation.js';
import type { IndexParity } from './descriptors.js';
import { normalPValue } from './distributions.js';
import { LOWESS_DEFAULTS, lowess } from './lowess.js';

/**
 * Largest group size for the exact null distribution, as in R `wilcox.test` (exact when both samples have
 * fewer than 50 values and there are no ties).
 */
export const MANN_WHITNEY_EXACT_LIMIT = 50;

/** Result of {@link mannWhitney}. */
export interface MannWhitneyResult {
  /** U for the first sample: pairs (x, y) with x > y, ties counting ½. */
  u: number;
  n1: number;
  n2: number;
  /** U / (n1·n2): the probability that a random x exceeds a random y (ties ½). */
  probabilityFirstHigher: number;
  /** Two-sided p. */
  p: number;
  method: 'exact' | 'normal';
  /** Continuity-corrected z of the normal approximation (also given for exact results). */
  z: number;
}

/**
 * Two-sided Mann–Whitney U test of x against y.
 *
 * Exact null distribution when there are no ties and both samples have fewer than 50 values; otherwise the
 * normal approximation with tie-corrected variance n1·n2/12·((N+1) − Σ(t³−t)/(N(N−1))) and a 0.5 continuity
 * correction (the defaults of R `wilcox.test` and SciPy `mannwhitneyu`). The rank sum comes from
 * simple-statistics `wilcoxonRankSum` (statistics.md B4). Both samples must be non-empty.
 */
export function mannWhitney(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('mannWhitney needs two non-empty samples');
  const u = wilcoxonRankSum(x, y) - (n1 * (n1 + 1)) / 2;
  const total = n1 + n2;
  const sorted = [...x, ...y].sort((a, b) => a - b);
  let tieTerm = 0;
  for (let i = 0; i < total;) {
    let j = i;
    while (j + 1 < total && sorted[j + 1] === sorted[i]) j++;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (total + 1 - tieTerm / (total * (total - 1)));
  const deviation = Math.max(Math.abs(u - mean) - 0.5, 0);
  const z = variance > 0 ? (Math.sign(u - mean) * deviation) / Math.sqrt(variance) : 0;
  const probabilityFirstHigher = u / (n1 * n2);
  if (tieTerm === 0 && n1 < MANN_WHITNEY_EXACT_LIMIT && n2 < MANN_WHITNEY_EXACT_LIMIT) {
    const distribution = exactUDistribution(n1, n2);
    let lower = 0;
    for (let k = 0; k <= u; k++) lower += distribution[k] as number;
    let upper = 0;
    for (let k = Math.ceil(u); k < distribution.length; k++) upper += distribution[k] as number;
    return {
      u,
      n1,
      n2,
      probabilityFirstHigher,
      p: Math.min(1, 2 * Math.min(lower, upper)),
      method: 'exact',
      z,
    };
  }
  const p = variance > 0 ? normalPValue(z) : 1;
  return { u, n1, n2, probabilityFirstHigher, p, method: 'normal', z };
}

/**
 * Null distribution of U for sizes (m, n), as probabilities over u = 0..m·n, by the recursion
 * P_{m,n}(u) = m/(m+n)·P_{m−1,n}(u−n) + n/(m+n)·P_{m,n−1}(u) (Mann & Whitney 1947). Working in probabilities
 * rather than counts keeps every term positive and below 1, so nothing overflows or cancels.
 */
function exactUDistribution(m: number, n: number): Float64Array {
  const key = m * MANN_WHITNEY_EXACT_LIMIT + n;
  const known = exactDistributions.get(key);
  if (known !== undefined) return known;
  const distribution = computeUDistribution(m, n);
  // the detectors test the same few sizes over and over (the halves and phases of each run and metric)
  if (exactDistributions.size >= MAX_KEPT_DISTRIBUTIONS) exactDistributions.clear();
  exactDistributions.set(key, distribution);
  return distribution;
}

/** Sizes whose U distribution is kept (each at most 50 × 50 + 1 doubles, 20 KB). */
const MAX_KEPT_DISTRIBUTIONS = 64;
const exactDistributions = new Map<number, Float64Array>();

function computeUDistribution(m: number, n: number): Float64Array {
  // previous[j] = P_{i−1, j}; current[j] = P_{i, j}.
  let previous: Float64Array[] = Array.from({ length: n + 1 }, () => Float64Array.of(1));
  for (let i = 1; i <= m; i++) {
    const current: Float64Array[] = [Float64Array.of(1)];
    for (let j = 1; j <= n; j++) {
      const out = new Float64Array(i * j + 1);
      const fromLeft = previous[j] as Float64Array; // P_{i−1, j}, shifted by j
      const fromBelow = current[j - 1] as Float64Array; // P_{i, j−1}
      const a = i / (i + j);
      const b = j / (i + j);
      for (let u = 0; u < fromLeft.length; u++)
        out[u + j] = (out[u + j] as number) + a * (fromLeft[u] as number);
      for (let u = 0; u < fromBelow.length; u++) out[u] = (out[u] as number) + b * (fromBelow[u] as number);
      current.push(out);
    }
    previous = current;
  }
  return previous[n] as Float64Array;
}

/** Below this many points the rank check is not run (statistics.md B2/B3: valid for n ≥ 16–20). */
export const PARITY_RANKS_MIN_POINTS = 16;

/** Options for {@link testParityRanks}. */
export interface ParityRanksOptions {
  /** LOWESS span; default 0.4 (statistics.md B3: 0.3–0.5). */
  frac?: number;
  /** LOWESS robustness iterations; default 2. */
  iterations?: number;
  /** Parity of the first value; default 0. */
  indexOffset?: number;
}

/** Result of {@link testParityRanks}. */
export interface ParityRanksResult {
  status: 'tested';
  n: number;
  /** Mann–Whitney of even-index residuals against odd-index residuals. */
  test: MannWhitneyResult;
  /** Two-sided p of the rank test. */
  p: number;
  /** Which parity ranks higher; null when U is exactly n1·n2/2. */
  high: IndexParity | null;
  /** median(even residuals) − median(odd residuals), in metric units. */
  medianDifference: number;
  lowess: { frac: number; iterations: number };
}

/**
 * Confirmation test for a period-2 swing: detrend with robust LOWESS, then Mann–Whitney on even- against
 * odd-index residuals. Distribution-free and immune to smooth misfit (statistics.md B2: ≤ 0.6 % false alarms
 * at α = 0.01 for n ≥ 20 under iid, AR(1), step and t(3) nulls; 85 % power at n = 20 for A = 1σ).
 * Returns `insufficient` below 16 points (B2: at n ≈ 10 the 4-point local fits follow the data) or when any
 * value is not finite.
 */
export function testParityRanks(
  y: readonly number[],
  options: ParityRanksOptions = {},
): ParityRanksResult | InsufficientResult {
  const n = y.length;
  if (n < PARITY_RANKS_MIN_POINTS) {
    return { status: 'insufficient', n, minimum: PARITY_RANKS_MIN_POINTS, reason: 'too-few-points' };
  }
  if (!y.every(Number.isFinite)) {
    return { status: 'insufficient', n, minimum: PARITY_RANKS_MIN_POINTS, reason: 'non-finite-values' };
  }
  const frac = options.frac ?? LOWESS_DEFAULTS.frac;
  const iterations = options.iterations ?? LOWESS_DEFAULTS.iterations;
  const offset = options.indexOffset ?? 0;
  const smooth = lowess(y, { frac, iterations });
  const even: number[] = [];
  const odd: number[] = [];
  y.forEach((v, t) => ((t + offset) % 2 === 0 ? even : odd).push(v - (smooth[t] as number)));
  const test = mannWhitney(even, odd);
  const centre = (test.n1 * test.n2) / 2;
  return {
    status: 'tested',
    n,
    test,
    p: test.p,
    high: test.u > centre ? 'even-index' : test.u < centre ? 'odd-index' : null,
    medianDifference: median(even) - median(odd),
    lowess: { frac, iterations },
  };
}
