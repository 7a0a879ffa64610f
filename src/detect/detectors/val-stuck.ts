import { z } from 'zod';
import { ACCURACY_NAMES } from '../../model/index.js';
import type { FindingDraft } from '../define-detector.js';
import { defineDetector } from '../define-detector.js';
import { finiteSeries, round, validationMetrics } from '../series.js';

/** Validation accuracy-like metrics: `val_acc`, `val_accuracy`, `val_binary_accuracy`, `val_<out>_acc`. */
function isValAccuracy(name: string): boolean {
  const base = name.slice(4);
  return ACCURACY_NAMES.includes(base) || /(^|_)acc(uracy)?$/.test(base);
}

export default defineDetector({
  id: 'val-stuck',
  title: 'Validation accuracy does not move',
  defaultSeverity: 'warning',
  requires: ['val'],
  options: z
    .object({
      minEpochs: z.number().int().min(2).default(5),
      /** How close to 1/K counts as "pinned at chance". */
      chanceTolerance: z.number().min(0).default(0.01),
    })
    .strict(),
  docs: {
    what: 'Fires when a validation accuracy is exactly the same in every epoch (at least 5), or stays within 0.01 of chance (1/K, with K from `Found N images belonging to K classes` or the flags).',
    why: 'A constant validation accuracy means the predictions on the validation set never change: the model predicts one class (a collapsed or dead network, a learning rate far too high or too low), the labels of the validation set are wrong or constant, the metric does not fit the task (accuracy on a regression target prints 0.0000e+00), or the set is so small that accuracy moves in steps larger than any improvement. Pinned at 1/K means no better than guessing.',
    example: 'val_acc: 0.0000e+00 in every epoch; or val_accuracy: 0.5000 for 20 epochs of a 2-class problem',
  },
  messages: {
    constant: '{metric} is {value} in all {count} epochs',
    chance: '{metric} stays within {tolerance} of chance (1/{classes} = {chance}) in all {count} epochs',
  },
  detect(run, { options, context, ignoreMetrics }) {
    const drafts: FindingDraft[] = [];
    const classes = context.classes?.value ?? null;
    for (const metric of validationMetrics(run, ignoreMetrics).filter(isValAccuracy)) {
      const s = finiteSeries(run, metric);
      if (s.values.length < options.minEpochs) continue;
      // loops, not Math.min(...values): a spread of 100k+ arguments overflows the call stack
      const min = s.values.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
      const max = s.values.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
      const span: [number, number] = [s.epochs[0] ?? 1, s.epochs.at(-1) ?? 1];
      const base = { metric, epochs: span, line: s.lines[0] ?? null, evidence: { values: s.values } };
      if (max - min <= 1e-12) {
        drafts.push({
          ...base,
          // a set scored perfectly every epoch is worth knowing, not a failure
          severity: min === 1 ? 'info' : 'warning',
          stats: { value: min, count: s.values.length },
          messageId: 'constant',
          data: { metric, value: min, count: s.values.length },
        });
        continue;
      }
      if (classes !== null && classes > 1) {
        const chance = 1 / classes;
        if (s.values.every((v) => Math.abs(v - chance) <= options.chanceTolerance)) {
          drafts.push({
            ...base,
            stats: {
              classes,
              chance: round(chance),
              count: s.values.length,
              maxDeviation: round(Math.max(max - chance, chance - min)),
            },
            messageId: 'chance',
            data: {
              metric,
              classes,
              chance: round(chance),
              tolerance: options.chanceTolerance,
              count: s.values.length,
            },
          });
        }
      }
    }
    return drafts;
  },
});
