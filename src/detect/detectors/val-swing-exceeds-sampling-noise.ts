import { median } from 'simple-statistics';
import { z } from 'zod';
import { findRole } from '../../model/index.js';
import { accuracyChangeTest, type AccuracyChange } from '../../stats/index.js';
import { defineDetector, stat } from '../define-detector.js';
import { evaluatedCounts, finiteSeries, metricNames, round } from '../series.js';

/** The numbers of a swing finding. */
export const SwingStats = z.object({
  /** Validation samples behind a typical epoch (the median count). */
  valSamples: stat(),
  /** Where the count comes from: the accuracy's own digits, the log, a flag, code or arithmetic. */
  valSamplesSource: z.string().nullable(),
  medianAbsChange: stat(),
  binomialSE: stat(),
  ratio: stat(),
  medianAbsZ: stat(),
  p: stat(),
  significantChanges: stat(),
  changes: stat(),
});

export default defineDetector({
  id: 'val-swing-exceeds-sampling-noise',
  title: 'Validation accuracy moves more than its sampling noise',
  defaultSeverity: 'warning',
  requires: ['val-accuracy'],
  kind: 'irregular',
  startsDiagnosis: true,
  stats: SwingStats,
  options: z
    .object({
      /** The median epoch-to-epoch change must be this many sampling standard errors. */
      minMedianZ: z.number().positive().default(4),
      minEpochs: z.number().int().min(3).default(4),
    })
    .strict(),
  docs: {
    what: 'Compares each epoch-to-epoch change of the validation accuracy with the binomial noise of accuracies measured on N1 and N2 validation samples: a two-proportion z per change. The counts are read from the accuracy values themselves when their digits allow it (Keras accumulates accuracy as k / n in float32, so CSVLogger and history JSON values, and four-decimal console values over many epochs, give n away), otherwise N comes from `Found N images`, `validate on N samples`, `Using N files for validation` or `--val-samples`. Fires when the median |z| is at least 4. Without any count it stays quiet.',
    why: 'On N samples an accuracy near p can only wobble by about sqrt(p(1−p)/N) from sampling. Swings many times larger are not noise of the set: either the model really changes that much between epochs (a learning rate too high), or what is evaluated changes (a rotating or random validation subset, augmentation at evaluation, a different half of a class-sorted set).',
    example:
      'Found 10401 images ... val_acc: 0.9548, 0.6604, 0.9558 — a 29-point swing where the sampling error of a change is 0.6 points',
  },
  messages: {
    swing:
      '{metric} changes by a median {change} between epochs, {ratio}× the sampling error {se} of a change on {samples} validation samples',
    next: 'swings this far above sampling noise come from the model or from what is evaluated, not from the size of the set: see the ranked causes',
  },
  detect(run, { options, context, ignoreMetrics }) {
    const metric = findRole(
      metricNames(run).filter((n) => !ignoreMetrics.has(n)),
      'val_accuracy',
    );
    if (metric === null) return [];
    const s = finiteSeries(run, metric);
    if (s.values.length < options.minEpochs || s.values.some((v) => v < 0 || v > 1)) return [];
    const { counts, source } = evaluatedCounts(context, metric, s.epochs);
    const changes: AccuracyChange[] = [];
    for (let t = 1; t < s.values.length; t += 1) {
      const before = counts[t - 1];
      const after = counts[t];
      if (before == null || after == null) continue;
      changes.push(accuracyChangeTest(s.values[t - 1] ?? 0, s.values[t] ?? 0, before, after));
    }
    const valid = changes.filter((c) => !Number.isNaN(c.z));
    if (valid.length < options.minEpochs - 1) return [];
    const medianAbsZ = median(valid.map((c) => Math.abs(c.z)));
    if (!(medianAbsZ >= options.minMedianZ)) return [];
    const medianChange = median(valid.map((c) => Math.abs(c.difference)));
    const se = median(valid.map((c) => c.standardError));
    const medianP = median(valid.map((c) => c.p));
    const samples = median(counts.filter((c): c is number => c !== null));
    let largest = 0;
    valid.forEach((c, i) => {
      if (Math.abs(c.z) > Math.abs(valid[largest]?.z ?? 0)) largest = i;
    });
    return [
      {
        metric,
        epochs: [s.epochs[0] ?? 1, s.epochs.at(-1) ?? 1],
        line: s.lines[largest + 1] ?? null,
        stats: {
          valSamples: samples,
          valSamplesSource: source,
          medianAbsChange: round(medianChange),
          binomialSE: round(se),
          ratio: round(medianChange / se, 3),
          medianAbsZ: round(medianAbsZ, 3),
          p: medianP,
          significantChanges: valid.filter((c) => c.p < 0.001).length,
          changes: valid.length,
        },
        evidence: { epochs: s.epochs, values: s.values, z: valid.map((c) => round(c.z, 3)) },
        messageId: 'swing',
        data: {
          metric,
          change: round(medianChange),
          ratio: round(medianChange / se, 3),
          se: round(se),
          samples,
        },
        next: { messageId: 'next', data: {} },
      },
    ];
  },
});
