/**
 * Harmonic regression tests for swings with period P ≥ 3 (statistics.md B2 "Periodogram / Fisher's g …;
 * harmonic F-tests for P = 3..6" and B3 step 8).
 *
 * For each period: OLS of y on [trend basis, (−1)^t, cos(2πt/P), sin(2πt/P)] and a 2-df partial F-test of the
 * harmonic pair. The (−1)^t column is kept in every model so that a period-2 swing (the primary, pre-declared
 * target) neither inflates the residual variance nor leaks into P = 3..6.
 *
 * Safeguards, each from statistics.md:
 * - n ≥ 24 and at least 3 full cycles (B2 "Minimum lengths"); periods the trend basis can follow (more than
 *   half of the harmonic's variance explained by the basis) are skipped as confounded with the trend.
 * - Bonferroni over the periods actually tested (B2 "Multiple testing"): scanning P = 2..6 uncorrected gave
 *   4.0 % / 7.9 % false alarms at α = 0.01 [sim].
 * - Positive autocorrelation inflates long-period peaks (B2); the MIDAS manual scales the statistic by the
 *   correlation length. Here that is done per frequency: the noise is modelled as AR(1), φ is estimated by
 *   matching the lag-1 autocorrelation the residuals would have after the same projection (so the trend fit's
 *   downward bias on φ̂ is accounted for), and F is divided by E[numerator]/E[denominator] under that AR(1)
 *   when the ratio exceeds 1. The correction only ever makes the test more conservative.
 * - Phase consistency across the two halves (B3 step 8), the 2-D analogue of "β has the same sign in each
 *   half": by default the half-series phases must differ by at most π/2.
 */
import type { InsufficientReason } from './alternation.js';
import { cachedDesign, designKey } from './design-cache.js';
import { fPValue } from './distributions.js';
import { decomposeQr } from './least-squares.js';
import { bonferroni } from './multiple-testing.js';
import { parityColumn, trendColumns, type TrendBasisOptions, type TrendBasisSpec } from './trend-basis.js';

/** Minimum series length for periods ≥ 3 (statistics.md B2 "Minimum lengths"). */
export const PERIODIC_MIN_POINTS = 24;

/** Minimum full cycles of a period within the series (statistics.md B2/B3 step 8). */
export const PERIODIC_MIN_CYCLES = 3;

/** Options for {@link testPeriodic}. */
export interface PeriodicOptions extends TrendBasisOptions {
  /** Candidate periods in points (each ≥ 3); duplicates are ignored. */
  periods: readonly number[];
  /** Index of y[0] in the original series (phases refer to it); default 0. */
  indexOffset?: number;
  /** Apply the AR(1) variance correction; default true. */
  arCorrection?: boolean;
  /** Largest phase difference (radians) between the two halves still called consistent; default π/2. */
  maxPhaseDifference?: number;
  /** Skip a period when the trend basis explains more than this share of its harmonic; default 0.5. */
  maxTrendAbsorption?: number;
}

/** A period that was not tested, and why. */
export interface SkippedPeriod {
  period: number;
  reason: 'invalid-period' | 'fewer-than-3-cycles' | 'absorbed-by-trend';
}

/** Phase and amplitude of the harmonic fitted separately on each half of the detrended series. */
export interface PhaseHalves {
  firstAmplitude: number;
  secondAmplitude: number;
  firstPhase: number;
  secondPhase: number;
  /** |first − second| wrapped to [0, π]. */
  phaseDifference: number;
  consistent: boolean;
}

/** The test of one period. */
export interface PeriodResult {
  period: number;
  /** n / period. */
  cycles: number;
  /** Half the peak-to-peak swing of the fitted sinusoid, in metric units. */
  amplitude: number;
  /** θ in amplitude·cos(2π(t + indexOffset)/P − θ), radians in (−π, π]. */
  phase: number;
  /** First index (in the original indexing, 0 ≤ value < P) where the fitted sinusoid peaks. */
  peakIndex: number;
  /** F statistic after the AR(1) correction. */
  f: number;
  df1: 2;
  df2: number;
  /** Factor F was divided by (≥ 1; 1 when no correction applied). */
  varianceInflation: number;
  /** Share of the harmonic's variance the trend basis explains (0 = orthogonal). */
  trendAbsorption: number;
  /** Unadjusted p. */
  p: number;
  /** Bonferroni-adjusted over the periods tested. */
  pAdjusted: number;
  halves: PhaseHalves;
}

/** A completed periodic scan. */
export interface PeriodicScanResult {
  status: 'tested';
  n: number;
  basis: TrendBasisSpec;
  /** AR(1) coefficient used by the correction (0 when disabled or not positive). */
  ar1: number;
  /** Number of periods tested (the Bonferroni family size). */
  periodsTested: number;
  results: PeriodResult[];
  skipped: SkippedPeriod[];
  /** The tested period with the smallest adjusted p, or null when none was tested. */
  best: PeriodResult | null;
}

/** A scan that did not run. */
export interface PeriodicInsufficientResult {
  status: 'insufficient';
  n: number;
  minimum: number;
  reason: InsufficientReason;
}

/** Largest AR(1) coefficient the correction will use. */
const MAX_AR1 = 0.99;

/** Expected lag-1 ratios kept per null design (each cost O(n·p) to compute). */
const MAX_KEPT_RATIOS = 4096;

/**
 * Scans the given periods (each ≥ 3) for a sinusoidal swing on top of a smooth trend and a period-2 term.
 * See the module comment for the safeguards. Returns `insufficient` below 24 points or with non-finite values.
 */
export function testPeriodic(
  y: readonly number[],
  options: PeriodicOptions,
): PeriodicScanResult | PeriodicInsufficientResult {
  const n = y.length;
  if (n < PERIODIC_MIN_POINTS) {
    return { status: 'insufficient', n, minimum: PERIODIC_MIN_POINTS, reason: 'too-few-points' };
  }
  if (!y.every(Number.isFinite)) {
    return { status: 'insufficient', n, minimum: PERIODIC_MIN_POINTS, reason: 'non-finite-values' };
  }
  const offset = options.indexOffset ?? 0;
  const maxPhaseDifference = options.maxPhaseDifference ?? Math.PI / 2;
  const maxAbsorption = options.maxTrendAbsorption ?? 0.5;
  const design = nullDesign(n, options, offset);
  const { spec, q } = design;
  const p0 = q.length;
  const r0 = project(q, Float64Array.from(y));
  const rss0 = dot(r0, r0);
  const ar1 = options.arCorrection === false ? 0 : estimateAr1(design, r0);
  const traceQSigmaQ = ar1 > 0 ? q.reduce((s, qk) => s + dot(qk, applyAr1Correlation(qk, ar1)), 0) : p0;

  const skipped: SkippedPeriod[] = [];
  const candidates: Omit<PeriodResult, 'pAdjusted'>[] = [];
  const unique = [...new Set(options.periods)];
  const isValid = (period: number): boolean => Number.isFinite(period) && period >= 3;
  for (const period of unique.filter((period) => !isValid(period))) {
    skipped.push({ period, reason: 'invalid-period' });
  }
  for (const period of unique.filter(isValid).sort((a, b) => a - b)) {
    if (n / period < PERIODIC_MIN_CYCLES) {
      skipped.push({ period, reason: 'fewer-than-3-cycles' });
      continue;
    }
    const { omega, cos, sin, cosResidual, sinResidual, g11, g12, g22, trendAbsorption, det } = harmonicOf(
      design,
      period,
    );
    if (trendAbsorption > maxAbsorption || !(det > 1e-12 * (g11 + g22) ** 2)) {
      skipped.push({ period, reason: 'absorbed-by-trend' });
      continue;
    }
    // Frisch–Waugh: the harmonic coefficients are those of r0 on the detrended harmonics.
    const h1 = dot(cosResidual, r0);
    const h2 = dot(sinResidual, r0);
    const a = (g22 * h1 - g12 * h2) / det;
    const b = (g11 * h2 - g12 * h1) / det;
    const explained = a * h1 + b * h2;
    const rss1 = Math.max(rss0 - explained, 0);
    const df2 = n - p0 - 2;
    let f = rss1 > 0 ? explained / 2 / (rss1 / df2) : explained > 0 ? Number.POSITIVE_INFINITY : 0;
    let varianceInflation = 1;
    if (ar1 > 0) {
      const sigmaCos = applyAr1Correlation(cosResidual, ar1);
      const sigmaSin = applyAr1Correlation(sinResidual, ar1);
      const k11 = dot(cosResidual, sigmaCos);
      const k12 = dot(cosResidual, sigmaSin);
      const k22 = dot(sinResidual, sigmaSin);
      // tr(G⁻¹K): the expected explained sum of squares under AR(1) noise, in units of σ².
      const traceHarmonic = (g22 * k11 - 2 * g12 * k12 + g11 * k22) / det;
      const expectedNumerator = traceHarmonic / 2;
      const expectedDenominator = (n - traceQSigmaQ - traceHarmonic) / df2;
      if (expectedDenominator > 0) varianceInflation = Math.max(1, expectedNumerator / expectedDenominator);
      f /= varianceInflation;
    }
    const phase = Math.atan2(b, a);
    const detrended = Float64Array.from(
      r0,
      (r, t) =>
        r -
        a * (cosResidual[t] as number) -
        b * (sinResidual[t] as number) +
        a * (cos[t] as number) +
        b * (sin[t] as number),
    );
    candidates.push({
      period,
      cycles: n / period,
      amplitude: Math.hypot(a, b),
      phase,
      peakIndex: (((phase / omega) % period) + period) % period,
      f,
      df1: 2,
      df2,
      varianceInflation,
      trendAbsorption,
      p: fPValue(f, 2, df2),
      halves: phaseHalves(detrended, cos, sin, maxPhaseDifference),
    });
  }
  const adjusted = bonferroni(candidates.map((c) => c.p));
  const results: PeriodResult[] = candidates.map((c, i) => ({ ...c, pAdjusted: adjusted[i] as number }));
  let best: PeriodResult | null = null;
  for (const result of results) if (best === null || result.pAdjusted < best.pAdjusted) best = result;
  return {
    status: 'tested',
    n,
    basis: { ...spec },
    ar1,
    periodsTested: results.length,
    results,
    skipped,
    best,
  };
}

/**
 * The null model of a shape (length, basis options, offset): [trend basis, (−1)^t] with orthonormal Q, and
 * what the scan derives from Q alone, computed on first use: the AR(1) moments per φ and the projected
 * harmonics per period.
 */
interface NullDesign {
  n: number;
  offset: number;
  spec: TrendBasisSpec;
  q: Float64Array[];
  /**
   * Column k of Q is +0 from row ends[k] on (the column of a banded trend design is zero past its last knot
   * spans): the sums of {@link lagMoments} and {@link ar1Ratio} leave those rows out, which changes no bit (a
   * ±0 product added to a sum leaves it as it is).
   */
  ends: Int32Array;
  /** Buffers of {@link ar1Ratio} (n each; null until first needed). */
  scratch?: Float64Array[];
  /** z_l of {@link estimateAr1} (null until first needed). */
  z: Float64Array[] | null;
  /** expectedRatio(φ) of {@link estimateAr1} by φ. */
  ratios: Map<number, number>;
  harmonics: Map<number, Harmonic>;
}

/** The harmonic pair of a period, its part orthogonal to the null model and their Gram matrix. */
interface Harmonic {
  omega: number;
  cos: Float64Array;
  sin: Float64Array;
  cosResidual: Float64Array;
  sinResidual: Float64Array;
  g11: number;
  g12: number;
  g22: number;
  trendAbsorption: number;
  det: number;
}

function nullDesign(n: number, options: TrendBasisOptions, offset: number): NullDesign {
  return cachedDesign('periodic', designKey(n, options, offset), () => {
    const { columns, spec } = trendColumns(n, options);
    columns.push(parityColumn(n, offset));
    const { q } = decomposeQr(columns.map(normalized));
    return { n, offset, spec, q, ends: zeroTails(q), z: null, ratios: new Map(), harmonics: new Map() };
  });
}

function harmonicOf(design: NullDesign, period: number): Harmonic {
  const known = design.harmonics.get(period);
  if (known !== undefined) return known;
  const { n, offset, q } = design;
  const omega = (2 * Math.PI) / period;
  const cos = Float64Array.from({ length: n }, (_, t) => Math.cos(omega * (t + offset)));
  const sin = Float64Array.from({ length: n }, (_, t) => Math.sin(omega * (t + offset)));
  const cosResidual = project(q, cos);
  const sinResidual = project(q, sin);
  const g11 = dot(cosResidual, cosResidual);
  const g12 = dot(cosResidual, sinResidual);
  const g22 = dot(sinResidual, sinResidual);
  const trendAbsorption = 1 - (g11 + g22) / (dot(cos, cos) + dot(sin, sin));
  const det = g11 * g22 - g12 * g12;
  const harmonic = { omega, cos, sin, cosResidual, sinResidual, g11, g12, g22, trendAbsorption, det };
  design.harmonics.set(period, harmonic);
  return harmonic;
}

function phaseHalves(
  detrended: Float64Array,
  cos: Float64Array,
  sin: Float64Array,
  maxPhaseDifference: number,
): PhaseHalves {
  const half = Math.floor(detrended.length / 2);
  const first = fitHarmonic(detrended, cos, sin, 0, half);
  const second = fitHarmonic(detrended, cos, sin, half, detrended.length);
  let difference = Math.abs(first.phase - second.phase) % (2 * Math.PI);
  if (difference > Math.PI) difference = 2 * Math.PI - difference;
  return {
    firstAmplitude: first.amplitude,
    secondAmplitude: second.amplitude,
    firstPhase: first.phase,
    secondPhase: second.phase,
    phaseDifference: difference,
    consistent: difference <= maxPhaseDifference,
  };
}

/** OLS of values[from, to) on [1, cos, sin] (centred, so a 2 × 2 solve); amplitude and phase of the pair. */
function fitHarmonic(
  values: Float64Array,
  cos: Float64Array,
  sin: Float64Array,
  from: number,
  to: number,
): { amplitude: number; phase: number } {
  const count = to - from;
  let mc = 0;
  let ms = 0;
  let mv = 0;
  for (let t = from; t < to; t++) {
    mc += cos[t] as number;
    ms += sin[t] as number;
    mv += values[t] as number;
  }
  mc /= count;
  ms /= count;
  mv /= count;
  let cc = 0;
  let cs = 0;
  let ss = 0;
  let cv = 0;
  let sv = 0;
  for (let t = from; t < to; t++) {
    const c = (cos[t] as number) - mc;
    const s = (sin[t] as number) - ms;
    const v = (values[t] as number) - mv;
    cc += c * c;
    cs += c * s;
    ss += s * s;
    cv += c * v;
    sv += s * v;
  }
  const det = cc * ss - cs * cs;
  if (!(det > 1e-12 * (cc + ss) ** 2)) return { amplitude: Number.NaN, phase: Number.NaN };
  const a = (ss * cv - cs * sv) / det;
  const b = (cc * sv - cs * cv) / det;
  return { amplitude: Math.hypot(a, b), phase: Math.atan2(b, a) };
}

/**
 * Moment estimate of the AR(1) coefficient of the noise behind residuals r = M·y, M = I − QQᵀ: the φ ∈ [0, 0.99]
 * whose expected residual lag-1 ratio tr(L·M·Σφ·M)/tr(M·Σφ) equals the observed Σ r_t r_{t+1} / Σ r_t²
 * (Σφ[i][j] = φ^|i−j|, L the lag-one shift). The ratio increases with φ.
 *
 * The answer is that of 30 halvings of [0, 0.99], bit for bit, with far fewer ratios worked out (each costs
 * O(n·p): a run of 1000 epochs has 53 columns). A few steps of regula falsi (Illinois) first find two φ whose
 * ratios lie below and above the observed one by more than {@link RATIO_MARGIN}, a few 1e-10 apart. A halving whose midpoint lies at or below the first (above the second) then goes the way the ratio at
 * the midpoint would send it, since the ratio increases with φ and its rounding error is far below the margin;
 * only a midpoint between the two, which few bisections meet, is worked out. Measured on the lint of the 520 MB
 * bench log (four scans of 1000 points): 109 ratios -> 44, 60 -> 25 ms.
 */
function estimateAr1(design: NullDesign, residuals: Float64Array): number {
  const n = residuals.length;
  let lag = 0;
  for (let t = 0; t + 1 < n; t++) lag += (residuals[t] as number) * (residuals[t + 1] as number);
  const rss = dot(residuals, residuals);
  if (!(rss > 0)) return 0;
  const observed = lag / rss;
  /** The largest φ known to have a ratio below observed − margin, the smallest known above observed + margin. */
  let below = 0;
  let above = MAX_AR1;
  const expectedRatio = (phi: number): number => {
    let ratio = design.ratios.get(phi);
    if (ratio === undefined) {
      ratio = ar1Ratio(design, lagMoments(design), phi);
      // a bisection visits ~30 new φ per series: bounded, whatever the number of series of this shape
      if (design.ratios.size >= MAX_KEPT_RATIOS) design.ratios.clear();
      design.ratios.set(phi, ratio);
    }
    if (ratio < observed - RATIO_MARGIN && phi > below) below = phi;
    if (ratio > observed + RATIO_MARGIN && phi < above) above = phi;
    return ratio;
  };
  const atLow = expectedRatio(0) - observed;
  if (atLow >= 0) return 0;
  const atHigh = expectedRatio(MAX_AR1) - observed;
  if (atHigh <= 0) return MAX_AR1;
  bracketRoot(expectedRatio, observed, atLow, atHigh, () => above - below);
  let low = 0;
  let high = MAX_AR1;
  // 30 halvings of [0, 0.99] leave φ within 1e-9, far below its sampling error.
  for (let i = 0; i < 30; i++) {
    const mid = (low + high) / 2;
    if (mid <= below) low = mid;
    else if (mid >= above) high = mid;
    else if (expectedRatio(mid) < observed) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/**
 * How far the ratio at a φ must lie from the observed one to decide a halving without working out the ratio at its
 * midpoint. The ratio is a quotient of traces summed over about n·p terms: for 1000 points and 53 columns, the
 * worst-case bound of their rounding error is near 1e-11 even at φ = 0.99, where Σφ magnifies a column up to 199
 * times; in practice the error is near 1e-14.
 */
const RATIO_MARGIN = 1e-10;

/** Width of the φ interval the root bracketing aims for (the last halvings of [0, 0.99] are 9.2e-10 apart). */
const BRACKET_WIDTH = 1e-9;

/**
 * Regula falsi with the Illinois modification on ratio(φ) − observed over [0, 0.99], whose values at the ends
 * are `atLow` < 0 < `atHigh`: it works out ratios until the bracket the caller keeps (`width`) is below
 * {@link BRACKET_WIDTH}, or after a bounded number of steps (the halvings then work out what is left).
 */
function bracketRoot(
  ratio: (phi: number) => number,
  observed: number,
  atLow: number,
  atHigh: number,
  width: () => number,
): void {
  let a = 0;
  let b = MAX_AR1;
  let fa = atLow;
  let fb = atHigh;
  let side = 0;
  for (let step = 0; step < 12 && width() > BRACKET_WIDTH; step++) {
    let x = b - (fb * (b - a)) / (fb - fa);
    if (!(x > a && x < b)) x = (a + b) / 2;
    const fx = ratio(x) - observed;
    if (fx < 0) {
      a = x;
      fa = fx;
      if (side < 0) fb /= 2;
      side = -1;
    } else {
      b = x;
      fb = fx;
      if (side > 0) fa /= 2;
      side = 1;
    }
    if (Math.abs(fx) <= RATIO_MARGIN) {
      // at the root within the margin: two φ either side of it, a few margins away, close the bracket
      const slope = Math.abs(fb - fa) / (b - a);
      const offset = (3 * RATIO_MARGIN) / (slope > 0 ? slope : 1);
      if (x - offset > 0) ratio(x - offset);
      if (x + offset < MAX_AR1) ratio(x + offset);
      return;
    }
  }
}

/** z_l = Σ_k C[k][l]·q_k with C[k][l] = Σ_t q_k[t+1]·q_l[t], so the QVQᵀ term costs O(n·p) per φ. */
function lagMoments(design: NullDesign): Float64Array[] {
  if (design.z !== null) return design.z;
  const { q, n, ends } = design;
  const p = q.length;
  const z = Array.from({ length: p }, () => new Float64Array(n));
  for (let k = 0; k < p; k++) {
    const qk = q[k] as Float64Array;
    // q_k is +0 from ends[k] on: the products past it are ±0 (see NullDesign.ends)
    const endK = ends[k] as number;
    for (let l = 0; l < p; l++) {
      const ql = q[l] as Float64Array;
      let c = 0;
      const last = Math.min(n - 1, endK - 1, ends[l] as number);
      for (let t = 0; t < last; t++) c += (qk[t + 1] as number) * (ql[t] as number);
      const zl = z[l] as Float64Array;
      for (let t = 0; t < endK; t++) zl[t] = (zl[t] as number) + c * (qk[t] as number);
    }
  }
  design.z = z;
  return z;
}

/** tr(L·M·Σφ·M)/tr(M·Σφ) for M = I − QQᵀ: the lag-1 ratio residuals of AR(1) noise with φ are expected to have. */
function ar1Ratio(design: NullDesign, z: readonly Float64Array[], phi: number): number {
  const { q, n, ends } = design;
  let trace = n;
  let sub = (n - 1) * phi;
  // buffers for four columns at a time, kept with the design (each call overwrites them whole)
  design.scratch ??= Array.from({ length: 8 }, () => new Float64Array(n));
  const w = design.scratch.slice(0, 4);
  const forward = design.scratch.slice(4);
  for (let k = 0; k < q.length; k += 4) {
    const block = Math.min(4, q.length - k);
    // Σφ·q_k of four columns in one pass: four recursions, each a chain of dependent steps, run side by side
    if (block === 4) applyAr1Correlation4(q.slice(k, k + 4), ends.subarray(k, k + 4), phi, w, forward);
    else for (let c = 0; c < block; c++) applyAr1Correlation(q[k + c] as Float64Array, phi, w[c], forward[c]);
    for (let c = 0; c < block; c++) {
      const qk = q[k + c] as Float64Array;
      const wk = w[c] as Float64Array;
      const zk = z[k + c] as Float64Array;
      // q_k·w, the lag terms and w·z_k in one pass, each summed in the order of t as three separate passes
      // would; rows past ends[k], where q_k is +0, add ±0 to the first two (see NullDesign.ends)
      const endK = Math.min(ends[k + c] as number, n - 1);
      let qw = 0;
      let wz = 0;
      let t = 0;
      for (; t < endK; t++) {
        const wt = wk[t] as number;
        wz += wt * (zk[t] as number);
        qw += (qk[t] as number) * wt;
        sub -= (qk[t + 1] as number) * wt + (wk[t + 1] as number) * (qk[t] as number);
      }
      if (t < (ends[k + c] as number)) {
        // the last row (no lag term after it)
        const wt = wk[t] as number;
        wz += wt * (zk[t] as number);
        qw += (qk[t] as number) * wt;
        t++;
      }
      for (; t < n; t++) wz += (wk[t] as number) * (zk[t] as number);
      trace -= qw;
      sub += wz;
    }
  }
  return sub / trace;
}

/**
 * {@link applyAr1Correlation} of four vectors at once (the same steps for each), into out[0..3]. Past ends[c],
 * where v_c is +0, the backward recursion of v_c is +0 (+0 + φ·(+0)), so it starts at ends[c] and out is
 * +0 + forward − v there, as the full recursion gives.
 */
function applyAr1Correlation4(
  v: readonly Float64Array[],
  ends: Int32Array,
  phi: number,
  out: readonly Float64Array[],
  forward: readonly Float64Array[],
): void {
  const [v0, v1, v2, v3] = v as [Float64Array, Float64Array, Float64Array, Float64Array];
  const [o0, o1, o2, o3] = out as [Float64Array, Float64Array, Float64Array, Float64Array];
  const [f0, f1, f2, f3] = forward as [Float64Array, Float64Array, Float64Array, Float64Array];
  const n = v0.length;
  let c0 = 0;
  let c1 = 0;
  let c2 = 0;
  let c3 = 0;
  for (let t = 0; t < n; t++) {
    c0 = (v0[t] as number) + phi * c0;
    c1 = (v1[t] as number) + phi * c1;
    c2 = (v2[t] as number) + phi * c2;
    c3 = (v3[t] as number) + phi * c3;
    f0[t] = c0;
    f1[t] = c1;
    f2[t] = c2;
    f3[t] = c3;
  }
  // the tails, where the backward carry is +0
  const top = Math.max(ends[0] as number, ends[1] as number, ends[2] as number, ends[3] as number);
  for (const [o, f, vc, end] of [
    [o0, f0, v0, ends[0]],
    [o1, f1, v1, ends[1]],
    [o2, f2, v2, ends[2]],
    [o3, f3, v3, ends[3]],
  ] as const) {
    for (let t = n - 1; t >= (end as number); t--) o[t] = 0 + (f[t] as number) - (vc[t] as number);
  }
  c0 = 0;
  c1 = 0;
  c2 = 0;
  c3 = 0;
  for (let t = top - 1; t >= 0; t--) {
    c0 = (v0[t] as number) + phi * c0;
    c1 = (v1[t] as number) + phi * c1;
    c2 = (v2[t] as number) + phi * c2;
    c3 = (v3[t] as number) + phi * c3;
    if (t < (ends[0] as number)) o0[t] = c0 + (f0[t] as number) - (v0[t] as number);
    if (t < (ends[1] as number)) o1[t] = c1 + (f1[t] as number) - (v1[t] as number);
    if (t < (ends[2] as number)) o2[t] = c2 + (f2[t] as number) - (v2[t] as number);
    if (t < (ends[3] as number)) o3[t] = c3 + (f3[t] as number) - (v3[t] as number);
  }
}

/** Σφ·v with Σφ[i][j] = φ^|i−j|, in O(n): forward plus backward AR recursions minus the double-counted v. */
function applyAr1Correlation(
  v: Float64Array,
  phi: number,
  out: Float64Array = new Float64Array(v.length),
  forward: Float64Array = new Float64Array(v.length),
): Float64Array {
  const n = v.length;
  let carry = 0;
  for (let t = 0; t < n; t++) {
    carry = (v[t] as number) + phi * carry;
    forward[t] = carry;
  }
  carry = 0;
  for (let t = n - 1; t >= 0; t--) {
    carry = (v[t] as number) + phi * carry;
    out[t] = carry + (forward[t] as number) - (v[t] as number);
  }
  return out;
}

/** (I − QQᵀ)·v for orthonormal columns Q. */
function project(q: readonly Float64Array[], v: Float64Array): Float64Array {
  const out = Float64Array.from(v);
  for (const qk of q) {
    // Modified Gram–Schmidt: project the running remainder, not v, for rounding stability.
    const c = dot(qk, out);
    for (let t = 0; t < out.length; t++) out[t] = (out[t] as number) - c * (qk[t] as number);
  }
  return out;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** For each column, the row from which it is +0 to its end. */
function zeroTails(columns: readonly Float64Array[]): Int32Array {
  return Int32Array.from(columns, (column) => {
    let end = column.length;
    while (end > 0 && Object.is(column[end - 1], 0)) end--;
    return end;
  });
}

function normalized(column: Float64Array): Float64Array {
  const norm = Math.sqrt(dot(column, column));
  if (!(norm > 0)) return column;
  const out = new Float64Array(column.length);
  for (let i = 0; i < column.length; i++) out[i] = (column[i] as number) / norm;
  return out;
}
