import { expect } from 'vitest';
import { runDetectorTable } from './helpers.js';

runDetectorTable('train-loss-jumps', [
  {
    name: 'the training loss jumps ×4 at epochs 15 and 28 and val_loss rises with it',
    file: 'fires-overshooting-steps.log',
    fixture: (log) => {
      const loss = log.column('loss');
      expect((loss[14] ?? 0) / (loss[13] ?? 1)).toBeGreaterThan(2);
      expect((loss[27] ?? 0) / (loss[26] ?? 1)).toBeGreaterThan(2);
    },
    expected: () => [
      {
        severity: 'warning',
        metric: 'loss',
        epochs: [1, 40],
        stats: { jumps: 2, worstEpoch: 28, valCoupled: 2, valMoves: true, valMetric: 'val_loss' },
        data: { epochs: '15, 28', valNote: 'valCoupled' },
      },
    ],
  },
  {
    name: 'near miss: the loss rises ×1.8 at two epochs, short of a doubling',
    file: 'quiet-rise-short-of-doubling.log',
    fixture: (log) => {
      const loss = log.column('loss');
      expect((loss[14] ?? 0) / (loss[13] ?? 1)).toBeGreaterThan(1.7);
      expect((loss[14] ?? 0) / (loss[13] ?? 1)).toBeLessThan(2);
    },
    expected: () => [],
  },
  {
    name: 'a memorised training set: the loss doubles at the 1e-4 level, giving back nothing of its progress',
    file: 'quiet-memorised-tiny-loss.log',
    fixture: (log) => {
      const loss = log.column('loss');
      expect((loss[24] ?? 0) / (loss[23] ?? 1)).toBeGreaterThan(2);
      expect(loss[24]).toBeLessThan(0.01 * (loss[0] ?? 0));
    },
    expected: () => [],
  },
]);
