/**
 * Residuals of a curve around its robust trend, shared by the detectors of irregular instability: a robust
 * LOWESS trend (bisquare iterations keep a spike from pulling the trend toward it; statistics.md B2) and
 * the residual scale 1.4826·MAD, which describes the typical epoch, not the spikes.
 */
import { lowess, normalQuantile, robustScale } from '../stats/index.js';

/** A detrended curve. */
export interface Detrended {
  /** The values tested: log(value) for a positive loss (a swing is multiplicative), the value otherwise. */
  y: number[];
  trend: number[];
  residuals: number[];
  /** 1.4826·MAD of the residuals. */
  scale: number;
  log: boolean;
  /**
   * sqrt(1 + 2 / span): a residual around an estimated trend carries the trend's own error too (a local line
   * on `span` points has about 2/span of the noise variance), so an allowance in noise units is scaled by it.
   */
  trendError: number;
}

/** LOWESS span of the trend: statistics.md B3 step 4 (0.3–0.5) ... */
const TREND_FRAC = 0.4;
/** ... but at most this many points: a spike is judged against its neighbourhood, and the cost stays linear on long runs. */
const MAX_SPAN = 61;

/**
 * Detrends a curve; `log` takes logarithms of the values first when every value is positive. The trend is
 * fitted against log(epoch): learning curves change fastest in the first epochs, and on a linear time axis a
 * local fit that spans them (a 40 % span) cannot follow the first steep epochs and leaves them as residuals.
 */
export function detrend(values: readonly number[], log: boolean, epochs?: readonly number[]): Detrended {
  const useLog = log && values.every((v) => v > 0);
  const y = useLog ? values.map(Math.log) : [...values];
  const x = (epochs ?? values.map((_, i) => i + 1)).map((e) => Math.log(Math.max(1, e)));
  const frac = Math.min(TREND_FRAC, MAX_SPAN / Math.max(1, y.length));
  const trend = lowess(y, { frac, iterations: 2, x });
  const residuals = y.map((v, i) => v - (trend[i] ?? v));
  const span = Math.max(3, Math.ceil(frac * y.length));
  return {
    y,
    trend,
    residuals,
    scale: robustScale(residuals),
    log: useLog,
    trendError: Math.sqrt(1 + 2 / span),
  };
}

/**
 * The two-sided normal quantile that a residual must pass to be extreme among n at family-wise level alpha
 * (Bonferroni: alpha / n per epoch). n = 40, alpha = 0.001 → 4.06.
 */
export function extremeZ(n: number, alpha: number): number {
  return normalQuantile(1 - alpha / (2 * Math.max(1, n)));
}
