/**
 * Results several detectors compute on the same series of the same run (the alternation test and the period
 * scan of `val_loss` are asked by val-alternation, val-periodic, val-instability and train-oscillation),
 * computed once per run. Keyed by the run object, which nothing mutates while it is linted, so the cache goes
 * with the run.
 */
import {
  testAlternation,
  testPeriodic,
  type AlternationResult,
  type InsufficientResult,
  type PeriodicInsufficientResult,
  type PeriodicScanResult,
} from '../stats/index.js';

const cache = new WeakMap<object, Map<string, unknown>>();

/** `compute()` once per run and key. */
export function memoized<T>(run: object, key: string, compute: () => T): T {
  let byKey = cache.get(run);
  if (byKey === undefined) {
    byKey = new Map();
    cache.set(run, byKey);
  }
  if (byKey.has(key)) return byKey.get(key) as T;
  const value = compute();
  byKey.set(key, value);
  return value;
}

/** testAlternation of a run's series (the key names the series: metric, transformation, length). */
export function alternationOf(
  run: object,
  key: string,
  values: readonly number[],
): AlternationResult | InsufficientResult {
  return memoized(run, `alternation ${key}`, () => testAlternation(values));
}

/** testPeriodic over the periods 3 … top of a run's series. */
export function periodicOf(
  run: object,
  key: string,
  values: readonly number[],
  top: number,
): PeriodicScanResult | PeriodicInsufficientResult {
  return memoized(run, `periodic ${key} ${top}`, () => {
    const periods: number[] = [];
    for (let p = 3; p <= top; p += 1) periods.push(p);
    return testPeriodic(values, { periods });
  });
}
