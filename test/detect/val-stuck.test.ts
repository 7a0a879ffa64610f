import { expect } from 'vitest';
import { near, runDetectorTable, type FixtureLog } from './helpers.js';

/** K of the `Found … belonging to K classes.` lines (they agree in every fixture). */
function classes(log: FixtureLog): number {
  const ks = [...new Set(log.found.map((f) => f.classes))];
  expect(ks).toHaveLength(1);
  return ks[0] ?? 0;
}

runDetectorTable('val-stuck', [
  {
    name: 'accuracy on a regression target: val_acc 0.0000e+00 in all 15 epochs',
    file: 'fires-regression-accuracy-zero.log',
    expected: (log) => [
      {
        severity: 'warning',
        metric: 'val_acc',
        epochs: [1, log.column('val_acc').length],
        stats: { value: 0, count: 15 },
        data: { metric: 'val_acc', value: 0, count: 15 },
      },
    ],
  },
  {
    name: 'binary model at chance on 400 images: val_accuracy within 0.0075 of 0.5, never constant',
    file: 'fires-binary-at-chance.log',
    fixture: (log) => expect(new Set(log.column('val_accuracy')).size).toBeGreaterThan(3),
    expected: (log) => {
      const values = log.column('val_accuracy');
      const k = classes(log);
      return [
        {
          severity: 'warning',
          metric: 'val_accuracy',
          epochs: [1, values.length],
          stats: {
            classes: k,
            chance: near(1 / k, 4),
            count: values.length,
            maxDeviation: near(Math.max(...values.map((v) => Math.abs(v - 1 / k))), 4),
          },
          data: { classes: k, count: values.length },
        },
      ];
    },
  },
  {
    name: 'a 48-image validation set scored 1.0000 in all 8 epochs: information, not a failure',
    file: 'fires-perfect-every-epoch.log',
    expected: (log) => [
      {
        severity: 'info',
        metric: 'val_acc',
        epochs: [1, log.column('val_acc').length],
        stats: { value: 1, count: 8 },
      },
    ],
  },
  {
    name: 'near miss: 33/48 in every epoch but one, which is 34/48 (one step, once)',
    file: 'quiet-one-step-once.log',
    fixture: (log) => {
      const values = log.column('val_acc');
      expect([...new Set(values)].sort()).toEqual([0.6875, 0.7083]);
      expect(values.filter((v) => v === 0.7083)).toHaveLength(1);
      expect(0.7083 - 0.6875).toBeCloseTo(1 / 48, 3);
      expect(log.found.at(-1)?.count).toBe(48);
    },
    expected: () => [],
  },
  {
    name: 'near miss: 10 classes, val_acc near 0.1 but epoch 6 is 0.0125 away (tolerance 0.01)',
    file: 'quiet-near-chance-ten-classes.log',
    fixture: (log) => {
      const deviations = log.column('val_acc').map((v) => Math.abs(v - 1 / classes(log)));
      expect(Math.max(...deviations)).toBeCloseTo(0.0125, 6);
      expect(deviations.filter((d) => d > 0.01 + 1e-9)).toHaveLength(1);
    },
    expected: () => [],
  },
]);
