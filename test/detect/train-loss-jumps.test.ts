import { expect } from 'vitest';
import { near, runDetectorTable } from './helpers.js';

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
  {
    // holdout-a hl-54.csv: Adam at 0.03, far too high (fixtures/README.md)
    name: 'the training loss never doubles but scatters by 11 % of its progress (0.85 → 0.18) at every stretch: rough',
    file: 'fires-rough-rate-far-too-high.csv',
    expected: () => [
      {
        severity: 'warning',
        metric: 'loss',
        epochs: [1, 40],
        stats: { jumps: 0, rough: true, roughness: near(0.111, 2), worstEpoch: 26 },
        data: { roughPercent: 11, valNote: 'valQuiet' },
      },
    ],
  },
  {
    // holdout-a hl-25.csv: dropout 0.6-0.8, a smooth epoch-averaged training loss
    name: 'heavy dropout: the training loss scatters by 1.5 % of its progress, far under 5 %',
    file: 'quiet-heavy-dropout-smooth.csv',
    expected: () => [],
  },
]);
