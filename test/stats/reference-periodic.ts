/**
 * testPeriodic as it was before its AR(1) moments left out the zero rows of Q and fused their passes, and before
 * its AR(1) estimate bracketed the root first and halved without working out every midpoint: the reference its
 * results must equal bit for bit (its designs are cached apart from the ones of src/stats).
 */
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
import type { InsufficientReason } from '../../src/stats/alternation.js';
import { cachedDesign, designKey } from '../../src/stats/design-cache.js';
import { fPValue } from '../../src/stats/distributions.js';
import { decomposeQr } from '../../src/stats/least-squares.js';
import { bonferroni } from '../../src/stats/multiple-testing.js';
import { trendBasis, type TrendBasisOptions, type TrendBasisSpec } from '../../src/stats/trend-basis.js';

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
export function referencePeriodic(
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
  return cachedDesign('periodic-reference', designKey(n, options, offset), () => {
    const { rows, spec } = trendBasis(n, options);
    const columns: Float64Array[] = [];
    for (let j = 0; j < spec.columns; j++) columns.push(Float64Array.from(rows, (row) => row[j] as number));
    columns.push(Float64Array.from(rows, (_, t) => ((t + offset) % 2 === 0 ? 1 : -1)));
    const { q } = decomposeQr(columns.map(normalized));
    return { n, offset, spec, q, z: null, ratios: new Map(), harmonics: new Map() };
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
 * (Σφ[i][j] = φ^|i−j|, L the lag-one shift). Solved by bisection (the ratio increases with φ).
 */
function estimateAr1(design: NullDesign, residuals: Float64Array): number {
  const n = residuals.length;
  let lag = 0;
  for (let t = 0; t + 1 < n; t++) lag += (residuals[t] as number) * (residuals[t + 1] as number);
  const rss = dot(residuals, residuals);
  if (!(rss > 0)) return 0;
  const observed = lag / rss;
  const expectedRatio = (phi: number): number => {
    const known = design.ratios.get(phi);
    if (known !== undefined) return known;
    const ratio = ar1Ratio(design.q, lagMoments(design), n, phi);
    // a bisection visits ~30 new φ per series: bounded, whatever the number of series of this shape
    if (design.ratios.size >= MAX_KEPT_RATIOS) design.ratios.clear();
    design.ratios.set(phi, ratio);
    return ratio;
  };
  if (observed <= expectedRatio(0)) return 0;
  if (observed >= expectedRatio(MAX_AR1)) return MAX_AR1;
  let low = 0;
  let high = MAX_AR1;
  // 30 halvings of [0, 0.99] leave φ within 1e-9, far below its sampling error.
  for (let i = 0; i < 30; i++) {
    const mid = (low + high) / 2;
    if (expectedRatio(mid) < observed) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/** The expected lag-1 ratio at φ of a design the reference cached (`periodic-reference`), as its bisection works it out. */
export function referenceAr1Ratio(
  design: { q: Float64Array[]; n: number; z: Float64Array[] | null },
  phi: number,
): number {
  return ar1Ratio(design.q, lagMoments(design as NullDesign), design.n, phi);
}

/** z_l = Σ_k C[k][l]·q_k with C[k][l] = Σ_t q_k[t+1]·q_l[t], so the QVQᵀ term costs O(n·p) per φ. */
function lagMoments(design: NullDesign): Float64Array[] {
  if (design.z !== null) return design.z;
  const { q, n } = design;
  const p = q.length;
  const z = Array.from({ length: p }, () => new Float64Array(n));
  for (let k = 0; k < p; k++) {
    const qk = q[k] as Float64Array;
    for (let l = 0; l < p; l++) {
      const ql = q[l] as Float64Array;
      let c = 0;
      for (let t = 0; t + 1 < n; t++) c += (qk[t + 1] as number) * (ql[t] as number);
      const zl = z[l] as Float64Array;
      for (let t = 0; t < n; t++) zl[t] = (zl[t] as number) + c * (qk[t] as number);
    }
  }
  design.z = z;
  return z;
}

/** tr(L·M·Σφ·M)/tr(M·Σφ) for M = I − QQᵀ: the lag-1 ratio residuals of AR(1) noise with φ are expected to have. */
function ar1Ratio(q: readonly Float64Array[], z: readonly Float64Array[], n: number, phi: number): number {
  let trace = n;
  let sub = (n - 1) * phi;
  // one pair of buffers for every column (each call overwrites them whole)
  const w = new Float64Array(n);
  const forward = new Float64Array(n);
  for (let k = 0; k < q.length; k++) {
    const qk = q[k] as Float64Array;
    applyAr1Correlation(qk, phi, w, forward);
    trace -= dot(qk, w);
    for (let t = 0; t + 1 < n; t++) {
      sub -= (qk[t + 1] as number) * (w[t] as number) + (w[t + 1] as number) * (qk[t] as number);
    }
    sub += dot(w, z[k] as Float64Array);
  }
  return sub / trace;
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

function normalized(column: Float64Array): Float64Array {
  const norm = Math.sqrt(dot(column, column));
  return norm > 0 ? Float64Array.from(column, (v) => v / norm) : column;
}
