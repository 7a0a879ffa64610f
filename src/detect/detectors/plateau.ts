import { z } from 'zod';
import { findRole, metricDirection } from '../../model/index.js';
import { defineDetector, stat } from '../define-detector.js';
import { finiteSeries, metricNames, round } from '../series.js';

/** The numbers of a plateau finding. */
export const PlateauStats = z.object({
  best: stat(),
  bestEpoch: stat(),
  epochsSinceBest: stat(),
  lrChanges: stat(),
});

export default defineDetector({
  id: 'plateau',
  title: 'No improvement for a sustained stretch',
  defaultSeverity: 'info',
  requires: [],
  kind: 'plateau',
  startsDiagnosis: false,
  stats: PlateauStats,
  options: z
    .object({
      /** Epochs without a new best at the end of the run. */
      patience: z.number().int().min(2).default(10),
      /** A new best must beat the old one by this fraction of the metric's range over the run. */
      minDelta: z.number().min(0).default(0.01),
    })
    .strict(),
  docs: {
    what: 'Fires when the monitored metric (`val_loss`, or `loss` without validation) has not reached a new best for the last `patience` (default 10) epochs, where a new best must beat the old by 1 % of the range the metric covered. It is a warning when the learning rate was reduced during the plateau and that did not help, information otherwise.',
    why: 'Epochs after the last improvement cost time and, with a rising validation loss, quality. A plateau that survives learning-rate reductions points to capacity, data or a bug (frozen layers, a wrong loss) rather than the optimiser settings.',
    example:
      'val_loss 0.5261, 0.5166, 0.5244, 0.5227, 0.5185 ... with "ReduceLROnPlateau reducing learning rate" in between',
  },
  messages: {
    plateau: 'no new best {metric} for the last {since} epochs (best {best} at epoch {bestEpoch})',
    plateauAfterLr:
      'no new best {metric} for the last {since} epochs (best {best} at epoch {bestEpoch}), although the learning rate was changed {changes} time(s) since',
    nextSchedule:
      "the schedule: lower the learning rate when {metric} stalls (ReduceLROnPlateau(monitor='{metric}', factor=0.5, patience={patience})) or stop there (EarlyStopping(patience={patience}, restore_best_weights=True)); the epochs after {bestEpoch} bought nothing",
    nextCapacity:
      'learning-rate reductions did not help: stop at epoch {bestEpoch} (EarlyStopping with restore_best_weights=True) and look at capacity and data (a larger model, more or cleaner data, frozen layers that should train)',
  },
  detect(run, { options, context, ignoreMetrics }) {
    const names = metricNames(run).filter((n) => !ignoreMetrics.has(n));
    const metric = findRole(names, 'val_loss') ?? findRole(names, 'loss');
    if (metric === null) return [];
    const s = finiteSeries(run, metric);
    if (s.values.length <= options.patience) return [];
    const lower = (metricDirection(metric) ?? 'lower') === 'lower';
    const range =
      s.values.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY) -
      s.values.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
    const delta = range * options.minDelta;
    let best = s.values[0] ?? 0;
    let bestIndex = 0;
    for (let i = 1; i < s.values.length; i += 1) {
      const v = s.values[i] ?? 0;
      if (lower ? v < best - delta : v > best + delta) {
        best = v;
        bestIndex = i;
      }
    }
    const since = s.values.length - 1 - bestIndex;
    if (since < options.patience) return [];
    const bestEpoch = s.epochs[bestIndex] ?? 1;
    const lastEpoch = s.epochs.at(-1) ?? bestEpoch;
    const changes = context.lrChanges.filter((e) => e > bestEpoch && e <= lastEpoch).length;
    return [
      {
        severity: changes > 0 ? 'warning' : 'info',
        metric,
        epochs: [bestEpoch, lastEpoch],
        line: s.lines[bestIndex] ?? null,
        stats: { best: round(best), bestEpoch, epochsSinceBest: since, lrChanges: changes },
        evidence: { epochs: s.epochs.slice(bestIndex), values: s.values.slice(bestIndex) },
        messageId: changes > 0 ? 'plateauAfterLr' : 'plateau',
        data: { metric, since, best: round(best), bestEpoch, changes },
        next: {
          messageId: changes > 0 ? 'nextCapacity' : 'nextSchedule',
          data: { metric, bestEpoch, patience: Math.max(2, Math.floor(options.patience / 2)) },
        },
      },
    ];
  },
});
