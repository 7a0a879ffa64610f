import { expect } from 'vitest';
import { near, runDetectorTable, type ExpectedFinding, type FixtureLog } from './helpers.js';

/** Centered moving average of length `period` (2×period for even periods): removes the period exactly. */
function detrend(values: readonly number[], period: number): Array<number | null> {
  const weights =
    period % 2 === 1
      ? Array<number>(period).fill(1 / period)
      : [0.5 / period, ...Array<number>(period - 1).fill(1 / period), 0.5 / period];
  const half = (weights.length - 1) / 2;
  return values.map((v, i) => {
    if (i < half || i + half >= values.length) return null;
    let avg = 0;
    weights.forEach((w, j) => (avg += w * (values[i - half + j] as number)));
    return v - avg;
  });
}

/** Mean detrended value at each phase t mod P (index 0 = epoch 1). */
function phaseProfile(values: readonly number[], period: number): number[] {
  const sums = Array<number>(period).fill(0);
  const counts = Array<number>(period).fill(0);
  detrend(values, period).forEach((r, i) => {
    if (r === null) return;
    sums[i % period] = (sums[i % period] ?? 0) + r;
    counts[i % period] = (counts[i % period] ?? 0) + 1;
  });
  return sums.map((s, k) => s / (counts[k] ?? 1));
}

/** Amplitude of the sinusoid of period P: sqrt(2/P · Σ profile²). */
function amplitude(values: readonly number[], period: number): number {
  const profile = phaseProfile(values, period);
  return Math.sqrt((2 / period) * profile.reduce((a, p) => a + p * p, 0));
}

function periodic(log: FixtureLog, metric: string, period: number): ExpectedFinding {
  const values = log.column(metric);
  return {
    severity: 'warning',
    metric,
    epochs: [1, values.length],
    stats: {
      n: values.length,
      period,
      cycles: near(values.length / period, 3),
      amplitude: near(amplitude(values, period), 2),
      phaseConsistent: true,
    },
    data: { metric, period },
  };
}

runDetectorTable('val-periodic', [
  {
    name: 'a validation window rotating every 3 epochs: 12 cycles in val_loss and val_acc',
    file: 'fires-period-3.log',
    expected: (log) => [periodic(log, 'val_acc', 3), periodic(log, 'val_loss', 3)],
  },
  {
    name: 'a triangular cyclic learning rate (6-epoch cycle) shows in val_accuracy and val_loss',
    file: 'fires-cyclic-lr-period-6.log',
    fixture: (log) => {
      const lr = log.column('lr');
      expect(lr.slice(0, 7)).toEqual([1e-4, 4e-4, 7e-4, 1e-3, 7e-4, 4e-4, 1e-4]);
    },
    expected: (log) => [periodic(log, 'val_accuracy', 6), periodic(log, 'val_loss', 6)],
  },
  {
    name: 'near miss: a period-3 swing whose phase slips by one epoch halfway (epoch 19)',
    file: 'quiet-phase-drifts.log',
    fixture: (log) => {
      const values = log.column('val_loss');
      const first = phaseProfile(values.slice(0, 18), 3);
      const second = phaseProfile(values.slice(18), 3);
      // the high phase (t mod 3) of each half: 0 in the first, 2 in the second
      expect(first.indexOf(Math.max(...first))).toBe(0);
      expect(second.indexOf(Math.max(...second))).toBe(2);
    },
    expected: () => [],
  },
  {
    name: 'near miss: a period-10 swing over 26 epochs is 2.6 cycles, fewer than the 3 needed',
    file: 'quiet-period-10-in-26-epochs.log',
    fixture: (log) => expect(log.column('val_loss').length / 10).toBeLessThan(3),
    expected: () => [],
  },
  {
    // holdout-a hl-37.txt: class-sorted validation, a persistent iterator, validation_steps = 12 of 18 batches
    name: 'two thirds of a pass per epoch: overlapping windows repeat every 3 epochs',
    file: 'fires-rotation-two-thirds-pass.txt',
    expected: (): ExpectedFinding[] => [
      { severity: 'warning', metric: 'val_accuracy', epochs: [1, 48], stats: { period: 3, cycles: 16 } },
      { severity: 'warning', metric: 'val_loss', epochs: [1, 48], stats: { period: 3, cycles: 16 } },
    ],
  },
]);
