/**
 * Robust LOWESS (Cleveland 1979; netlib `lowess.f`, R `stats::lowess`): at each point a local linear fit on the
 * ⌈frac·n⌉ nearest points with tricube distance weights, then bisquare robustness iterations with cutoff
 * 6 · median|residual|. Used to detrend for the rank confirmation test; statistics.md B2 rules out running
 * medians for that job, because a median of any odd width reproduces a pure alternation.
 */
import { median } from 'simple-statistics';

/** Defaults from statistics.md B3 step 4 / Appendix S: frac 0.4 (B3: 0.3–0.5), 2 robustness iterations. */
export const LOWESS_DEFAULTS = { frac: 0.4, iterations: 2 } as const;

/**
 * Most tricube weights (n · span) kept from the first fit for the robustness iterations, which reuse them (the
 * windows and distances do not change, only the robustness weights): 8 MB. A longer series computes them anew
 * for each fit, as every series once did; the numbers are the same either way.
 */
const MAX_KEPT_WEIGHTS = 1 << 20;

/** Options for {@link lowess}. */
export interface LowessOptions {
  /** Fraction of the points in each local fit; default 0.4. */
  frac?: number;
  /** Bisquare robustness iterations after the first fit; default 2. */
  iterations?: number;
  /** Abscissae, sorted ascending; default 0..n−1. */
  x?: readonly number[];
}

/**
 * Smooths y with robust LOWESS and returns the fitted values (same length as y).
 * Series of fewer than 3 points are returned as they are.
 */
export function lowess(y: readonly number[], options: LowessOptions = {}): number[] {
  const n = y.length;
  const frac = options.frac ?? LOWESS_DEFAULTS.frac;
  const iterations = options.iterations ?? LOWESS_DEFAULTS.iterations;
  const x = options.x ?? Array.from({ length: n }, (_, i) => i);
  if (x.length !== n) throw new RangeError(`x has ${x.length} values but y has ${n}`);
  if (n < 3) return [...y];
  const span = Math.min(n, Math.max(2, Math.ceil(frac * n)));
  const robustness = new Array<number>(n).fill(1);
  let fitted = new Array<number>(n).fill(0);
  // on the default abscissae every distance is a whole number of points (see forEachWindow)
  const unitSpacing = options.x === undefined;
  const kept = iterations > 0 && n * span <= MAX_KEPT_WEIGHTS ? keptWindows(x, span, unitSpacing) : null;
  for (let iteration = 0; iteration <= iterations; iteration++) {
    fitted = localFits(x, y, span, robustness, unitSpacing, kept);
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

/** The window of every point (its first index) and its tricube weights, row i at i · span. */
interface KeptWindows {
  left: Int32Array;
  weights: Float64Array;
}

function keptWindows(x: readonly number[], span: number, unitSpacing: boolean): KeptWindows {
  const n = x.length;
  const left = new Int32Array(n);
  const weights = new Float64Array(n * span);
  forEachWindow(x, span, unitSpacing, (i, first, w) => {
    left[i] = first;
    weights.set(w, i * span);
  });
  return { left, weights };
}

/**
 * The span nearest neighbours of each x[i] in order of i: `visit(i, left, w)` with the window [left, left + span)
 * and its tricube distance weights w (a buffer overwritten for the next point).
 */
function forEachWindow(
  x: readonly number[],
  span: number,
  unitSpacing: boolean,
  visit: (i: number, left: number, w: Float64Array) => void,
): void {
  const n = x.length;
  const w = new Float64Array(span);
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
    const tabulated = unitSpacing && h === previousH;
    previousH = h;
    if (tabulated && h !== tableH) {
      for (let k = 0; k <= span; k++) table[k] = tricube(h > 0 ? k / h : 0);
      tableH = h;
    }
    for (let j = left; j <= right; j++) {
      w[j - left] = tabulated
        ? (table[Math.abs(j - i)] as number)
        : tricube(h > 0 ? Math.abs((x[j] as number) - xi) / h : 0);
    }
    visit(i, left, w);
  }
}

function localFits(
  x: readonly number[],
  y: readonly number[],
  span: number,
  robustness: readonly number[],
  unitSpacing: boolean,
  kept: KeptWindows | null,
): number[] {
  const n = x.length;
  const out = new Array<number>(n).fill(0);
  const weights = new Float64Array(span);
  const fit = (i: number, left: number, w: Float64Array, offset: number): void => {
    const xi = x[i] as number;
    const right = left + span - 1;
    let sw = 0;
    let sx = 0;
    let sy = 0;
    for (let j = left; j <= right; j++) {
      const wr = (w[offset + j - left] as number) * (robustness[j] as number);
      weights[j - left] = wr;
      sw += wr;
      sx += wr * (x[j] as number);
      sy += wr * (y[j] as number);
    }
    if (!(sw > 0)) {
      out[i] = y[i] as number;
      return;
    }
    const mx = sx / sw;
    const my = sy / sw;
    let sxx = 0;
    let sxy = 0;
    for (let j = left; j <= right; j++) {
      const wj = weights[j - left] as number;
      const dx = (x[j] as number) - mx;
      sxx += wj * dx * dx;
      sxy += wj * dx * ((y[j] as number) - my);
    }
    // Weighted local line (the `weightedLinearRegression` step); a degenerate spread falls back to the mean.
    const range = (x[right] as number) - (x[left] as number);
    out[i] = sxx > 1e-12 * range * range * sw ? my + (sxy / sxx) * (xi - mx) : my;
  };
  if (kept === null) forEachWindow(x, span, unitSpacing, (i, left, w) => fit(i, left, w, 0));
  else for (let i = 0; i < n; i++) fit(i, kept.left[i] as number, kept.weights, i * span);
  return out;
}

/** Tricube weight of a distance in units of the window's half-width; lowess.f gives full weight inside 0.001 and none beyond 0.999. */
function tricube(d: number): number {
  return d <= 0.001 ? 1 : d >= 0.999 ? 0 : (1 - d * d * d) ** 3;
}
