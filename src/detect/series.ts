/** Turning a run into the numeric series detectors test. */
import type { Run, RunContext } from '../model/index.js';
import { isValidationName } from '../model/index.js';
import { memoized } from './memo.js';

/** One metric over the epochs that printed it. */
export interface Series {
  metric: string;
  epochs: number[];
  values: number[];
  lines: number[];
}

/**
 * The metric over the epochs where it is finite (non-finite values are the NaN rule's business). Read once
 * per run and metric (several detectors ask for the same series); each caller gets its own arrays.
 */
export function finiteSeries(run: Run, metric: string): Series {
  const read = memoized(run, `finite series ${metric}`, () => {
    const out: Series = { metric, epochs: [], values: [], lines: [] };
    for (const e of run.epochs) {
      const v = e.metrics[metric];
      if (v === undefined || !Number.isFinite(v)) continue;
      out.epochs.push(e.epoch);
      out.values.push(v);
      out.lines.push(e.line);
    }
    return out;
  });
  return { metric, epochs: [...read.epochs], values: [...read.values], lines: [...read.lines] };
}

/** Every metric name of the run, in first-seen order (read once per run; each caller gets its own array). */
export function metricNames(run: Run): string[] {
  const names = memoized(run, 'metric names', () => {
    const seen = new Set<string>();
    for (const e of run.epochs) for (const k of Object.keys(e.metrics)) seen.add(k);
    return [...seen];
  });
  return [...names];
}

/** Validation metrics (excluding `val_lr` style columns), minus the ignored ones. */
export function validationMetrics(run: Run, ignore: ReadonlySet<string>): string[] {
  return metricNames(run).filter((n) => isValidationName(n) && !ignore.has(n));
}

/** Rounds for stats and messages: 4 significant digits, keeping tiny p-values readable. */
export function round(value: number, digits = 4): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(digits));
}

/** Longest series the period tests look at: the most recent epochs of a very long run (cost stays bounded). */
export const MAX_TESTED_POINTS = 1000;

/** The last `max` points of a series (the recent part of a long run matters most). */
export function recent(series: Series, max: number = MAX_TESTED_POINTS): Series {
  if (series.values.length <= max) return series;
  const from = series.values.length - max;
  return {
    metric: series.metric,
    epochs: series.epochs.slice(from),
    values: series.values.slice(from),
    lines: series.lines.slice(from),
  };
}

/** Every k-th value so that at most `max` remain (for O(n²) rank statistics on long stretches). */
export function thin(values: readonly number[], max: number = MAX_TESTED_POINTS): number[] {
  if (values.length <= max) return [...values];
  const stride = Math.ceil(values.length / max);
  return values.filter((_, i) => i % stride === 0);
}

/**
 * The number of validation samples behind the accuracy of each epoch: the count read from the accuracy's
 * own digits (context.valCounts) where it is known, else the validation set size from the log or flags.
 * Null per epoch when neither is known.
 */
export function evaluatedCounts(
  context: RunContext,
  metric: string,
  epochs: readonly number[],
): { counts: Array<number | null>; source: 'digits' | 'log' | 'flag' | 'derived' | 'code' | null } {
  const inferred = context.valCounts;
  if (
    inferred !== null &&
    inferred.metric === metric &&
    (inferred.pattern === 'constant' || inferred.pattern === 'cycle')
  ) {
    const byEpoch = new Map(inferred.epochs.map((e) => [e.epoch, e.count]));
    const counts = epochs.map((e) => {
      const known = byEpoch.get(e);
      if (known !== undefined) return known;
      if (inferred.pattern === 'constant') return inferred.counts[0] ?? null;
      const first = inferred.firstEpoch ?? 1;
      const period = inferred.period ?? 1;
      return inferred.counts[(((e - first) % period) + period) % period] ?? null;
    });
    return { counts, source: 'digits' };
  }
  const size = context.valSamples;
  return { counts: epochs.map(() => size?.value ?? null), source: size?.source ?? null };
}
