/**
 * The primary period-2 test (statistics.md B2 "Alternation regression", B3 steps 2–5).
 *
 * Parity convention: index t = 0 is the first value passed in. For a Keras log validated every epoch from
 * epoch 1, index 0 = epoch 1, so `high: 'even-index'` means epochs 1, 3, 5, … are high. Callers that test a
 * window cut from a longer series pass `indexOffset` so parity still refers to the original index.
 */
import { robustScale, type IndexParity } from './descriptors.js';
import { studentTPValue } from './distributions.js';
import { cachedDesign, designKey } from './design-cache.js';
import { fitPrepared, prepareDesign, type PreparedDesign } from './least-squares.js';
import { parityColumn, trendColumns, type TrendBasisOptions, type TrendBasisSpec } from './trend-basis.js';

/** Below this many points the test reports `insufficient` (statistics.md B2 "Minimum lengths", B3 step 2). */
export const ALTERNATION_MIN_POINTS = 12;

/**
 * Below this many points a result is "warn only unless the effect is large" (statistics.md B2: 12–19 points;
 * 77 % power at n = 16 and 92 % at n = 20 for A = 1σ [sim]).
 */
export const ALTERNATION_FULL_CONFIDENCE_POINTS = 20;

/** Relative size below which a residual or coefficient is floating-point rounding, not signal. */
const ROUNDING = 1e-12;

/** Options for {@link testAlternation}. */
export interface AlternationOptions extends TrendBasisOptions {
  /**
   * Index of y[0] in the original series, so parity (and `high`) refers to the original index when testing a
   * trailing window; default 0. The trend basis still starts at y[0].
   */
  indexOffset?: number;
}

/** Why a test did not run. */
export type InsufficientReason = 'too-few-points' | 'non-finite-values';

/** A test that did not run; never carries a p-value. */
export interface InsufficientResult {
  status: 'insufficient';
  n: number;
  /** Points the test needs. */
  minimum: number;
  reason: InsufficientReason;
}

/** The parity contrast re-estimated on each half of the series (statistics.md B2 "replication check"). */
export interface HalvesCheck {
  /** Half the even − odd mean difference of the detrended first half (same sign convention as β). */
  first: number;
  second: number;
  /** Both halves have the sign of the full-series coefficient. */
  consistent: boolean;
}

/** A completed alternation test. */
export interface AlternationResult {
  status: 'tested';
  n: number;
  /** β of the (−1)^(t+offset) column: half the even − odd swing; > 0 means even indices are high. */
  coefficient: number;
  standardError: number;
  /** |β|: half the peak-to-peak swing in metric units (statistics.md B2 "Effect size"). */
  amplitude: number;
  t: number;
  df: number;
  /** Two-sided p from Student-t(n − p). */
  p: number;
  /** Which parity is high; null when β is exactly 0. */
  high: IndexParity | null;
  /** sqrt of the OLS residual variance. */
  residualSd: number;
  /** 1.4826 · MAD of the model residuals (σ̂_val of statistics.md B2). */
  robustResidualSd: number;
  /** amplitude / robustResidualSd (Â/σ̂; B2 suggests gating on ≥ 0.5). */
  amplitudeToNoise: number;
  basis: TrendBasisSpec;
  halves: HalvesCheck;
  /** n < 20: statistics.md B2 advises warn-only unless the effect is large. */
  smallSample: boolean;
}

/**
 * Tests for a period-2 swing: OLS of y on a smooth trend basis plus (−1)^t, t-test on the (−1)^t coefficient
 * (equivalently the 1-df Nyquist periodogram F-test; statistics.md B2, "Recommended primary test").
 *
 * False-alarm behaviour (statistics.md B2 [sim], α = 0.01): 0.1–1.2 % with iid noise, 0–0.4 % with AR(1)
 * φ = 0.6 (positive autocorrelation has little power at the Nyquist frequency, so no AR/HAC correction is
 * applied: it would only make the test less conservative), 0–0.1 % with a step drop, 0.1–0.7 % with t(3) noise.
 * The test is not robust to isolated spikes: drop non-finite epochs before calling, and confirm with
 * `testParityRanks`.
 *
 * Returns `insufficient` for fewer than 12 points or when any value is not finite (dropping a value would
 * shift the parity of every later point, so that choice is the caller's).
 */
export function testAlternation(
  y: readonly number[],
  options: AlternationOptions = {},
): AlternationResult | InsufficientResult {
  const n = y.length;
  if (n < ALTERNATION_MIN_POINTS) {
    return { status: 'insufficient', n, minimum: ALTERNATION_MIN_POINTS, reason: 'too-few-points' };
  }
  if (!y.every(Number.isFinite)) {
    return { status: 'insufficient', n, minimum: ALTERNATION_MIN_POINTS, reason: 'non-finite-values' };
  }
  const offset = options.indexOffset ?? 0;
  const sign = (t: number): number => ((t + offset) % 2 === 0 ? 1 : -1);
  const { design, spec } = alternationDesign(n, options, offset);
  const fit = fitPrepared(design, y);
  const last = fit.p - 1;
  let beta = fit.coefficients[last] as number;
  const se = fit.standardErrors[last] as number;
  // Residuals at rounding level (a constant or noiseless series) make t = β/se rounding noise over rounding
  // noise; decide those cases from β alone: a perfect swing is as significant as it gets, a flat series is not.
  const scale = y.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
  const exactFit = Math.sqrt(fit.residualSumOfSquares / n) <= ROUNDING * scale;
  let t: number;
  let p: number;
  if (!exactFit) {
    t = beta / se;
    p = studentTPValue(t, fit.df);
  } else if (Math.abs(beta) <= ROUNDING * scale) {
    beta = 0;
    t = 0;
    p = 1;
  } else {
    t = Math.sign(beta) * Number.POSITIVE_INFINITY;
    p = 0;
  }
  const robustResidualSd = robustScale(fit.residuals);
  const amplitude = Math.abs(beta);
  // The detrended series keeps the swing: residual + β·(−1)^t.
  const detrended = fit.residuals.map((r, i) => r + beta * sign(i));
  const half = Math.floor(n / 2);
  const first = parityContrast(detrended.slice(0, half), 0, sign);
  const second = parityContrast(detrended.slice(half), half, sign);
  return {
    status: 'tested',
    n,
    coefficient: beta,
    standardError: se,
    amplitude,
    t,
    df: fit.df,
    p,
    high: beta > 0 ? 'even-index' : beta < 0 ? 'odd-index' : null,
    residualSd: Math.sqrt(fit.residualVariance),
    robustResidualSd,
    amplitudeToNoise: robustResidualSd > 0 ? amplitude / robustResidualSd : amplitude > 0 ? Infinity : 0,
    basis: { ...spec },
    halves: {
      first,
      second,
      consistent: beta !== 0 && Math.sign(first) === Math.sign(beta) && Math.sign(second) === Math.sign(beta),
    },
    smallSample: n < ALTERNATION_FULL_CONFIDENCE_POINTS,
  };
}

/** The design of the alternation regression, [trend basis, (−1)^(t+offset)], decomposed once per shape. */
function alternationDesign(
  n: number,
  options: TrendBasisOptions,
  offset: number,
): { design: PreparedDesign; spec: TrendBasisSpec } {
  return cachedDesign('alternation', designKey(n, options, offset), () => {
    const { columns, spec } = trendColumns(n, options);
    columns.push(parityColumn(n, offset));
    return { design: prepareDesign(columns, n), spec };
  });
}

/** (mean of the + parity − mean of the − parity) / 2: the OLS β of values on [1, (−1)^t]. */
function parityContrast(values: readonly number[], start: number, sign: (t: number) => number): number {
  let plus = 0;
  let plusCount = 0;
  let minus = 0;
  let minusCount = 0;
  values.forEach((v, i) => {
    if (sign(start + i) > 0) {
      plus += v;
      plusCount++;
    } else {
      minus += v;
      minusCount++;
    }
  });
  if (plusCount === 0 || minusCount === 0) return 0;
  return (plus / plusCount - minus / minusCount) / 2;
}
