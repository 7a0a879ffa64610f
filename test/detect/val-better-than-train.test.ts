import { expect } from 'vitest';
import { near, runDetectorTable, type ExpectedFinding, type FixtureLog } from './helpers.js';

/** Epochs where validation beats training, and the mean signed gap (positive = validation better). */
function compare(log: FixtureLog, train: string, val: string, better: 'lower' | 'higher') {
  const t = log.column(train);
  const v = log.column(val);
  const gaps = v.map((x, i) => (better === 'lower' ? (t[i] as number) - x : x - (t[i] as number)));
  return {
    count: gaps.filter((g) => g > 0).length,
    total: gaps.length,
    gap: gaps.reduce((a, b) => a + b, 0) / gaps.length,
  };
}

function better(log: FixtureLog, train: string, val: string, direction: 'lower' | 'higher'): ExpectedFinding {
  const c = compare(log, train, val, direction);
  return {
    severity: 'info',
    metric: val,
    epochs: [1, c.total],
    stats: { count: c.count, total: c.total, share: near(c.count / c.total, 3), meanGap: near(c.gap, 4) },
    data: { valMetric: val, trainMetric: train, count: c.count, total: c.total },
  };
}

runDetectorTable('val-better-than-train', [
  {
    name: 'dropout and augmentation: validation loss and accuracy better in all 20 epochs',
    file: 'fires-dropout-every-epoch.log',
    expected: (log) => [better(log, 'loss', 'val_loss', 'lower'), better(log, 'acc', 'val_acc', 'higher')],
  },
  {
    name: 'val_loss lower in 12 of 15 epochs; val_accuracy higher in only 6 of 15',
    file: 'fires-loss-only.log',
    fixture: (log) => {
      expect(compare(log, 'loss', 'val_loss', 'lower').count).toBe(12);
      expect(compare(log, 'accuracy', 'val_accuracy', 'higher').count).toBe(6);
    },
    expected: (log) => [better(log, 'loss', 'val_loss', 'lower')],
  },
  {
    name: 'near miss: validation better in 10 of 20 epochs (loss) and 11 of 20 (accuracy), below 60 %',
    file: 'quiet-better-in-half.log',
    fixture: (log) => {
      expect(compare(log, 'loss', 'val_loss', 'lower').count).toBe(10);
      expect(compare(log, 'acc', 'val_acc', 'higher').count).toBe(11);
    },
    expected: () => [],
  },
  {
    name: 'the ordinary case: validation slightly worse in every epoch',
    file: 'quiet-validation-worse.log',
    fixture: (log) => {
      expect(compare(log, 'loss', 'val_loss', 'lower').count).toBe(0);
      expect(compare(log, 'acc', 'val_acc', 'higher').count).toBe(0);
    },
    expected: () => [],
  },
]);
