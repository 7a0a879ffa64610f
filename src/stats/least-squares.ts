/**
 * Ordinary least squares for small designs (up to ~1000 rows and ~130 columns, the B-spline trend of a
 * 1000-point series, in well under a second), by Householder QR on
 * columns scaled to unit length. QR never forms XᵀX, so the conditioning is that of X, not its square; the
 * scaling makes the rank tolerance independent of column units (a cubic in raw epoch numbers is fine).
 */

/** Relative size of a pivot of R below which the design counts as rank deficient. */
const RANK_TOLERANCE = 1e-10;

/** Result of {@link fitLeastSquares}. All vectors are in the order of the design's columns / rows. */
export interface LeastSquaresFit {
  /** Number of observations (rows). */
  n: number;
  /** Number of coefficients (columns). */
  p: number;
  /** Residual degrees of freedom, n − p. */
  df: number;
  coefficients: number[];
  /** Standard errors sqrt(diag(s²(XᵀX)⁻¹)). */
  standardErrors: number[];
  /** Coefficient covariance s²(XᵀX)⁻¹ (p × p). */
  covariance: number[][];
  fitted: number[];
  residuals: number[];
  residualSumOfSquares: number;
  /** s² = RSS / (n − p); NaN when df = 0. */
  residualVariance: number;
}

/** Thin QR factors of an n × p matrix: X = QR. */
export interface QrDecomposition {
  n: number;
  p: number;
  /** Thin Q as columns (each length n, orthonormal). */
  q: Float64Array[];
  /** R as rows (p × p, upper triangular). */
  r: Float64Array[];
}

/**
 * Householder QR of an n × p matrix given as p columns (internal; used by the periodic test).
 * Throws a RangeError when a column is (numerically) a combination of the earlier ones.
 *
 * Banded designs (a B-spline trend: each column is zero outside a few knot spans) are factored in about
 * O(n·p·bandwidth) instead of O(n·p²): every loop runs only over the rows where both of its operands may be
 * non-zero. That is exact, not an approximation: where one operand is a +0 entry, the dense loop adds a ±0
 * product to a sum (which leaves it as it is) or subtracts one from a +0 entry (which stays +0), so the
 * skipped steps never change a bit. It needs every zero of the input to be +0 and every value finite (then
 * no step ever makes a −0); any other input takes the dense loops (ranges of the whole column).
 */
export function decomposeQr(columns: readonly ArrayLike<number>[]): QrDecomposition {
  const p = columns.length;
  const n = p === 0 ? 0 : (columns[0]?.length ?? 0);
  if (p > n) throw new RangeError(`least squares needs at least as many rows (${n}) as columns (${p})`);
  const a = columns.map((column) => {
    if (column.length !== n) throw new RangeError('design columns differ in length');
    return Float64Array.from(column);
  });
  // rows [from[j], to[j]) of column j hold every entry that is not +0 (all of them for a dense column)
  const from = new Int32Array(p);
  const to = new Int32Array(p).fill(n);
  const banded = a.every(bandable);
  if (banded) {
    a.forEach((column, j) => {
      let first = 0;
      while (first < n && Object.is(column[first], 0)) first++;
      let last = n;
      while (last > first && Object.is(column[last - 1], 0)) last--;
      from[j] = first;
      to[j] = last;
    });
  }
  const reflectors: Float64Array[] = [];
  /** ‖v_k‖² of each reflector (the sum in the same order as it is applied). */
  const norms: number[] = [];
  /** v_k is +0 outside rows [k, ends[k]). */
  const ends: number[] = [];
  const r: Float64Array[] = Array.from({ length: p }, () => new Float64Array(p));
  let largestPivot = 0;
  for (let k = 0; k < p; k++) {
    const ak = a[k] as Float64Array;
    const end = Math.max(to[k] as number, k + 1);
    let norm = 0;
    for (let i = Math.max(k, from[k] as number); i < end; i++) norm += (ak[i] as number) ** 2;
    norm = Math.sqrt(norm);
    const alpha = (ak[k] as number) > 0 ? -norm : norm;
    const v = new Float64Array(n);
    for (let i = k; i < end; i++) v[i] = ak[i] as number;
    v[k] = (v[k] as number) - alpha;
    let vNorm2 = 0;
    for (let i = k; i < end; i++) vNorm2 += (v[i] as number) ** 2;
    if (vNorm2 > 0) {
      for (let j = k; j < p; j++) {
        const aj = a[j] as Float64Array;
        const lo = Math.max(k, from[j] as number);
        const hi = Math.min(end, to[j] as number);
        // no row where both are non-zero: the dot is +0 and the reflection leaves column j as it is
        if (lo >= hi) continue;
        let dot = 0;
        for (let i = lo; i < hi; i++) dot += (v[i] as number) * (aj[i] as number);
        const factor = (2 * dot) / vNorm2;
        for (let i = k; i < end; i++) aj[i] = (aj[i] as number) - factor * (v[i] as number);
        from[j] = Math.min(from[j] as number, k);
        to[j] = Math.max(to[j] as number, end);
      }
    }
    reflectors.push(v);
    norms.push(vNorm2);
    ends.push(end);
    const rk = r[k] as Float64Array;
    for (let j = k; j < p; j++) rk[j] = (a[j] as Float64Array)[k] as number;
    const pivot = Math.abs(rk[k] as number);
    largestPivot = Math.max(largestPivot, pivot);
    if (!(pivot > RANK_TOLERANCE * largestPivot) || pivot === 0) {
      throw new RangeError(`design matrix is rank deficient at column ${k}`);
    }
  }
  const q: Float64Array[] = [];
  for (let j = 0; j < p; j++) {
    // column j of Q = H_0 H_1 … H_{p−1} e_j; H_k acts on rows k … n−1, where e_j is zero for k > j, so
    // those reflectors leave it as it is and only H_j … H_0 are applied (each over the rows where both
    // the reflector and e may be non-zero, as above)
    const e = new Float64Array(n);
    e[j] = 1;
    let lo = banded ? j : 0;
    let hi = banded ? j + 1 : n;
    for (let k = j; k >= 0; k--) {
      const vNorm2 = norms[k] as number;
      if (vNorm2 === 0) continue;
      const v = reflectors[k] as Float64Array;
      const end = ends[k] as number;
      const top = Math.min(end, hi);
      if (Math.max(k, lo) >= top) continue;
      let dot = 0;
      for (let i = Math.max(k, lo); i < top; i++) dot += (v[i] as number) * (e[i] as number);
      const factor = (2 * dot) / vNorm2;
      for (let i = k; i < end; i++) e[i] = (e[i] as number) - factor * (v[i] as number);
      lo = Math.min(lo, k);
      hi = Math.max(hi, end);
    }
    q.push(e);
  }
  return { n, p, q, r };
}

/** Whether a column can be factored by its non-zero rows only: finite, and no −0 (see {@link decomposeQr}). */
function bandable(column: Float64Array): boolean {
  for (let i = 0; i < column.length; i++) {
    const value = column[i] as number;
    if (!Number.isFinite(value) || Object.is(value, -0)) return false;
  }
  return true;
}

/** Inverse of an upper-triangular matrix given as rows. */
function invertUpperTriangular(r: readonly Float64Array[]): Float64Array[] {
  const p = r.length;
  const inv = Array.from({ length: p }, () => new Float64Array(p));
  for (let j = p - 1; j >= 0; j--) {
    const rj = r[j] as Float64Array;
    (inv[j] as Float64Array)[j] = 1 / (rj[j] as number);
    for (let i = j - 1; i >= 0; i--) {
      const ri = r[i] as Float64Array;
      let s = 0;
      for (let k = i + 1; k <= j; k++) s += (ri[k] as number) * ((inv[k] as Float64Array)[j] as number);
      (inv[i] as Float64Array)[j] = -s / (ri[i] as number);
    }
  }
  return inv;
}

/**
 * Fits y = Xβ + e by ordinary least squares.
 *
 * @param design the n × p design matrix as rows (`design[i][j]` = column j at observation i); include a
 *   column of ones yourself when you want an intercept.
 * @param y the n responses.
 * @throws RangeError when shapes disagree, a value is not finite, n < p, or X is rank deficient.
 */
export function fitLeastSquares(
  design: readonly (readonly number[])[],
  y: readonly number[],
): LeastSquaresFit {
  const n = design.length;
  if (y.length !== n) throw new RangeError(`design has ${n} rows but y has ${y.length} values`);
  const p = n === 0 ? 0 : (design[0]?.length ?? 0);
  if (p === 0) throw new RangeError('design has no columns');
  const columns: Float64Array[] = Array.from({ length: p }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const row = design[i] as readonly number[];
    if (row.length !== p) throw new RangeError(`design row ${i} has ${row.length} columns, expected ${p}`);
    for (let j = 0; j < p; j++) {
      const value = row[j] as number;
      if (!Number.isFinite(value)) throw new RangeError(`design[${i}][${j}] is not finite`);
      (columns[j] as Float64Array)[i] = value;
    }
    if (!Number.isFinite(y[i])) throw new RangeError(`y[${i}] is not finite`);
  }
  return fitColumns(columns, y);
}

/** {@link fitLeastSquares} on a column-major design (internal fast path; no validation of finiteness). */
export function fitColumns(columns: readonly Float64Array[], y: ArrayLike<number>): LeastSquaresFit {
  return fitPrepared(prepareDesign(columns, y.length), y);
}

/**
 * What a least-squares fit needs of its design alone (column scales, thin QR, R⁻¹ and the unscaled
 * coefficient covariance), so one design fits many responses ({@link fitPrepared}).
 */
export interface PreparedDesign {
  n: number;
  p: number;
  scales: number[];
  q: Float64Array[];
  rInv: Float64Array[];
  /** Σ_k rInv[i][k]·rInv[j][k] (the covariance before s² and the column scales). */
  unscaledCovariance: Float64Array[];
}

/** Decomposes a column-major design of n rows for {@link fitPrepared}. */
export function prepareDesign(columns: readonly Float64Array[], n: number): PreparedDesign {
  const p = columns.length;
  const scales = columns.map((column) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += (column[i] as number) ** 2;
    return Math.sqrt(s);
  });
  if (scales.some((s) => !(s > 0))) throw new RangeError('design has an all-zero column');
  const scaled = columns.map((column, j) => {
    const s = scales[j] as number;
    const out = new Float64Array(column.length);
    for (let i = 0; i < column.length; i++) out[i] = (column[i] as number) / s;
    return out;
  });
  const { q, r } = decomposeQr(scaled);
  const rInv = invertUpperTriangular(r);
  const unscaledCovariance: Float64Array[] = [];
  for (let i = 0; i < p; i++) {
    const row = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let k = Math.max(i, j); k < p; k++) {
        s += ((rInv[i] as Float64Array)[k] as number) * ((rInv[j] as Float64Array)[k] as number);
      }
      row[j] = s;
    }
    unscaledCovariance.push(row);
  }
  return { n, p, scales, q, rInv, unscaledCovariance };
}

/** The least-squares fit of y (length n) on a prepared design. */
export function fitPrepared(design: PreparedDesign, y: ArrayLike<number>): LeastSquaresFit {
  const { p, scales, q, rInv, unscaledCovariance } = design;
  const n = y.length;
  // Qᵀy through the explicit thin Q; residuals as y − QQᵀy keep them orthogonal to X to rounding.
  const qty = q.map((qj) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += (qj[i] as number) * (y[i] as number);
    return s;
  });
  const fitted = new Array<number>(n).fill(0);
  for (let j = 0; j < p; j++) {
    const qj = q[j] as Float64Array;
    const c = qty[j] as number;
    for (let i = 0; i < n; i++) fitted[i] = (fitted[i] as number) + c * (qj[i] as number);
  }
  const residuals = fitted.map((f, i) => (y[i] as number) - f);
  const rss = residuals.reduce((s, e) => s + e * e, 0);
  const df = n - p;
  const residualVariance = df > 0 ? rss / df : Number.NaN;
  const scaledCoefficients = new Array<number>(p).fill(0);
  for (let i = 0; i < p; i++) {
    let s = 0;
    for (let k = i; k < p; k++) s += ((rInv[i] as Float64Array)[k] as number) * (qty[k] as number);
    scaledCoefficients[i] = s;
  }
  const coefficients = scaledCoefficients.map((b, j) => b / (scales[j] as number));
  const covariance: number[][] = [];
  for (let i = 0; i < p; i++) {
    const row: number[] = [];
    const unscaled = unscaledCovariance[i] as Float64Array;
    for (let j = 0; j < p; j++) {
      row.push(
        (residualVariance * (unscaled[j] as number)) / ((scales[i] as number) * (scales[j] as number)),
      );
    }
    covariance.push(row);
  }
  const standardErrors = covariance.map((row, j) => Math.sqrt(row[j] as number));
  return {
    n,
    p,
    df,
    coefficients,
    standardErrors,
    covariance,
    fitted,
    residuals,
    residualSumOfSquares: rss,
    residualVariance,
  };
}
