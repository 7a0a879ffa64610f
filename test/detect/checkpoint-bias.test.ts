import { expect } from 'vitest';
import { near, runDetectorTable, type FixtureLog } from './helpers.js';

/** Two-sided exact binomial p of `k` or more of `n` on one side (p = 1/2), capped at 1. */
function binomialTwoSided(k: number, n: number): number {
  let tail = 0;
  for (let i = k; i <= n; i++) {
    let c = 1;
    for (let j = 0; j < i; j++) c = (c * (n - j)) / (j + 1);
    tail += c;
  }
  return Math.min(1, (2 * tail) / 2 ** n);
}

/** Parity counts of the improvements after the first (the first, "from inf", is not a decision). */
function parityOf(log: FixtureLog) {
  const epochs = log.improvedEpochs.slice(1);
  const odd = epochs.filter((e) => e % 2 === 1).length;
  const count = Math.max(odd, epochs.length - odd);
  return {
    n: epochs.length,
    count,
    share: count / epochs.length,
    parity: odd >= epochs.length - odd ? 'odd' : 'even',
    p: binomialTwoSided(count, epochs.length),
    first: epochs[0] ?? 0,
    last: epochs.at(-1) ?? 0,
  };
}

runDetectorTable('checkpoint-bias', [
  {
    name: 'val_loss low on odd epochs: every "improved" checkpoint is odd',
    file: 'fires-odd-improvements.log',
    fixture: (log) => {
      const s = parityOf(log);
      expect(s.share).toBe(1);
      expect(s.n).toBeGreaterThanOrEqual(6);
    },
    expected: (log) => {
      const s = parityOf(log);
      return [
        {
          severity: 'warning',
          metric: 'val_loss',
          epochs: [s.first, s.last],
          stats: { improvedEpochs: s.n, parity: 'odd', sameParityShare: near(s.share, 3), p: near(s.p, 4) },
          data: { count: s.count, total: s.n, monitor: 'val_loss', parity: 'odd' },
        },
      ];
    },
  },
  {
    name: 'tf.keras messages, val_accuracy high on even epochs: all improvements but the first are even',
    file: 'fires-even-improvements.log',
    fixture: (log) => {
      expect(log.improvedEpochs[0]).toBe(1);
      expect(log.improvedEpochs.slice(1).every((e) => e % 2 === 0)).toBe(true);
    },
    expected: (log) => {
      const s = parityOf(log);
      return [
        {
          severity: 'warning',
          metric: 'val_accuracy',
          epochs: [s.first, s.last],
          stats: { improvedEpochs: s.n, parity: 'even', sameParityShare: near(s.share, 2), p: near(s.p, 4) },
        },
      ];
    },
  },
  {
    name: 'a smooth noisy decline improves on both parities',
    file: 'quiet-mixed-parity.log',
    fixture: (log) => {
      const s = parityOf(log);
      expect(s.n).toBeGreaterThanOrEqual(10);
      expect(s.share).toBeLessThan(0.8);
    },
    expected: () => [],
  },
  {
    name: 'near miss: improvements on 1, 3, 5, 7, 9; after the first (from inf) 4 of 4 odd, p = 2/16 = 0.125',
    file: 'quiet-five-odd-improvements.log',
    fixture: (log) => {
      const s = parityOf(log);
      expect(log.improvedEpochs).toEqual([1, 3, 5, 7, 9]);
      expect(s.p).toBeCloseTo(0.125, 10);
    },
    expected: () => [],
  },
]);
