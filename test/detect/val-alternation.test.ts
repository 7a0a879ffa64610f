import { expect } from 'vitest';
import { near, runDetectorTable, zigzag, type ExpectedFinding, type FixtureLog } from './helpers.js';

/**
 * The even−odd swing in metric units, estimated without a trend fit: each interior point minus the mean
 * of its neighbours is 2β·(−1)^t plus noise on any locally linear trend, so the signed mean estimates the
 * full peak-to-peak swing 2|β|. Positive when odd epochs (1, 3, …) are high.
 */
function swing(values: readonly number[]): number {
  let sum = 0;
  for (let i = 1; i < values.length - 1; i++) {
    const sign = i % 2 === 0 ? 1 : -1; // index 0 = epoch 1 (odd)
    sum += sign * ((values[i] as number) - ((values[i - 1] as number) + (values[i + 1] as number)) / 2);
  }
  return sum / (values.length - 2);
}

function alternates(log: FixtureLog, metric: string, digits: number): ExpectedFinding {
  const values = log.column(metric);
  const { k, m } = zigzag(values);
  const s = swing(values);
  return {
    severity: 'error',
    metric,
    epochs: [1, values.length],
    stats: {
      n: values.length,
      highParity: s > 0 ? 'odd' : 'even',
      amplitude: near(Math.abs(s), digits),
      alternatingChanges: k,
      changes: m,
      phaseConsistent: true,
      trainAlternates: false,
    },
    data: { n: values.length, k, m, high: s > 0 ? 'odd' : 'even' },
  };
}

runDetectorTable('val-alternation', [
  {
    name: 'founding shape: val_acc ~0.98 on odd epochs, ~0.78 on even ones, training smooth',
    file: 'fires-founding-shape.log',
    expected: (log) => [alternates(log, 'val_acc', 2), alternates(log, 'val_loss', 2)],
  },
  {
    name: 'tf.keras, no accuracy: a ±0.02 val_loss sawtooth (even epochs high) on a falling curve',
    file: 'fires-val-loss-sawtooth.log',
    expected: (log) => [alternates(log, 'val_loss', 2)],
  },
  {
    name: 'near miss: ordinary noise around a smooth curve zigzags about 2/3 of the time',
    file: 'quiet-noise-zigzag.log',
    fixture: (log) => {
      for (const metric of ['val_loss', 'val_acc']) {
        const { k, m } = zigzag(log.column(metric));
        expect(k / m).toBeGreaterThan(0.55);
        expect(k / m).toBeLessThan(0.8);
      }
    },
    expected: () => [],
  },
  {
    name: 'a real alternation in only 10 epochs: "insufficient data" information, not an error',
    file: 'quiet-short-alternation.log',
    fixture: (log) => {
      const { k, m } = zigzag(log.column('val_acc'));
      expect(k).toBe(m);
    },
    expected: () => [
      {
        severity: 'info',
        metric: 'val_loss',
        epochs: [1, 10],
        stats: { insufficient: true, n: 10, minimum: 12 },
        data: { n: 10, minimum: 12 },
      },
    ],
  },
  {
    name: 'near miss: a learning-rate cut at epoch 19 makes a step in val_loss, not a swing',
    file: 'quiet-lr-step.log',
    fixture: (log) => expect(log.lrReducedEpochs).toEqual([19]),
    expected: () => [],
  },
]);
