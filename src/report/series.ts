/**
 * The chart data of a report: each run's curves taken from its records, so that every reporter can draw
 * them from the report alone.
 */
import { findRole, type Event, type FileReport, type Run, type RunSeries } from '../model/index.js';

function isLearningRateEvent(event: Event): boolean {
  return event.kind === 'lr-reduced' || event.kind === 'lr-scheduled';
}

/**
 * The curves of one run. Learning-rate changes come from the callback events when the log has them;
 * otherwise from a change of the logged rate, at the first epoch with the new value (so one reduction is
 * one change, not two).
 */
export function runSeries(run: Run): RunSeries {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const epoch of run.epochs) {
    for (const name of Object.keys(epoch.metrics)) {
      if (!seen.has(name)) {
        seen.add(name);
        names.push(name);
      }
    }
  }
  const metrics: Record<string, Array<number | null>> = {};
  for (const name of names) metrics[name] = run.epochs.map((epoch) => epoch.metrics[name] ?? null);

  const lrEvents = run.events.filter(isLearningRateEvent);
  const lrChanges: number[] = [];
  if (lrEvents.length > 0) {
    for (const event of lrEvents) if (event.epoch !== null) lrChanges.push(event.epoch);
  } else {
    const lr = findRole(names, 'lr');
    if (lr !== null) {
      let previous: number | undefined;
      for (const epoch of run.epochs) {
        const value = epoch.metrics[lr];
        if (value === undefined || !Number.isFinite(value)) continue;
        if (previous !== undefined && value !== previous) lrChanges.push(epoch.epoch);
        previous = value;
      }
    }
  }
  const checkpoints = run.events
    .filter((event) => event.kind === 'checkpoint-improved')
    .map((event) => event.epoch)
    .filter((epoch): epoch is number => epoch !== null);
  return {
    epochs: run.epochs.map((epoch) => epoch.epoch),
    metrics,
    lrChanges: [...new Set(lrChanges)].sort((a, b) => a - b),
    checkpoints: [...new Set(checkpoints)].sort((a, b) => a - b),
  };
}

/** The file report with each run's curves attached (runs are matched by index). */
export function attachSeries(file: FileReport, runs: readonly Run[]): FileReport {
  const byIndex = new Map(runs.map((run) => [run.index, run]));
  return {
    ...file,
    runs: file.runs.map((summary) => {
      const run = byIndex.get(summary.index);
      return run === undefined ? summary : { ...summary, series: runSeries(run) };
    }),
  };
}
