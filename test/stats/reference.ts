/**
 * The straightforward versions of computations that src/stats does faster (the dense loops, the point-by-point
 * weights): tests check that the fast ones give the very same numbers, bit for bit.
 */
import type { QrDecomposition } from '../../src/stats/least-squares.js';

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
