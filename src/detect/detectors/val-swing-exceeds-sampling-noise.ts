import { median } from 'simple-statistics';
import { z } from 'zod';
import { findRole } from '../../model/index.js';
import { binomialSwingTest } from '../../stats/index.js';
import { defineDetector } from '../define-detector.js';
import { finiteSeries, metricNames, round } from '../series.js';

export default defineDetector({
  id: 'val-swing-exceeds-sampling-noise',
  title: 'Validation accuracy moves more than its sampling noise',
  defaultSeverity: 'warning',
  requires: ['val-accuracy'],
  options: z
    .object({
      /** The median epoch-to-epoch change must be this many sampling standard errors. */
      minMedianZ: z.number().positive().default(4),
      minEpochs: z.number().int().min(3).default(4),
    })
    .strict(),
  docs: {
    what: 'Compares each epoch-to-epoch change of the validation accuracy with the binomial noise of an accuracy measured on N validation samples (N from `Found N images`, `validate on N samples`, `Using N files for validation`, or `--val-samples`): a two-proportion z per change. Fires when the median |z| is at least 4. Without N it stays quiet.',
    why: 'On N samples an accuracy near p can only wobble by about sqrt(p(1−p)/N) from sampling. Swings many times larger are not noise of the set: either the model really changes that much between epochs (a learning rate too high), or what is evaluated changes (a rotating or random validation subset, augmentation at evaluation, a different half of a class-sorted set).',
    example:
      'Found 10401 images ... val_acc: 0.9548, 0.6604, 0.9558 — a 29-point swing where the sampling error of a change is 0.6 points',
  },
  messages: {
    swing:
      '{metric} changes by a median {change} between epochs, {ratio}× the sampling error {se} of a change on {samples} validation samples',
  },
  detect(run, { options, context, ignoreMetrics }) {
    const samples = context.valSamples?.value ?? null;
    if (samples === null) return [];
    const metric = findRole(
      metricNames(run).filter((n) => !ignoreMetrics.has(n)),
      'val_accuracy',
    );
    if (metric === null) return [];
    const s = finiteSeries(run, metric);
    if (s.values.length < options.minEpochs || s.values.some((v) => v < 0 || v > 1)) return [];
    const test = binomialSwingTest(s.values, samples);
    if (!(test.medianAbsZ >= options.minMedianZ)) return [];
    const changes = test.changes.map((c) => Math.abs(c.difference));
    const medianChange = median(changes);
    const se = median(test.changes.map((c) => c.standardError));
    const medianP = median(test.changes.map((c) => c.p));
    const largest = test.changes.reduce(
      (a, c, i) => (Math.abs(c.z) > Math.abs(test.changes[a]?.z ?? 0) ? i : a),
      0,
    );
    return [
      {
        metric,
        epochs: [s.epochs[0] ?? 1, s.epochs.at(-1) ?? 1],
        line: s.lines[largest + 1] ?? null,
        stats: {
          valSamples: samples,
          valSamplesSource: context.valSamples?.source ?? null,
          medianAbsChange: round(medianChange),
          binomialSE: round(se),
          ratio: round(medianChange / se, 3),
          medianAbsZ: round(test.medianAbsZ, 3),
          p: medianP,
          significantChanges: test.significantChanges,
          changes: test.changes.length,
        },
        evidence: { epochs: s.epochs, values: s.values, z: test.changes.map((c) => round(c.z, 3)) },
        messageId: 'swing',
        data: {
          metric,
          change: round(medianChange),
          ratio: round(medianChange / se, 3),
          se: round(se),
          samples,
        },
      },
    ];
  },
});
