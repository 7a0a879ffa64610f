/**
 * Descriptive evidence for alternation: robust noise scales, zigzag runs and the "k of m successive changes
 * alternate" count. These are for evidence text and effect sizes, not tests: statistics.md B2 rejects sign
 * counts against p = ½ as a test, because iid noise already alternates direction 2/3 of the time.
 */
import { medianAbsoluteDeviation } from 'simple-statistics';

/** Consistency constant turning a MAD into a normal standard deviation (1/Φ⁻¹(3/4); statistics.md B2). */
export const MAD_TO_SD = 1.4826;

/**
 * Probability that two successive changes of iid continuous noise have opposite signs (a turning point):
 * 2/3 (Bienaymé / Kendall; statistics.md B2, turning-point row).
 */
export const NOISE_ALTERNATION_FRACTION = 2 / 3;

/** Which index parity (t = 0, 2, 4, … or 1, 3, 5, …) sits high. Index 0 is the first value passed in. */
export type IndexParity = 'even-index' | 'odd-index';

/**
 * Robust standard deviation 1.4826 · MAD (statistics.md B2 "Effect size": σ̂ of the alternation-model residuals).
 * NaN for an empty array.
 */
export function robustScale(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  return MAD_TO_SD * medianAbsoluteDeviation(values);
}

/**
 * Noise scale from first differences: 1.4826 · MAD(Δy) / √2 (for iid noise Var(Δe) = 2σ²). Cheap and trend-free,
 * but an alternation inflates it (every difference carries ±2A), so prefer {@link robustScale} of the
 * alternation-model residuals (what `testAlternation` reports) when a swing may be present. NaN below 2 points.
 */
export function differenceScale(values: readonly number[]): number {
  if (values.length < 2) return Number.NaN;
  return robustScale(differences(values)) / Math.SQRT2;
}

function differences(values: readonly number[]): number[] {
  const out: number[] = [];
  for (let t = 1; t < values.length; t++) out.push((values[t] as number) - (values[t - 1] as number));
  return out;
}

/** Signs of the successive changes y[t+1] − y[t] (length n − 1), e.g. for a `+−+−` pattern in evidence. */
export function differenceSigns(values: readonly number[]): (-1 | 0 | 1)[] {
  return differences(values).map((d) => (d > 0 ? 1 : d < 0 ? -1 : 0));
}

/** Result of {@link alternatingChanges}. */
export interface AlternatingChanges {
  /** Pairs of successive non-zero changes with opposite signs. */
  k: number;
  /** Pairs of successive non-zero changes considered. */
  m: number;
  /** k / m (NaN when m = 0). */
  fraction: number;
  /** What iid noise gives: 2/3. */
  expectedFraction: number;
}

/**
 * Counts how many successive changes alternate in sign ("k of m changes alternate; ≈ 67 % expected from
 * noise", statistics.md B3 step 7). Pairs with a zero change are skipped.
 */
export function alternatingChanges(values: readonly number[]): AlternatingChanges {
  const signs = differenceSigns(values);
  let k = 0;
  let m = 0;
  for (let t = 1; t < signs.length; t++) {
    const a = signs[t - 1] as number;
    const b = signs[t] as number;
    if (a === 0 || b === 0) continue;
    m++;
    if (a !== b) k++;
  }
  return { k, m, fraction: m > 0 ? k / m : Number.NaN, expectedFraction: NOISE_ALTERNATION_FRACTION };
}

/** Result of {@link longestAlternatingRun}: points start..end (inclusive, 0-based) zigzag with one phase. */
export interface AlternatingRun {
  start: number;
  end: number;
  /** Number of points in the run (end − start + 1). */
  length: number;
  /** The parity that is high throughout the run. */
  high: IndexParity;
}

/** Options for {@link longestAlternatingRun}. */
export interface AlternatingRunOptions {
  /** Only count runs with this parity high (e.g. the phase `testAlternation` found). */
  high?: IndexParity;
  /** Parity of the first value (for a window cut from a longer series); default 0. */
  indexOffset?: number;
}

/**
 * Longest stretch of consecutive points that keep one alternation phase: every point of one parity is above
 * both neighbours, every point of the other parity below. Ties in length go to the later run (the recent part
 * of a training log matters more). Null when no two successive values differ.
 */
export function longestAlternatingRun(
  values: readonly number[],
  options: AlternatingRunOptions = {},
): AlternatingRun | null {
  const offset = options.indexOffset ?? 0;
  const signs = differenceSigns(values);
  let best: AlternatingRun | null = null;
  let runStart = 0;
  let runPhase = 0;
  for (let t = 0; t <= signs.length; t++) {
    // phase −1: the change out of an even index is downward (even high); +1: odd high.
    const parity = (t + offset) % 2 === 0 ? 1 : -1;
    const phase = t < signs.length ? (signs[t] as number) * parity : 0;
    if (phase !== runPhase || phase === 0) {
      if (runPhase !== 0) {
        const high: IndexParity = runPhase < 0 ? 'even-index' : 'odd-index';
        const length = t - runStart + 1;
        if (
          (options.high === undefined || options.high === high) &&
          (best === null || length >= best.length)
        ) {
          best = { start: runStart, end: t, length, high };
        }
      }
      runStart = t;
      runPhase = phase;
    }
  }
  return best;
}
