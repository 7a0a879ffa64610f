/** Named scenarios (run, findings, hints) shared by the cause tables and the message-contract test. */
import type { Finding, Hints, Run } from '../../src/model/index.js';
import { alternatingRows, alternation, finding, realRun, seedFindings, syntheticRun } from './helpers.js';

export interface Scenario {
  name: string;
  run: Run;
  findings: Finding[];
  hints: Hints;
}

const seedRun = realRun('crossvalidated-416172.txt');

function seed(name: string, hints: Hints = {}): Scenario {
  return { name, run: seedRun, findings: seedFindings(), hints };
}

/** n epochs with irregular validation swings and a smooth training loss. */
function irregularRows(n: number): Array<Record<string, number>> {
  const jitter = [
    0.1, -0.05, -0.12, 0.02, 0.09, 0.1, -0.08, 0.01, -0.11, 0.06, 0.07, -0.02, -0.1, 0.12, 0.03,
  ];
  return Array.from({ length: n }, (_, i) => ({
    loss: 0.6 * Math.exp(-(i + 1) / 8) + 0.1,
    acc: 0.95 - 0.3 * Math.exp(-(i + 1) / 8),
    val_loss: 0.4 + (jitter[i % jitter.length] ?? 0),
    val_acc: 0.8 - (jitter[i % jitter.length] ?? 0) / 2,
  }));
}

const twoFound = (train: number, val: number): Run['datasets'] => [
  { source: 'found', role: 'unknown', count: train, unit: 'images', classes: 2, line: 1 },
  { source: 'found', role: 'unknown', count: val, unit: 'images', classes: 2, line: 2 },
];

const swingFinding = finding('val-swing-exceeds-sampling-noise', 'val_acc', {
  valSamples: 2000,
  medianAbsChange: 0.08,
  binomialSE: 0.009,
  ratio: 8.9,
  p: 1e-6,
});

/** Every scenario, by name. */
export const SCENARIOS: Scenario[] = [
  {
    name: 'validation stuck, validation better than training',
    run: syntheticRun(
      Array.from({ length: 12 }, (_, i) => ({ loss: 1 - i * 0.01, acc: 0.5, val_loss: 0.9, val_acc: 0.6 })),
    ),
    findings: [
      finding('val-stuck', 'val_acc', { value: 0.6 }, { epochs: [1, 12] }),
      finding('val-better-than-train', 'val_acc', { gap: 0.1 }, { severity: 'info', epochs: [1, 12] }),
    ],
    hints: {},
  },
  seed('seed'),
  seed('seed, valBatchSize 16', { valBatchSize: 16 }),
  seed('seed, valBatchSize 16 with class counts', { valBatchSize: 16, valClassCounts: [5200, 5201] }),
  seed('seed, valSteps 163', { valSteps: 163 }),
  seed('seed, stated b 32 and s 325', { valBatchSize: 32, valSteps: 325 }),
  seed('seed, batchnorm false', { batchnorm: false }),
  seed('seed, batchnorm true', { batchnorm: true }),
  seed('seed, valShuffle true', { valShuffle: true }),
  seed('seed, valData arrays', { valData: 'arrays' }),
  seed('seed, valData sequence', { valData: 'sequence' }),
  seed('seed, valData sequence, tf.keras 2.6', { valData: 'sequence', kerasVersion: '2.6.0' }),
  seed('seed, valBatchSize 16, valData sequence, Keras 2.2.4', {
    valBatchSize: 16,
    valData: 'sequence',
    kerasVersion: '2.2.4',
  }),
  seed('seed, valBatchSize 16, valData dataset, Keras 3', {
    valBatchSize: 16,
    valData: 'dataset',
    kerasVersion: '3.3.3',
  }),
  seed('seed, workers 1', { workers: 1 }),
  seed('seed, workers 2', { workers: 2 }),
  seed('seed, workers 4', { workers: 4 }),
  seed('seed, prefetch geometry', { valSamples: 1000, valBatchSize: 32, valSteps: 6 }),
  {
    name: 'alternation, sizes unknown',
    run: syntheticRun(alternatingRows(39)),
    findings: seedFindings(),
    hints: {},
  },
  {
    name: 'training alternates too',
    run: syntheticRun(alternatingRows(39, { trainAlternates: true })),
    findings: [alternation('val_acc', 'odd', 0.19, { trainAlternates: true, trainP: 1e-6 })],
    hints: {},
  },
  {
    name: 'irregular swings',
    run: syntheticRun(irregularRows(30), { datasets: twoFound(8000, 2000), steps: 250 }),
    findings: [swingFinding],
    hints: {},
  },
  {
    name: 'irregular swings, batchnorm and shuffled validation',
    run: syntheticRun(irregularRows(30), { datasets: twoFound(8000, 2000), steps: 250 }),
    findings: [swingFinding],
    hints: { batchnorm: true, valShuffle: true },
  },
  {
    name: 'diverging training',
    run: syntheticRun(
      Array.from({ length: 20 }, (_, i) => ({
        loss: i < 10 ? 1 - i * 0.05 : 0.5 + (i - 9) * 0.3,
        val_loss: 1 + i * 0.1,
      })),
    ),
    findings: [finding('loss-divergence', 'loss', { from: 10, factor: 6 }, { epochs: [10, 20] })],
    hints: {},
  },
  {
    name: 'validation stuck at chance',
    run: syntheticRun(
      Array.from({ length: 20 }, (_, i) => ({
        loss: 0.7 - i * 0.03,
        acc: 0.55 + i * 0.02,
        val_loss: 2.5,
        val_acc: 0.5 + (i % 3) * 0.001,
      })),
      { datasets: twoFound(4000, 1000), steps: 125 },
    ),
    findings: [finding('val-stuck', 'val_acc', { value: 0.5, epochs: 20 }, { epochs: [1, 20] })],
    hints: {},
  },
  {
    name: 'validation better than training, overfitting late',
    run: syntheticRun(
      Array.from({ length: 20 }, (_, i) => ({
        loss: 0.8 - i * 0.02,
        acc: 0.5 + i * 0.02,
        val_loss: 0.5 - i * 0.01,
        val_acc: 0.7 + i * 0.01,
      })),
    ),
    findings: [
      finding('val-better-than-train', 'val_acc', { gap: 0.1 }, { severity: 'info', epochs: [1, 20] }),
      finding('overfitting', 'val_loss', { from: 15 }, { severity: 'warning', epochs: [15, 20] }),
    ],
    hints: {},
  },
  {
    name: 'logged learning rate cycles',
    run: syntheticRun(alternatingRows(30).map((row, i) => ({ ...row, lr: i % 2 === 0 ? 0.01 : 0.001 }))),
    findings: [alternation('val_acc', 'odd', 0.19, {}, { epochs: [1, 30] })],
    hints: {},
  },
  {
    name: 'logged learning rate only steps down',
    run: syntheticRun(alternatingRows(30).map((row, i) => ({ ...row, lr: i < 15 ? 0.001 : 0.0005 }))),
    findings: [alternation('val_acc', 'odd', 0.19, {}, { epochs: [1, 30] })],
    hints: {},
  },
  {
    name: 'validation every other epoch',
    run: syntheticRun(
      alternatingRows(30).map((row, i) => (i % 2 === 1 ? row : { loss: row.loss ?? 0, acc: row.acc ?? 0 })),
    ),
    findings: [
      finding('val-periodic', 'val_acc', { n: 15, period: 2, p: 1e-4, amplitude: 0.1 }, { epochs: [2, 30] }),
    ],
    hints: {},
  },
  {
    name: 'forward-filled validation',
    run: syntheticRun(
      alternatingRows(30).map((row, i, rows) =>
        i % 2 === 1
          ? { ...row, val_acc: rows[i - 1]?.val_acc ?? 0, val_loss: rows[i - 1]?.val_loss ?? 0 }
          : row,
      ),
    ),
    findings: [
      alternation('val_acc', 'odd', 0.1, { phaseConsistent: false, longestPhaseRun: 6 }, { epochs: [1, 30] }),
    ],
    hints: {},
  },
  {
    name: 'truncated subset, stuck',
    run: syntheticRun(
      Array.from({ length: 20 }, (_, i) => ({
        loss: 0.7 - i * 0.02,
        acc: 0.6 + i * 0.015,
        val_loss: 0.3,
        val_acc: 0.91,
      })),
    ),
    findings: [finding('val-stuck', 'val_acc', { value: 0.91 }, { epochs: [1, 20] })],
    hints: { valSamples: 10000, valBatchSize: 32, valSteps: 100 },
  },
  {
    name: 'small validation set, small swings',
    run: syntheticRun(
      Array.from({ length: 20 }, (_, i) => ({
        loss: 0.7 - i * 0.02,
        acc: 0.6 + i * 0.015,
        val_loss: 0.5 + (i % 3) * 0.02,
        val_acc: 0.8 + (i % 3 === 1 ? 0.03 : i % 3 === 2 ? -0.03 : 0),
      })),
    ),
    findings: [
      finding('plateau', 'val_loss', { best: 0.5, bestEpoch: 4 }, { severity: 'warning', epochs: [4, 20] }),
    ],
    hints: { valSamples: 100 },
  },
];

/** The scenario with this name (throws for a typo). */
export function scenario(name: string): Scenario {
  const found = SCENARIOS.find((s) => s.name === name);
  if (!found) throw new Error(`no scenario ${name}`);
  return found;
}
