import { expect } from 'vitest';
import { median, near, runDetectorTable, type FixtureLog } from './helpers.js';

/** K of the `Found … belonging to K classes.` lines (they agree in every fixture). */
function classes(log: FixtureLog): number {
  const ks = [...new Set(log.found.map((f) => f.classes))];
  expect(ks).toHaveLength(1);
  return ks[0] ?? 0;
}

runDetectorTable('val-stuck', [
  {
    name: 'a validation score of any name (val_f1_score) bit-identical in all 8 epochs while f1_score climbs',
    file: 'fires-frozen-score-any-name.log',
    fixture: (log) => {
      expect(new Set(log.column('val_f1_score')).size).toBe(1);
      expect(new Set(log.column('f1_score')).size).toBe(8);
    },
    expected: () => [
      {
        severity: 'warning',
        metric: 'val_f1_score',
        epochs: [1, 8],
        stats: { variant: 'constant', value: 0.3125, count: 8 },
      },
    ],
  },
  {
    name: 'the same frozen score while training is frozen too: nothing moves, nothing to compare',
    file: 'quiet-frozen-score-training-frozen-too.log',
    expected: () => [],
  },
  {
    name: 'accuracy on a regression target: val_acc 0.0000e+00 in all 15 epochs',
    file: 'fires-regression-accuracy-zero.log',
    expected: (log) => [
      {
        severity: 'warning',
        metric: 'val_acc',
        epochs: [1, log.column('val_acc').length],
        stats: { variant: 'constant', value: 0, count: 15 },
        data: { metric: 'val_acc', value: 0, count: 15 },
      },
    ],
  },
  {
    name: 'binary model at chance on 400 images: val_accuracy within 2 binomial SE (0.05) of 0.5, never constant',
    file: 'fires-binary-at-chance.log',
    fixture: (log) => {
      expect(new Set(log.column('val_accuracy')).size).toBeGreaterThan(3);
      const se = Math.sqrt(0.25 / (log.found.at(-1)?.count ?? 0));
      expect(Math.max(...log.column('val_accuracy').map((v) => Math.abs(v - 0.5)))).toBeLessThan(2 * se);
    },
    expected: (log) => {
      const values = log.column('val_accuracy');
      const k = classes(log);
      return [
        {
          severity: 'warning',
          metric: 'val_accuracy',
          epochs: [1, values.length],
          stats: { variant: 'chance', classes: k, chance: near(1 / k, 4), count: values.length, from: 1 },
          data: { classes: k, count: values.length, tolerance: 0.05 },
        },
      ];
    },
  },
  {
    name: 'the issue 7 case: val_accuracy 181/360 (the majority share) in the last 36 of 40 epochs while accuracy reaches 1.0',
    file: 'fires-constant-tail-majority-share.log',
    fixture: (log) => {
      const values = log.column('val_accuracy');
      expect(values.slice(4).every((v) => v === 0.5028)).toBe(true);
      expect(values[3]).not.toBe(0.5028);
    },
    expected: (log) => [
      {
        severity: 'warning',
        metric: 'val_accuracy',
        epochs: [5, log.column('val_accuracy').length],
        stats: {
          variant: 'constant',
          from: 5,
          count: 36,
          total: 40,
          value: 0.5028,
          samples: 360,
          correct: 181,
        },
        data: { samples: 360, correct: 181, count: 36, from: 5 },
      },
    ],
  },
  {
    name: 'near miss: a converged model repeats 0.9600 for the last 6 epochs, within 3 standard errors of training',
    file: 'quiet-converged-tail.log',
    fixture: (log) => {
      const values = log.column('val_accuracy');
      expect(values.slice(-6).every((v) => v === 0.96)).toBe(true);
      const train = median(log.column('accuracy').slice(-6));
      expect(train - 0.96).toBeLessThan(3 * Math.sqrt((0.96 * 0.04) / 360));
    },
    expected: () => [],
  },
  {
    name: 'validation never gains on its first epoch (0.68 → 0.59) while training rises 0.78 → 1.0: detached',
    file: 'fires-detached-from-training.log',
    fixture: (log) => {
      const values = log.column('val_accuracy');
      expect(Math.max(...values.slice(1))).toBeLessThan(values[0] ?? 0);
    },
    expected: (log) => [
      {
        severity: 'warning',
        metric: 'val_accuracy',
        epochs: [1, 40],
        stats: {
          variant: 'detached',
          value: near(median(log.column('val_accuracy').slice(-14)), 3),
          trainGain: near(
            (median(log.column('accuracy').slice(-14)) ?? 0) - (log.column('accuracy')[0] ?? 0),
            2,
          ),
        },
      },
    ],
  },
  {
    name: 'the accuracy gains on its first epoch (0.60 → 0.63): not detached; but val_loss never gets below the first training loss (0.87) while training falls to 0.01: the loss is',
    file: 'quiet-detached-near-miss-val-gains.log',
    fixture: (log) => {
      const values = log.column('val_accuracy');
      expect(median(values.slice(-14))).toBeGreaterThan(values[0] ?? 1);
      expect(Math.min(...log.column('val_loss'))).toBeGreaterThan(log.column('loss')[0] ?? Infinity);
    },
    expected: () => [
      {
        severity: 'warning',
        metric: 'val_loss',
        epochs: [1, 40],
        stats: { variant: 'detached', value: 1.2, trainValue: 0.01 },
      },
    ],
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
    name: '33/48 (the majority share) in every epoch but one, which is 34/48: 12 epochs inside one binomial SE (0.067) while accuracy climbs 0.39 → 0.6',
    file: 'fires-majority-share-one-step-once.log',
    fixture: (log) => {
      const values = log.column('val_acc');
      expect([...new Set(values)].sort()).toEqual([0.6875, 0.7083]);
      expect(values.filter((v) => v === 0.7083)).toHaveLength(1);
      expect(0.7083 - 0.6875).toBeCloseTo(1 / 48, 3);
      expect(log.found.at(-1)?.count).toBe(48);
    },
    expected: (log) => [
      {
        severity: 'warning',
        metric: 'val_acc',
        epochs: [1, 12],
        stats: {
          variant: 'constant',
          count: 12,
          samples: 48,
          value: 0.6875,
          band: near(0.7083 - 0.6875, 4),
          se: near(Math.sqrt((0.6875 * 0.3125) / 48), 3),
        },
        messageId: 'nearConstantTrain',
        data: { trainMetric: 'acc', trainFirst: log.column('acc')[0] ?? -1 },
      },
    ],
  },
  {
    name: 'near miss: 12 epochs of val_accuracy on 400 images within a band of 0.03, wider than one SE (0.022), training beside it',
    file: 'quiet-band-wider-than-one-se.log',
    fixture: (log) => {
      const values = log.column('val_accuracy');
      const p = median(values);
      expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(Math.sqrt((p * (1 - p)) / 400));
    },
    expected: () => [],
  },
  {
    name: 'near miss: 0.97 on 400 images inside one SE for 12 epochs: a converged model near the ceiling, not stuck',
    file: 'quiet-near-constant-at-ceiling.log',
    fixture: (log) => {
      const values = log.column('val_accuracy');
      const p = median(values);
      expect(p).toBeGreaterThan(0.95);
      expect(Math.max(...values) - Math.min(...values)).toBeLessThan(Math.sqrt((p * (1 - p)) / 400));
    },
    expected: () => [],
  },
  {
    name: 'flat: accuracy climbs 0.25 → 0.84 while val_accuracy gains 0.09 (under a quarter) with no trend after epoch 1 and a flat val_loss',
    file: 'fires-flat-validation-training-climbs.log',
    fixture: (log) => {
      const values = log.column('val_accuracy');
      const train = log.column('accuracy');
      const gain = (median(values.slice(-7)) ?? 0) - (values[0] ?? 0);
      const trainGain = (median(train.slice(-7)) ?? 0) - (train[0] ?? 0);
      expect(gain).toBeGreaterThan(0);
      expect(gain).toBeLessThan(trainGain / 4);
    },
    expected: (log) => [
      {
        severity: 'warning',
        metric: 'val_accuracy',
        epochs: [1, 20],
        stats: {
          variant: 'detached',
          value: near(median(log.column('val_accuracy').slice(-7)), 4),
          trainValue: near(median(log.column('accuracy').slice(-7)), 4),
        },
        messageId: 'detachedFlat',
        data: { firstEpoch: 1, trainMetric: 'accuracy' },
      },
    ],
  },
  {
    name: 'near miss: the same accuracies, but val_loss rises through the second half: an overfit (its own detector), not a validation that never responds',
    file: 'quiet-flat-accuracy-val-loss-rises.log',
    expected: () => [],
  },
  {
    name: 'near miss: a fine-tune holds 0.855-0.872 from epoch 1 while training adds 0.15: its first epoch happens to be its best, by less than the scatter of the last epochs: not detached',
    file: 'quiet-fine-tune-holds-its-level.log',
    expected: () => [],
  },
  {
    name: 'near miss: 10 classes on 400 images, val_acc near 0.1 but epoch 6 is 0.035 away (2 SE = 0.03), leaving 4 epochs',
    file: 'quiet-near-chance-ten-classes.log',
    fixture: (log) => {
      const se = Math.sqrt((0.1 * 0.9) / (log.found.at(-1)?.count ?? 0));
      const deviations = log.column('val_acc').map((v) => Math.abs(v - 1 / classes(log)));
      expect(Math.max(...deviations)).toBeCloseTo(0.035, 6);
      expect(deviations.filter((d) => d > 2 * se + 1e-9)).toHaveLength(1);
      expect(deviations.findIndex((d) => d > 2 * se)).toBe(5);
    },
    expected: () => [],
  },
  {
    // holdout-a hl-27.csv (Lightning metrics.csv): StandardScaler fitted and applied on the training split only
    name: 'val_loss is 37 at its best (epoch 1) while train_loss falls 1.18 → 0.29: validation never learns (Lightning names, train_* twins)',
    file: 'fires-loss-never-learns-lightning.csv',
    expected: () => [
      {
        severity: 'warning',
        metric: 'val_loss',
        epochs: [1, 40],
        stats: { variant: 'detached', value: 37.31, valGain: 0 },
        data: { trainMetric: 'train_loss', bestEpoch: 1, trainFirst: 1.183 },
      },
    ],
  },
  {
    // holdout-a hl-28.log: 100 training samples, a 512-wide MLP, no regularisation
    name: 'an overfit: val_loss climbs after epoch 2, but its best is below the first training loss: not stuck',
    file: 'quiet-overfit-val-loss-climbs.log',
    fixture: (log) => {
      // a Progbar log with backspace frames: val_loss 1.5628 at its best, loss 2.2326 in epoch 1
      expect(log.text).toContain('val_loss: 1.5628');
      expect(log.text).toContain('loss: 2.2326');
    },
    expected: () => [],
  },
  {
    // the shape of NoProp's CIFAR-100 log: `Acc` (no phase word) every 5th epoch beside the loss of every epoch
    name: 'Acc in percent at chance (1/10 = 10 %, K from the banner) for its first 14 evaluations (one excursion) while the loss falls, then learns',
    file: 'fires-chance-from-start-percent.log',
    fixture: (log) => expect(log.text).toContain('(10 classes)'),
    expected: () => [
      {
        severity: 'warning',
        metric: 'Acc',
        epochs: [5, 70],
        stats: { variant: 'chance', from: 5, count: 14, total: 24, classes: 10, chance: 10 },
        data: { classesLine: 1, classesSource: 'log', inBand: 13, tolerance: 2, trainMetric: 'loss' },
      },
    ],
  },
  {
    name: 'acc as a fraction at 1/100 (K from printed arguments, num_classes=100) for its first 12 evaluations, every 4th epoch',
    file: 'fires-chance-from-start-num-classes.log',
    fixture: (log) => expect(log.text).toContain('num_classes=100'),
    expected: () => [
      {
        severity: 'warning',
        metric: 'acc',
        epochs: [4, 48],
        stats: { variant: 'chance', from: 4, count: 12, total: 24, classes: 100, chance: 0.01 },
        data: { classesLine: 1, inBand: 12, tolerance: 0.0025 },
      },
    ],
  },
  {
    name: 'the same log without a class count: chance is unknown, nothing is said',
    file: 'quiet-chance-from-start-no-class-count.log',
    fixture: (log) => expect(log.text).not.toContain('classes'),
    expected: () => [],
  },
  {
    name: 'at chance for 7 evaluations only (fewer than 10), then learns',
    file: 'quiet-chance-from-start-too-short.log',
    expected: () => [],
  },
  {
    name: 'at chance for 30 evaluations while the loss stays flat at ln 10: nothing is learned, no detachment to report',
    file: 'quiet-chance-from-start-loss-flat.log',
    expected: () => [],
  },
  {
    name: 'learns from its first evaluation (22 % at 1/10 chance): not at chance',
    file: 'quiet-chance-learns-from-first-evaluation.log',
    expected: () => [],
  },
]);
