/**
 * Is a series periodic? The same tests as `val-alternation` and `val-periodic` (trend + (−1)^t regression;
 * harmonic F-tests for periods 3+), used by the detectors of irregular instability to leave a periodic swing
 * to those detectors: a sawtooth is not an irregular spike train.
 */
import { PERIODIC_MIN_CYCLES, PERIODIC_MIN_POINTS, testAlternation, testPeriodic } from '../stats/index.js';

/** Alternation at p < 0.01 (the warning level of val-alternation) or a period 3+ at adjusted p < 0.001. */
export function periodOf(values: readonly number[], maxPeriod = 20): number | null {
  const alternation = testAlternation(values);
  if (alternation.status === 'tested' && alternation.p < 0.01 && alternation.halves.consistent) return 2;
  if (values.length < PERIODIC_MIN_POINTS) return null;
  const top = Math.min(maxPeriod, Math.floor(values.length / PERIODIC_MIN_CYCLES));
  const periods: number[] = [];
  for (let p = 3; p <= top; p += 1) periods.push(p);
  if (periods.length === 0) return null;
  const scan = testPeriodic(values, { periods });
  if (scan.status !== 'tested' || scan.best === null) return null;
  return scan.best.pAdjusted < 0.001 && scan.best.halves.consistent ? scan.best.period : null;
}
