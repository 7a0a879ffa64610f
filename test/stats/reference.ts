/**
 * The straightforward versions of computations that src/stats does faster (the dense loops, the point-by-point
 * weights): tests check that the fast ones give the very same numbers, bit for bit.
 */
import { median } from 'simple-statistics';
import type { QrDecomposition } from '../../src/stats/least-squares.js';
import { normalQuantile } from '../../src/stats/distributions.js';
import type { TheilSenResult } from '../../src/stats/trend.js';

/** Householder QR over every row of every column (decomposeQr before it skipped the zero rows of a band). */
export function denseQr(columns: readonly ArrayLike<number>[]): QrDecomposition {
  const p = columns.length;
  const n = p === 0 ? 0 : (columns[0]?.length ?? 0);
  if (p > n) throw new RangeError(`least squares needs at least as many rows (${n}) as columns (${p})`);
  const a = columns.map((column) => {
    if (column.length !== n) throw new RangeError('design columns differ in length');
    return Float64Array.from(column);
  });
  const reflectors: Float64Array[] = [];
  /** ‖v_k‖² of each reflector (the sum in the same order as it is applied). */
  const norms: number[] = [];
  const r: Float64Array[] = Array.from({ length: p }, () => new Float64Array(p));
  let largestPivot = 0;
  for (let k = 0; k < p; k++) {
    const ak = a[k] as Float64Array;
    let norm = 0;
    for (let i = k; i < n; i++) norm += (ak[i] as number) ** 2;
    norm = Math.sqrt(norm);
    const alpha = (ak[k] as number) > 0 ? -norm : norm;
    const v = new Float64Array(n);
    for (let i = k; i < n; i++) v[i] = ak[i] as number;
    v[k] = (v[k] as number) - alpha;
    let vNorm2 = 0;
    for (let i = k; i < n; i++) vNorm2 += (v[i] as number) ** 2;
    if (vNorm2 > 0) {
      for (let j = k; j < p; j++) {
        const aj = a[j] as Float64Array;
        let dot = 0;
        for (let i = k; i < n; i++) dot += (v[i] as number) * (aj[i] as number);
        const factor = (2 * dot) / vNorm2;
        for (let i = k; i < n; i++) aj[i] = (aj[i] as number) - factor * (v[i] as number);
      }
    }
    reflectors.push(v);
    norms.push(vNorm2);
    const rk = r[k] as Float64Array;
    for (let j = k; j < p; j++) rk[j] = (a[j] as Float64Array)[k] as number;
    const pivot = Math.abs(rk[k] as number);
    largestPivot = Math.max(largestPivot, pivot);
    if (!(pivot > 1e-10 * largestPivot) || pivot === 0) {
      throw new RangeError(`design matrix is rank deficient at column ${k}`);
    }
  }
  const q: Float64Array[] = [];
  for (let j = 0; j < p; j++) {
    // column j of Q = H_0 H_1 … H_{p−1} e_j; H_k acts on rows k … n−1, where e_j is zero for k > j, so
    // those reflectors leave it as it is and only H_j … H_0 are applied
    const e = new Float64Array(n);
    e[j] = 1;
    for (let k = j; k >= 0; k--) {
      const vNorm2 = norms[k] as number;
      if (vNorm2 === 0) continue;
      const v = reflectors[k] as Float64Array;
      let dot = 0;
      for (let i = k; i < n; i++) dot += (v[i] as number) * (e[i] as number);
      const factor = (2 * dot) / vNorm2;
      for (let i = k; i < n; i++) e[i] = (e[i] as number) - factor * (v[i] as number);
    }
    q.push(e);
  }
  return { n, p, q, r };
}

/** Robust LOWESS with every tricube weight computed for every fit (lowess before it kept them for the robustness iterations). */
export function pointwiseLowess(
  y: readonly number[],
  options: { frac?: number; iterations?: number; x?: readonly number[] } = {},
): number[] {
  const n = y.length;
  const frac = options.frac ?? 0.4;
  const iterations = options.iterations ?? 2;
  const x = options.x ?? Array.from({ length: n }, (_, i) => i);
  if (x.length !== n) throw new RangeError(`x has ${x.length} values but y has ${n}`);
  if (n < 3) return [...y];
  const span = Math.min(n, Math.max(2, Math.ceil(frac * n)));
  const robustness = new Array<number>(n).fill(1);
  let fitted = new Array<number>(n).fill(0);
  // on the default abscissae every distance is a whole number of points (see localFits)
  const unitSpacing = options.x === undefined;
  for (let iteration = 0; iteration <= iterations; iteration++) {
    fitted = pointwiseFits(x, y, span, robustness, unitSpacing);
    if (iteration === iterations) break;
    const absolute = y.map((v, i) => Math.abs(v - (fitted[i] as number)));
    const cutoff = 6 * median(absolute);
    // As R's clowess: stop when 6·median|r| is effectively zero next to the mean |r| (a fit exact on more than
    // half the points), because the bisquare weights would then discard every point that is not fitted exactly.
    const meanAbsolute = absolute.reduce((s, v) => s + v, 0) / n;
    if (!(cutoff >= 1e-7 * meanAbsolute) || cutoff === 0) break;
    for (let i = 0; i < n; i++) {
      const r = absolute[i] as number;
      // clowess: full weight below 0.001·cutoff, none above 0.999·cutoff, bisquare between.
      robustness[i] = r <= 0.001 * cutoff ? 1 : r > 0.999 * cutoff ? 0 : (1 - (r / cutoff) ** 2) ** 2;
    }
  }
  return fitted;
}

function pointwiseFits(
  x: readonly number[],
  y: readonly number[],
  span: number,
  robustness: readonly number[],
  unitSpacing: boolean,
): number[] {
  const n = x.length;
  const out = new Array<number>(n).fill(0);
  const weights = new Float64Array(span);
  // x = 0 … n−1: away from the ends every window has the same half-width h, and its tricube weights by
  // whole distance are tabulated once (the same numbers as computed point by point)
  const table = new Float64Array(span + 1);
  let tableH = Number.NaN;
  let previousH = Number.NaN;
  let left = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i] as number;
    // Slide the window [left, left + span) to the span nearest neighbours of x[i].
    while (left + span < n && xi - (x[left] as number) > (x[left + span] as number) - xi) left++;
    const right = left + span - 1;
    const h = Math.max(xi - (x[left] as number), (x[right] as number) - xi);
    let sw = 0;
    let sx = 0;
    let sy = 0;
    const tabulated = unitSpacing && h === previousH;
    previousH = h;
    if (tabulated && h !== tableH) {
      for (let k = 0; k <= span; k++) table[k] = pointTricube(h > 0 ? k / h : 0);
      tableH = h;
    }
    for (let j = left; j <= right; j++) {
      const w = tabulated
        ? (table[Math.abs(j - i)] as number)
        : pointTricube(h > 0 ? Math.abs((x[j] as number) - xi) / h : 0);
      const wr = w * (robustness[j] as number);
      weights[j - left] = wr;
      sw += wr;
      sx += wr * (x[j] as number);
      sy += wr * (y[j] as number);
    }
    if (!(sw > 0)) {
      out[i] = y[i] as number;
      continue;
    }
    const mx = sx / sw;
    const my = sy / sw;
    let sxx = 0;
    let sxy = 0;
    for (let j = left; j <= right; j++) {
      const w = weights[j - left] as number;
      const dx = (x[j] as number) - mx;
      sxx += w * dx * dx;
      sxy += w * dx * ((y[j] as number) - my);
    }
    // Weighted local line (the `weightedLinearRegression` step); a degenerate spread falls back to the mean.
    const range = (x[right] as number) - (x[left] as number);
    out[i] = sxx > 1e-12 * range * range * sw ? my + (sxy / sxx) * (xi - mx) : my;
  }
  return out;
}

/** Tricube weight of a distance in units of the window's half-width; lowess.f gives full weight inside 0.001 and none beyond 0.999. */
function pointTricube(d: number): number {
  return d <= 0.001 ? 1 : d >= 0.999 ? 0 : (1 - d * d * d) ** 3;
}

/** Theil–Sen with the pairwise slopes in an array sorted by a comparator (theilSen before its typed-array sort). */
export function pairwiseTheilSen(
  y: readonly number[],
  x?: readonly number[],
  confidence = 0.95,
): TheilSenResult {
  const n = y.length;
  const xs = x ?? Array.from({ length: n }, (_, i) => i);
  if (xs.length !== n) throw new RangeError(`x has ${xs.length} values but y has ${n}`);
  const slopes: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = (xs[j] as number) - (xs[i] as number);
      if (dx !== 0) slopes.push(((y[j] as number) - (y[i] as number)) / dx);
    }
  }
  if (slopes.length === 0) {
    return { n, slope: NaN, intercept: NaN, lower: NaN, upper: NaN, confidence };
  }
  slopes.sort((a, b) => a - b);
  const slope = median(slopes);
  const intercept = median([...y]) - slope * median([...xs]);
  const tieTerm = (values: readonly number[]): number =>
    tieGroupSizes(values).reduce((sum, t) => sum + t * (t - 1) * (2 * t + 5), 0);
  const varianceS = (n * (n - 1) * (2 * n + 5) - tieTerm(xs) - tieTerm(y)) / 18;
  const c = normalQuantile(1 - (1 - confidence) / 2) * Math.sqrt(Math.max(varianceS, 0));
  const count = slopes.length;
  const lowerRank = Math.round((count - c) / 2);
  const upperRank = Math.round((count + c) / 2) + 1;
  return {
    n,
    slope,
    intercept,
    lower: lowerRank >= 1 ? (slopes[lowerRank - 1] as number) : Number.NEGATIVE_INFINITY,
    upper: upperRank <= count ? (slopes[upperRank - 1] as number) : Number.POSITIVE_INFINITY,
    confidence,
  };
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
