import { expect } from 'vitest';
import { argminEpoch, near, runDetectorTable, type ExpectedFinding, type FixtureLog } from './helpers.js';

/** Kendall's tau (no ties) of a series against time. */
function kendallTau(values: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) {
    for (let j = i + 1; j < values.length; j++) s += Math.sign((values[j] as number) - (values[i] as number));
  }
  return s / ((values.length * (values.length - 1)) / 2);
}

function overfit(log: FixtureLog, train: string): ExpectedFinding {
  const val = log.column('val_loss');
  const bestEpoch = argminEpoch(val);
  const best = val[bestEpoch - 1] ?? Number.NaN;
  const last = val.at(-1) ?? Number.NaN;
  return {
    severity: 'warning',
    metric: 'val_loss',
    epochs: [bestEpoch, val.length],
    stats: {
      bestEpoch,
      best: near(best, 4),
      last: near(last, 4),
      rise: near((last - best) / best, 2),
      tau: near(kendallTau(val.slice(bestEpoch)), 2), // the epochs after the best
      epochsSinceBest: val.length - bestEpoch,
    },
    data: { metric: 'val_loss', trainMetric: train, bestEpoch },
  };
}

/** The training loss ends below its value at the best validation epoch. */
function trainFalls(log: FixtureLog): boolean {
  const bestEpoch = argminEpoch(log.column('val_loss'));
  const loss = log.column('loss');
  return (loss.at(-1) ?? 0) < (loss[bestEpoch - 1] ?? 0);
}

runDetectorTable('overfitting', [
  {
    name: 'val_loss bottoms out mid-run and climbs ~38 % over 26 epochs while loss keeps falling',
    file: 'fires-classic.log',
    fixture: (log) => expect(trainFalls(log)).toBe(true),
    expected: (log) => [overfit(log, 'loss')],
  },
  {
    name: 'tf.keras: val_loss rises over the last 8 epochs, loss falls',
    file: 'fires-rising-tail.log',
    fixture: (log) => expect(trainFalls(log)).toBe(true),
    expected: (log) => [overfit(log, 'loss')],
  },
  {
    name: 'near miss: one bad epoch (+47 %) after the best at epoch 25, back within 1.2 % at the end',
    file: 'quiet-one-bad-epoch.log',
    fixture: (log) => {
      const val = log.column('val_loss');
      const bestEpoch = argminEpoch(val);
      const best = val[bestEpoch - 1] ?? 0;
      expect(bestEpoch).toBe(25);
      expect(val.slice(bestEpoch).filter((v) => v > 1.4 * best)).toHaveLength(1);
      expect(((val.at(-1) ?? 0) - best) / best).toBeLessThan(0.05);
    },
    expected: () => [],
  },
  {
    name: 'near miss: val_loss climbs after its best, but the training loss climbs too',
    file: 'quiet-train-rises-too.log',
    fixture: (log) => {
      const val = log.column('val_loss');
      const best = Math.min(...val);
      expect(((val.at(-1) ?? 0) - best) / best).toBeGreaterThan(0.2);
      expect(trainFalls(log)).toBe(false);
    },
    expected: () => [],
  },
]);
