/** `parse --metric` and `--ignore-metric`: the metrics a run's records keep. */
import type { Run } from '../model/index.js';
import { nameSeries } from '../parse/bare-list.js';

/** `--metric` names a bare list's series and keeps only the named metrics; `--ignore-metric` drops some. */
export function selectMetrics(run: Run, metrics: readonly string[], ignore: readonly string[]): Run {
  const named = metrics[0] === undefined ? run : nameSeries(run, metrics[0]);
  if (metrics.length === 0 && ignore.length === 0) return named;
  const keep = (name: string): boolean =>
    !ignore.includes(name) &&
    (metrics.length === 0 || metrics.some((m) => name === m || name.startsWith(`${m}[`)));
  return {
    ...named,
    epochs: named.epochs.map((e) => ({
      ...e,
      metrics: Object.fromEntries(Object.entries(e.metrics).filter(([k]) => keep(k))),
    })),
  };
}
