import { z } from 'zod';
import { findRole } from '../../model/index.js';
import { mannKendall, theilSen } from '../../stats/index.js';
import { defineDetector, stat } from '../define-detector.js';
import { finiteSeries, metricNames, round, thin } from '../series.js';

/** The numbers of an overfitting finding. */
export const OverfittingStats = z.object({
  bestEpoch: stat(),
  best: stat(),
  last: stat(),
  rise: stat(),
  p: stat(),
  tau: stat(),
  trainSlope: stat(),
  epochsSinceBest: stat(),
});

export default defineDetector({
  id: 'overfitting',
  title: 'Validation loss rises while training loss falls',
  defaultSeverity: 'warning',
  requires: ['val', 'train'],
  kind: 'overfitting',
  startsDiagnosis: false,
  stats: OverfittingStats,
  options: z
    .object({
      /** Epochs from the best validation loss to the end, the best included. */
      minEpochs: z.number().int().min(4).default(5),
      /** Mann–Kendall p for "validation loss trends up after its best". */
      alpha: z.number().gt(0).lt(1).default(0.05),
      /** The last value must exceed the best by this fraction. */
      minRise: z.number().min(0).default(0.05),
    })
    .strict(),
  docs: {
    what: 'Takes the stretch from the epoch of the lowest validation loss to the end of the run (at least 5 epochs). Fires when a Mann–Kendall test finds an upward trend in the validation loss over the epochs after the best (p < 0.05, positive Theil–Sen slope), the loss ends at least 5 % above its best, and the training loss falls over the same stretch (negative Theil–Sen slope). A single bad epoch is not a trend.',
    why: 'Training loss falling while validation loss climbs means the model is fitting the training set at the expense of generalisation. Keep the weights of the best epoch (ModelCheckpoint save_best_only, EarlyStopping restore_best_weights), and add data, augmentation or regularisation.',
    example: 'val_loss 0.2140 (epoch 2), 0.2351, 0.2480, 0.3150, 0.2790, 0.2850 while loss 0.180 → 0.047',
  },
  messages: {
    overfitting:
      '{metric} rose from its best {best} at epoch {bestEpoch} to {last} ({rise} higher, trend p = {p}) while {trainMetric} kept falling',
    next: "keep the weights of epoch {bestEpoch}: ModelCheckpoint(monitor='{metric}', save_best_only=True) or EarlyStopping(monitor='{metric}', patience={patience}, restore_best_weights=True); then add data or augmentation, or regularise (dropout, weight decay, a smaller model)",
  },
  detect(run, { options, ignoreMetrics }) {
    const names = metricNames(run).filter((n) => !ignoreMetrics.has(n));
    const valMetric = findRole(names, 'val_loss');
    const trainMetric = findRole(names, 'loss');
    if (valMetric === null || trainMetric === null) return [];
    const val = finiteSeries(run, valMetric);
    if (val.values.length < options.minEpochs) return [];
    let bestIndex = 0;
    val.values.forEach((v, i) => {
      if (v < (val.values[bestIndex] ?? Number.POSITIVE_INFINITY)) bestIndex = i;
    });
    const stretch = val.values.slice(bestIndex);
    if (stretch.length < options.minEpochs) return [];
    const best = val.values[bestIndex] ?? 0;
    const last = stretch.at(-1) ?? best;
    const rise = best > 0 ? (last - best) / best : last - best;
    // the trend is tested on the epochs AFTER the best: starting a window at its own minimum would make
    // any flat noise look like a rise (selection bias)
    const after = thin(stretch.slice(1));
    const trend = mannKendall(after);
    const slope = theilSen(after).slope;
    if (!(trend.p < options.alpha && trend.tau > 0 && slope > 0 && rise >= options.minRise)) return [];
    const bestEpoch = val.epochs[bestIndex] ?? 1;
    const train = finiteSeries(run, trainMetric);
    const from = train.epochs.indexOf(bestEpoch);
    const trainStretch = from >= 0 ? train.values.slice(from) : [];
    if (trainStretch.length < 3) return [];
    const trainSlope = theilSen(thin(trainStretch)).slope;
    if (!(trainSlope < 0)) return [];
    const lastEpoch = val.epochs.at(-1) ?? bestEpoch;
    return [
      {
        metric: valMetric,
        epochs: [bestEpoch, lastEpoch],
        line: val.lines[bestIndex] ?? null,
        stats: {
          bestEpoch,
          best: round(best),
          last: round(last),
          rise: round(rise, 3),
          p: trend.p,
          tau: round(trend.tau, 3),
          trainSlope: round(trainSlope),
          epochsSinceBest: stretch.length - 1,
        },
        evidence: { epochs: val.epochs.slice(bestIndex), values: stretch, trainValues: trainStretch },
        messageId: 'overfitting',
        data: {
          metric: valMetric,
          best: round(best),
          bestEpoch,
          last: round(last),
          rise: `${round(rise * 100, 3)} %`,
          p: round(trend.p, 3),
          trainMetric,
        },
        next: {
          messageId: 'next',
          data: { bestEpoch, metric: valMetric, patience: Math.max(3, Math.min(10, stretch.length - 1)) },
        },
      },
    ];
  },
});
