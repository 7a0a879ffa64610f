/**
 * Smooth trend bases for the parity and harmonic regressions (statistics.md B3 step 3):
 * - n ≤ 50: cubic in log-time, u = log(1+t)/log(n) (the [sim] setting of Appendix S), which follows a fast
 *   early decay then a plateau with 4 parameters;
 * - n > 50: cubic B-spline with an interior knot about every 8 points ("about n/8 knots"; B2 says "knots about
 *   every 8–10 points"), flexible enough for LR-step kinks so the residual variance is not inflated by misfit.
 * Both are smooth on the scale of a few points, so they are nearly orthogonal to (−1)^t (B2, "Why parity
 * contrasts are robust").
 */

/** Largest n that uses the log-cubic basis under `basis: 'auto'` (statistics.md B3 step 3). */
export const LOG_CUBIC_MAX_POINTS = 50;

/** Default spacing of interior B-spline knots, in points (statistics.md B2/B3: every 8–10 points, ≈ n/8). */
export const DEFAULT_KNOT_SPACING = 8;

/** Most interior knots a spline trend gets, whatever n (the cap matters above 388 points). */
export const MAX_INTERIOR_KNOTS = 48;

/** Which trend basis to use: `auto` picks log-cubic for n ≤ 50 and a B-spline above. */
export type TrendBasisKind = 'auto' | 'log-cubic' | 'b-spline';

/** The basis that was actually used, as reported in test results. */
export type TrendBasisSpec =
  { kind: 'log-cubic'; columns: 4 } | { kind: 'b-spline'; degree: 3; interiorKnots: number; columns: number };

/** Options shared by the tests that detrend with {@link trendBasis}. */
export interface TrendBasisOptions {
  /** Basis family; default `auto`. */
  basis?: TrendBasisKind;
  /** Points between interior B-spline knots; default 8. */
  knotSpacing?: number;
}

/**
 * Log-time cubic basis [1, z, z², z³] with z = 2·log(1+t)/log(n) − 1 for t = 0..n−1 (z spans [−1, 1], which keeps
 * the columns well scaled). Returned as n rows of 4 values.
 */
export function logCubicBasis(n: number): number[][] {
  const denominator = Math.log1p(Math.max(n - 1, 1));
  const rows: number[][] = [];
  for (let t = 0; t < n; t++) {
    const z = (2 * Math.log1p(t)) / denominator - 1;
    rows.push([1, z, z * z, z * z * z]);
  }
  return rows;
}

/**
 * Cubic B-spline basis on t = 0..n−1 with `interiorKnots` equally spaced interior knots and clamped ends.
 * Returns n rows of interiorKnots + 4 values; each row sums to 1, so no separate intercept column is needed.
 */
export function bSplineBasis(n: number, interiorKnots: number): number[][] {
  const count = interiorKnots + 4;
  const rows: number[][] = [];
  bSplineValues(n, interiorKnots, (_, first, values) => {
    const row = new Array<number>(count).fill(0);
    for (let j = 0; j < values.length; j++) row[first + j] = values[j] as number;
    rows.push(row);
  });
  return rows;
}

/**
 * The non-zero values of each row of {@link bSplineBasis}, in order of t: `visit(t, first, values)` with the
 * 4 values of columns first … first + 3 (a buffer overwritten for the next row).
 */
function bSplineValues(
  n: number,
  interiorKnots: number,
  visit: (t: number, first: number, values: readonly number[]) => void,
): void {
  const degree = 3;
  const end = Math.max(n - 1, 1);
  const knots: number[] = [];
  for (let i = 0; i <= degree; i++) knots.push(0);
  for (let j = 1; j <= interiorKnots; j++) knots.push((end * j) / (interiorKnots + 1));
  for (let i = 0; i <= degree; i++) knots.push(end);
  const count = interiorKnots + degree + 1;
  for (let t = 0; t < n; t++) {
    // Knot span s with knots[s] ≤ t < knots[s+1]; the right end belongs to the last non-empty span.
    let span = degree;
    while (span < count - 1 && t >= (knots[span + 1] as number)) span++;
    // Cox–de Boor, triangular scheme (Piegl & Tiller, The NURBS Book, algorithm A2.2).
    const values = [1];
    const left: number[] = [0];
    const right: number[] = [0];
    for (let j = 1; j <= degree; j++) {
      left[j] = t - (knots[span + 1 - j] as number);
      right[j] = (knots[span + j] as number) - t;
      let saved = 0;
      for (let r = 0; r < j; r++) {
        const denominator = (right[r + 1] as number) + (left[j - r] as number);
        const temp = denominator === 0 ? 0 : (values[r] as number) / denominator;
        values[r] = saved + (right[r + 1] as number) * temp;
        saved = (left[j - r] as number) * temp;
      }
      values[j] = saved;
    }
    visit(t, span - degree, values);
  }
}

/**
 * The trend basis statistics.md B3 prescribes for a series of n points: log-cubic up to 50 points, a cubic
 * B-spline with about n/knotSpacing interior knots above.
 */
export function trendBasis(
  n: number,
  options: TrendBasisOptions = {},
): { rows: number[][]; spec: TrendBasisSpec } {
  if (!usesSpline(n, options)) return { rows: logCubicBasis(n), spec: { kind: 'log-cubic', columns: 4 } };
  const { spec } = splineSpec(n, options);
  return { rows: bSplineBasis(n, spec.interiorKnots), spec };
}

/** Whether a series of n points gets the spline (else the log-cubic basis). */
function usesSpline(n: number, options: TrendBasisOptions): boolean {
  const kind = options.basis ?? 'auto';
  return kind === 'b-spline' || (kind === 'auto' && n > LOG_CUBIC_MAX_POINTS);
}

/** The spline of a series of n points: about n/knotSpacing interior knots, capped. */
function splineSpec(
  n: number,
  options: TrendBasisOptions,
): { spec: { kind: 'b-spline'; degree: 3; interiorKnots: number; columns: number } } {
  const spacing = Math.max(options.knotSpacing ?? DEFAULT_KNOT_SPACING, 2);
  // A spline forced onto a short series keeps to about n/4 columns, leaving residual degrees of freedom.
  // A training curve is smooth: 48 interior knots follow any realistic trend, and capping them keeps a
  // 4000-epoch fit at O(n·52²) instead of O(n·(n/8)²).
  const interiorKnots = Math.max(
    1,
    Math.min(Math.round(n / spacing), Math.floor(n / 4) - 4, MAX_INTERIOR_KNOTS),
  );
  return { spec: { kind: 'b-spline', degree: 3, interiorKnots, columns: interiorKnots + 4 } };
}

/**
 * The columns of {@link trendBasis}: the very values of its rows, built column by column (what a least-squares
 * design is made of) without the n row arrays.
 */
export function trendColumns(
  n: number,
  options: TrendBasisOptions = {},
): { columns: Float64Array[]; spec: TrendBasisSpec } {
  if (!usesSpline(n, options)) {
    const columns = [0, 1, 2, 3].map(() => new Float64Array(n));
    const [c0, c1, c2, c3] = columns as [Float64Array, Float64Array, Float64Array, Float64Array];
    logCubicBasis(n).forEach(([a, b, c, d], t) => {
      c0[t] = a as number;
      c1[t] = b as number;
      c2[t] = c as number;
      c3[t] = d as number;
    });
    return { columns, spec: { kind: 'log-cubic', columns: 4 } };
  }
  const { spec } = splineSpec(n, options);
  const columns = Array.from({ length: spec.columns }, () => new Float64Array(n));
  bSplineValues(n, spec.interiorKnots, (t, first, values) => {
    for (let j = 0; j < values.length; j++) (columns[first + j] as Float64Array)[t] = values[j] as number;
  });
  return { columns, spec };
}

/** The (−1)^(t+offset) column of the parity and harmonic regressions: 1 at even t + offset, −1 at odd. */
export function parityColumn(n: number, offset: number): Float64Array {
  const column = new Float64Array(n);
  for (let t = 0; t < n; t++) column[t] = (t + offset) % 2 === 0 ? 1 : -1;
  return column;
}
