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
  // the same doubles in typed arrays: the local fits read them n · span times
  const xs = Float64Array.from(x);
  const ys = Float64Array.from(y);
  const robustness = new Float64Array(n).fill(1);
  let fitted = new Array<number>(n).fill(0);
  // on the default abscissae every distance is a whole number of points (see forEachWindow)
  const unitSpacing = options.x === undefined;
  const kept = iterations > 0 && n * span <= MAX_KEPT_WEIGHTS ? windowsOf(xs, span, unitSpacing) : null;
  for (let iteration = 0; iteration <= iterations; iteration++) {
    fitted = localFits(xs, ys, span, robustness, unitSpacing, kept);
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

/**
 * The windows of the last few abscissae smoothed (small ones only: n · span up to 2^18): the detectors smooth
 * several metrics of a run against the same log-epochs (loss, accuracy and their validation twins), and the
 * weights depend on the abscissae and the span alone. Looked up by the whole content of x, so a hit is the
 * very numbers a fresh computation gives.
 */
const recentWindows: Array<{ x: Float64Array; span: number; unitSpacing: boolean; windows: KeptWindows }> =
  [];
const MAX_RECENT_WINDOWS = 4;
const MAX_SHARED_WEIGHTS = 1 << 18;

function windowsOf(x: Float64Array, span: number, unitSpacing: boolean): KeptWindows {
  const shared = x.length * span <= MAX_SHARED_WEIGHTS;
  if (shared) {
    const hit = recentWindows.find(
      (r) => r.span === span && r.unitSpacing === unitSpacing && sameValues(r.x, x),
    );
    if (hit !== undefined) return hit.windows;
  }
  const windows = keptWindows(x, span, unitSpacing);
  if (shared) {
    recentWindows.unshift({ x, span, unitSpacing, windows });
    if (recentWindows.length > MAX_RECENT_WINDOWS) recentWindows.pop();
  }
  return windows;
}

/** Same length and the same double at every index (Object.is: −0 is not +0). */
function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

function keptWindows(x: Float64Array, span: number, unitSpacing: boolean): KeptWindows {
  const n = x.length;
  const left = new Int32Array(n);
  const weights = new Float64Array(n * span);
  // one table per half-width: the windows at the two ends of the series have the same half-widths
  const tables = unitSpacing ? new Map<number, Float64Array>() : null;
  forEachWindow(x, span, unitSpacing, tables, (i, first, w) => {
    left[i] = first;
    weights.set(w, i * span);
  });
  return { left, weights };
}

/**
 * The span nearest neighbours of each x[i] in order of i: `visit(i, left, w)` with the window [left, left + span)
 * and its tricube distance weights w (a buffer overwritten for the next point). On the default abscissae,
 * `tables` keeps the weights by whole distance of every half-width met (at most span/2 + 1 of them).
 */
function forEachWindow(
  x: Float64Array,
  span: number,
  unitSpacing: boolean,
  tables: Map<number, Float64Array> | null,
  visit: (i: number, left: number, w: Float64Array) => void,
): void {
  const n = x.length;
  const w = new Float64Array(span);
  // x = 0 … n−1: away from the ends every window has the same half-width h, and its tricube weights by
  // whole distance are tabulated once (the same numbers as computed point by point)
  let table: Float64Array = new Float64Array(span + 1);
  let tableH = Number.NaN;
  let previousH = Number.NaN;
  let left = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i] as number;
    // Slide the window [left, left + span) to the span nearest neighbours of x[i].
    while (left + span < n && xi - (x[left] as number) > (x[left + span] as number) - xi) left++;
    const right = left + span - 1;
    const h = Math.max(xi - (x[left] as number), (x[right] as number) - xi);
    const tabulated = unitSpacing && (h === previousH || tables !== null);
    previousH = h;
    if (tabulated && h !== tableH) {
      const known = tables?.get(h);
      if (known === undefined) {
        if (tables !== null) table = new Float64Array(span + 1);
        for (let k = 0; k <= span; k++) table[k] = tricube(h > 0 ? k / h : 0);
        tables?.set(h, table);
      } else {
        table = known;
      }
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
  x: Float64Array,
  y: Float64Array,
  span: number,
  robustness: Float64Array,
  unitSpacing: boolean,
  kept: KeptWindows | null,
): number[] {
  const n = x.length;
  const out = new Array<number>(n).fill(0);
  const scratch = new Float64Array(span);
  if (kept === null) {
    forEachWindow(x, span, unitSpacing, null, (i, left, w) => {
      out[i] = fitPoint(x, y, robustness, scratch, w, -left, i, left, span);
    });
  } else {
    for (let i = 0; i < n; i++) {
      const left = kept.left[i] as number;
      out[i] = fitPoint(x, y, robustness, scratch, kept.weights, i * span - left, i, left, span);
    }
  }
  return out;
}

/**
 * The local line at x[i] on the window [left, left + span), whose tricube weight of point j is
 * w[offset + j]; `scratch` (span long) holds the weights times the robustness weights.
 */
function fitPoint(
  x: Float64Array,
  y: Float64Array,
  robustness: Float64Array,
  scratch: Float64Array,
  w: Float64Array,
  offset: number,
  i: number,
  left: number,
  span: number,
): number {
  const xi = x[i] as number;
  const right = left + span - 1;
  let sw = 0;
  let sx = 0;
  let sy = 0;
  for (let j = left; j <= right; j++) {
    const wr = (w[offset + j] as number) * (robustness[j] as number);
    scratch[j - left] = wr;
    sw += wr;
    sx += wr * (x[j] as number);
    sy += wr * (y[j] as number);
  }
  if (!(sw > 0)) return y[i] as number;
  const mx = sx / sw;
  const my = sy / sw;
  let sxx = 0;
  let sxy = 0;
  for (let j = left; j <= right; j++) {
    const wj = scratch[j - left] as number;
    const dx = (x[j] as number) - mx;
    sxx += wj * dx * dx;
    sxy += wj * dx * ((y[j] as number) - my);
  }
  // Weighted local line (the `weightedLinearRegression` step); a degenerate spread falls back to the mean.
  const range = (x[right] as number) - (x[left] as number);
  return sxx > 1e-12 * range * range * sw ? my + (sxy / sxx) * (xi - mx) : my;
}

/** Tricube weight of a distance in units of the window's half-width; lowess.f gives full weight inside 0.001 and none beyond 0.999. */
function tricube(d: number): number {
  return d <= 0.001 ? 1 : d >= 0.999 ? 0 : (1 - d * d * d) ** 3;
}
