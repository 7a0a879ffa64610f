/**
 * Is a series periodic? The same tests as `val-alternation` and `val-periodic` (trend + (−1)^t regression;
 * harmonic F-tests for periods 3+), used by the detectors of irregular instability to leave a periodic swing
 * to those detectors: a sawtooth is not an irregular spike train.
 */
import { PERIODIC_MIN_CYCLES, PERIODIC_MIN_POINTS } from '../stats/index.js';
import { alternationOf, periodicOf } from './memo.js';

/** Longest period scanned (val-periodic's default). */
const MAX_PERIOD = 20;

/**
 * The period of a run's series: 2 for an alternation at p < `alternationAlpha` (0.01, the warning level of
 * val-alternation), or a period 3+ at adjusted p < 0.001 with its phase in both halves; null otherwise.
 * `key` names the series (metric, transformation, length): the tests are shared with the other detectors.
 */
export function periodOfRun(
  run: object,
  key: string,
  values: readonly number[],
  alternationAlpha = 0.01,
): number | null {
  const alternation = alternationOf(run, key, values);
  if (alternation.status === 'tested' && alternation.p < alternationAlpha && alternation.halves.consistent)
    return 2;
  if (values.length < PERIODIC_MIN_POINTS) return null;
  const top = Math.min(MAX_PERIOD, Math.floor(values.length / PERIODIC_MIN_CYCLES));
  if (top < 3) return null;
  const scan = periodicOf(run, key, values, top);
  if (scan.status !== 'tested' || scan.best === null) return null;
  return scan.best.pAdjusted < 0.001 && scan.best.halves.consistent ? scan.best.period : null;
}
