import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { fixtureDir, runDetectorTable } from './helpers.js';

/** A CSVLogger column (the table helper reads console logs only). */
function csvColumn(file: string, name: string): number[] {
  const [header, ...rows] = readFileSync(new URL(file, fixtureDir('train-oscillation')), 'utf8')
    .trim()
    .split(/\r?\n/);
  const index = (header ?? '').split(',').indexOf(name);
  return rows.map((r) => Number(r.split(',')[index]));
}

test('the cyclic fixture: training losses alternate, odd epochs low; validation losses odd high', () => {
  const loss = csvColumn('fires-cyclic-rate-antiphase.csv', 'loss');
  const val = csvColumn('fires-cyclic-rate-antiphase.csv', 'val_loss');
  for (let i = 2; i < loss.length; i += 2) {
    expect(loss[i]).toBeLessThan(loss[i - 1] ?? 0);
    expect(val[i]).toBeGreaterThan(val[i - 1] ?? 0);
  }
});

runDetectorTable('train-oscillation', [
  {
    name: 'a cyclic rate with a one-epoch half cycle: training alternates in antiphase with validation',
    file: 'fires-cyclic-rate-antiphase.csv',
    expected: () => [
      {
        severity: 'warning',
        metric: 'accuracy',
        epochs: [1, 30],
        stats: { period: 2, highParity: 'odd', valPhase: 'antiphase', valMetric: 'val_accuracy' },
      },
      {
        severity: 'warning',
        metric: 'loss',
        epochs: [1, 30],
        stats: { period: 2, highParity: 'even', valPhase: 'antiphase', valMetric: 'val_loss' },
        data: { valNote: 'valAntiphase' },
      },
    ],
  },
  {
    name: 'smooth training with 2 % noise: nothing alternates',
    file: 'quiet-smooth-training.csv',
    expected: () => [],
  },
]);
