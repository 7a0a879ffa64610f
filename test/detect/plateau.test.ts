import { expect } from 'vitest';
import { argminEpoch, near, runDetectorTable, type ExpectedFinding, type FixtureLog } from './helpers.js';

/**
 * The epoch of the last new best of a lower-is-better series, where a new best must beat the previous
 * one by `minDelta` of the series' range (the documented rule).
 */
function lastBestEpoch(values: readonly number[], minDelta = 0.01): number {
  const delta = (Math.max(...values) - Math.min(...values)) * minDelta;
  let best = values[0] ?? 0;
  let epoch = 1;
  values.forEach((v, i) => {
    if (v < best - delta) {
      best = v;
      epoch = i + 1;
    }
  });
  return epoch;
}

function plateau(log: FixtureLog, metric: string, bestEpoch: number, lrChanges: number): ExpectedFinding {
  const values = log.column(metric);
  return {
    severity: lrChanges > 0 ? 'warning' : 'info',
    metric,
    epochs: [bestEpoch, values.length],
    stats: {
      bestEpoch,
      best: near(values[bestEpoch - 1] ?? Number.NaN, 4),
      epochsSinceBest: values.length - bestEpoch,
      lrChanges,
    },
    data: { since: values.length - bestEpoch, bestEpoch, changes: lrChanges },
  };
}

runDetectorTable('plateau', [
  {
    name: 'no new best val_loss after epoch 18; three ReduceLROnPlateau cuts did not help (warning)',
    file: 'fires-after-lr-reductions.log',
    fixture: (log) => expect(log.lrReducedEpochs).toEqual([23, 28, 33]),
    expected: (log) => {
      const bestEpoch = argminEpoch(log.column('val_loss'));
      const last = log.column('val_loss').length;
      // ReduceLROnPlateau acts at the end of its epoch: the next epoch trains with the new rate
      const changes = log.lrReducedEpochs.filter((e) => e + 1 > bestEpoch && e + 1 <= last).length;
      return [plateau(log, 'val_loss', bestEpoch, changes)];
    },
  },
  {
    name: 'no validation: the training loss stalls from epoch 8 to 22 (info)',
    file: 'fires-train-loss-no-validation.log',
    fixture: (log) => expect(log.metrics.has('val_loss')).toBe(false),
    expected: (log) => [plateau(log, 'loss', argminEpoch(log.column('loss')), 0)],
  },
  {
    name: 'new lows after epoch 12 beat the best by less than 1 % of the range: still a plateau',
    file: 'fires-sub-delta-new-lows.log',
    fixture: (log) => {
      const values = log.column('val_loss');
      expect(argminEpoch(values)).toBeGreaterThan(lastBestEpoch(values));
    },
    expected: (log) => [plateau(log, 'val_loss', lastBestEpoch(log.column('val_loss')), 0)],
  },
  {
    name: 'near miss: 17 flat epochs, then a clear new best 2 epochs before the end',
    file: 'quiet-new-best-two-before-end.log',
    fixture: (log) => {
      const values = log.column('val_loss');
      expect(lastBestEpoch(values)).toBe(values.length - 2);
      expect(argminEpoch(values.slice(0, -3))).toBe(10);
    },
    expected: () => [],
  },
  {
    name: 'near miss: 9 epochs since the best (patience is 10)',
    file: 'quiet-nine-epochs-since-best.log',
    fixture: (log) => {
      const values = log.column('val_loss');
      expect(values.length - lastBestEpoch(values)).toBe(9);
    },
    expected: () => [],
  },
]);
