import { expect } from 'vitest';
import { near, runDetectorTable, type ExpectedFinding } from './helpers.js';

runDetectorTable('val-instability', [
  {
    name: 'val_accuracy collapses 0.97 → 0.77 at epochs 14 and 27 on 360 images while training is smooth: an error',
    file: 'fires-collapses-smooth-training.log',
    fixture: (log) => {
      const values = log.column('val_accuracy');
      expect(values[13]).toBe(0.7694);
      expect(values[26]).toBe(0.7694);
      expect(log.found.at(-1)?.count).toBe(360);
    },
    expected: (): ExpectedFinding[] => [
      {
        severity: 'error',
        metric: 'val_accuracy',
        epochs: [1, 40],
        stats: {
          excursions: 2,
          coupled: 0,
          worstEpoch: 27,
          basis: 'sampling',
          samples: 360,
          earlyShare: 0.5,
        },
        data: { epochs: '14, 27', worstEpoch: 27, trainNote: 'trainSmooth' },
      },
      // a loss has no sampling arithmetic: judged against its own noise, a warning
      {
        severity: 'warning',
        metric: 'val_loss',
        epochs: [1, 40],
        stats: { excursions: 2, worstEpoch: 27, basis: 'own-noise', samples: null },
      },
    ],
  },
  {
    name: 'near miss: a 2.5-point dip on 360 images, under the allowance of about 6.8 points',
    file: 'quiet-dip-within-allowance.log',
    fixture: (log) => {
      const values = log.column('val_accuracy');
      expect((values[18] ?? 0) - (values[19] ?? 0)).toBeGreaterThan(0.02);
    },
    expected: () => [],
  },
  {
    name: 'val_loss ×8 at epochs 12 and 22 without an accuracy: a warning on the curve’s own noise',
    file: 'fires-loss-spikes-no-accuracy.log',
    expected: () => [
      {
        severity: 'warning',
        metric: 'val_loss',
        epochs: [1, 30],
        stats: { excursions: 2, basis: 'own-noise', worstEpoch: 22 },
        data: { epochs: '12, 22' },
      },
    ],
  },
  {
    name: 'a 30-image validation set swings by 13 points, within its sampling noise (SE 7.6 points): a note',
    file: 'fires-thirty-image-set-noisy-by-arithmetic.log',
    fixture: (log) => expect(log.found.at(-1)?.count).toBe(30),
    expected: () => [
      {
        severity: 'info',
        metric: 'val_accuracy',
        epochs: [1, 30],
        stats: { withinNoise: true, excursions: 0, samples: 30, samplingSE: near(0.0757, 3) },
        data: { samples: 30 },
      },
    ],
  },
  {
    // holdout-a hl-17.log: BatchNorm CNN, batches of 16, Adam 0.01, Keras momentum 0.99 (fixtures/README.md)
    name: 'val_acc on 400 images scatters at every epoch (robust SD 4.9 points, 1.73× √2 SE, limit 1.59) while acc scatters 5.4× less: the spread is an error with no single excursion',
    file: 'fires-spread-batchnorm-small-batches.log',
    fixture: (log) => {
      // a Progbar log with backspace frames: the epochs' values read straight from the text
      for (const v of ['0.3800', '0.1025', '0.1775', '0.1175', '0.3600'])
        expect(log.text).toContain(`val_acc: ${v}`);
    },
    expected: (): ExpectedFinding[] => [
      {
        severity: 'error',
        metric: 'val_acc',
        epochs: [1, 40],
        stats: {
          excursions: 0,
          spread: true,
          trainSmooth: true,
          samples: 400,
          spreadRatio: near(1.73, 2),
          spreadLimit: near(1 + (3.1 * 1.2) / Math.sqrt(40), 2),
          worstEpoch: 4,
        },
        data: { trainNote: 'trainSmoothSpread' },
      },
    ],
  },
  {
    // holdout-a hl-08.log: healthy MLP, 400 validation samples
    name: 'a healthy run on 400 counted samples: its scatter (0.23 SE) is far inside the sampling noise',
    file: 'quiet-healthy-counted-set.log',
    expected: () => [],
  },
]);
