import { expect } from 'vitest';
import { argminEpoch, near, runDetectorTable, type ExpectedFinding, type FixtureLog } from './helpers.js';

/**
 * The finding for a run whose loss is fine up to `lastGood` and above 3× its best from then on: best and
 * its epoch over the good stretch, the last value, and the ratio.
 */
function diverged(log: FixtureLog, lastGood: number): ExpectedFinding {
  const loss = log.column('loss');
  const good = loss.slice(0, lastGood);
  const best = Math.min(...good);
  const last = loss.at(-1) ?? Number.NaN;
  // the blow-up starts at the first epoch from which every value is > 3× the best AND has given back at
  // least a quarter of the progress from epoch 1 to the best
  const first = loss[0] ?? Number.NaN;
  const blown = (v: number) => v > 3 * best && v - best >= 0.25 * (first - best);
  let start = loss.length;
  while (start > lastGood && blown(loss[start - 1] ?? Number.NaN)) start -= 1;
  return {
    severity: 'error',
    metric: 'loss',
    epochs: [start + 1, loss.length],
    stats: {
      best: near(best, 4),
      bestEpoch: argminEpoch(good),
      last: near(last, 1),
      ratio: near(last / best, 0),
      sustainedEpochs: loss.length - start,
    },
    data: { bestEpoch: argminEpoch(good), lastEpoch: loss.length },
  };
}

/** Every value after `lastGood` is above `factor` × the best before it. */
function blownFrom(log: FixtureLog, lastGood: number, factor = 3): boolean {
  const loss = log.column('loss');
  const best = Math.min(...loss.slice(0, lastGood));
  return loss.slice(lastGood).every((v) => v > factor * best);
}

runDetectorTable('loss-divergence', [
  {
    name: 'learning rate too high: loss 0.25 → 0.92, 2.4, 7.1, 15.3 over the last 4 epochs',
    file: 'fires-lr-blowup.log',
    fixture: (log) => expect(blownFrom(log, 12)).toBe(true),
    expected: (log) => [diverged(log, 12)],
  },
  {
    name: 'collapse: loss jumps to 7.9712 (saturated sigmoid) at epoch 12 and stays for 9 epochs',
    file: 'fires-collapse-to-constant.log',
    fixture: (log) => expect(log.column('loss').slice(11)).toEqual(Array(9).fill(7.9712)),
    expected: (log) => [diverged(log, 11)],
  },
  {
    name: '10 classes: loss 2.3026 → 0.11, then ~1.7 for 6 epochs (15× best) — below the first epoch, still a blow-up',
    file: 'fires-blowup-below-first-loss.log',
    fixture: (log) => {
      expect(blownFrom(log, 12, 5)).toBe(true);
      expect(log.column('loss')[0]).toBe(2.3026);
    },
    expected: (log) => [diverged(log, 12)],
  },
  {
    name: 'near miss: a 5× spike at epoch 9 that recovers by epoch 11',
    file: 'quiet-spike-recovers.log',
    fixture: (log) => {
      const loss = log.column('loss');
      const bestBefore = Math.min(...loss.slice(0, 8));
      expect(loss[8] ?? 0).toBeGreaterThan(5 * bestBefore);
      expect(loss.slice(-2).every((v) => v < 3 * Math.min(...loss))).toBe(true);
    },
    expected: () => [],
  },
  {
    name: 'near miss: only the very last epoch is above 3× the best (2 are needed)',
    file: 'quiet-last-epoch-spike.log',
    fixture: (log) => {
      const loss = log.column('loss');
      const best = Math.min(...loss);
      const after = loss.slice(loss.indexOf(best));
      expect(after.filter((v) => v > 3 * best)).toEqual([loss.at(-1)]);
      expect(loss.at(-1) ?? 0).toBeGreaterThan(loss[0] ?? 0);
    },
    expected: () => [],
  },
]);
