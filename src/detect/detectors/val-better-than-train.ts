import { z } from 'zod';
import { findRole } from '../../model/index.js';
import type { FindingDraft } from '../define-detector.js';
import { defineDetector, stat } from '../define-detector.js';
import { metricNames, round } from '../series.js';

/** The numbers of a val-better-than-train finding. */
export const BetterThanTrainStats = z.object({
  count: stat(),
  total: stat(),
  share: stat(),
  meanGap: stat(),
});

export default defineDetector({
  id: 'val-better-than-train',
  title: 'Validation metrics better than training metrics',
  defaultSeverity: 'info',
  requires: ['val', 'train'],
  kind: 'gap',
  startsDiagnosis: true,
  stats: BetterThanTrainStats,
  options: z
    .object({
      /** Share of epochs in which validation must beat training. */
      minShare: z.number().min(0.5).max(1).default(0.6),
      minEpochs: z.number().int().min(1).default(3),
    })
    .strict(),
  docs: {
    what: 'Notes when the validation loss is below the training loss (or validation accuracy above training accuracy) in at least 60 % of the epochs.',
    why: 'Usually benign. Dropout and other regularisation are active while the training metrics are measured and off at evaluation; the training metrics are running averages over the epoch while validation uses the end-of-epoch weights; training data may be augmented. It is worth a look only when the gap is large and the validation set is small or overlaps the training set.',
    example: 'loss: 0.6105 - acc: 0.6161 - val_loss: 0.2298 - val_acc: 0.9548',
  },
  messages: {
    better:
      '{valMetric} is better than {trainMetric} in {count} of {total} epochs (mean gap {gap}): expected with dropout/augmentation and epoch-averaged training metrics',
    next: 'nothing to fix: to compare like with like, evaluate the training data with model.evaluate (dropout off, end-of-epoch weights) and compare that with {valMetric}',
  },
  detect(run, { options, ignoreMetrics }) {
    const names = metricNames(run).filter((n) => !ignoreMetrics.has(n));
    const pairs: Array<[string | null, string | null, 'lower' | 'higher']> = [
      [findRole(names, 'loss'), findRole(names, 'val_loss'), 'lower'],
      [findRole(names, 'accuracy'), findRole(names, 'val_accuracy'), 'higher'],
    ];
    const drafts: FindingDraft<z.output<typeof BetterThanTrainStats>>[] = [];
    for (const [train, val, better] of pairs) {
      if (train === null || val === null) continue;
      const epochs = run.epochs.filter(
        (e) => Number.isFinite(e.metrics[train] ?? NaN) && Number.isFinite(e.metrics[val] ?? NaN),
      );
      if (epochs.length < options.minEpochs) continue;
      const gaps = epochs.map((e) => {
        const gap = (e.metrics[val] ?? 0) - (e.metrics[train] ?? 0);
        return better === 'lower' ? -gap : gap;
      });
      const count = gaps.filter((g) => g > 0).length;
      const share = count / epochs.length;
      if (share < options.minShare) continue;
      const gap = gaps.reduce((a, b) => a + b, 0) / gaps.length;
      const first = epochs[0];
      const last = epochs.at(-1);
      if (first === undefined || last === undefined) continue;
      drafts.push({
        metric: val,
        epochs: [first.epoch, last.epoch],
        line: first.line,
        stats: { count, total: epochs.length, share: round(share, 3), meanGap: round(gap) },
        evidence: { trainMetric: train },
        messageId: 'better',
        data: { valMetric: val, trainMetric: train, count, total: epochs.length, gap: round(gap) },
        next: { messageId: 'next', data: { valMetric: val } },
      });
    }
    return drafts;
  },
});
