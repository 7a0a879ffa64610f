import { expect } from 'vitest';
import { runDetectorTable, type ExpectedFinding, type FixtureLog } from './helpers.js';

function nonFinite(log: FixtureLog, metric: string): ExpectedFinding {
  const values = log.column(metric);
  const bad = values.flatMap((v, i) => (Number.isFinite(v) ? [] : [i + 1]));
  return {
    severity: 'error',
    metric,
    epochs: [bad[0] ?? 0, bad.at(-1) ?? 0],
    stats: { firstEpoch: bad[0] ?? 0, count: bad.length, total: values.length },
    data: { value: 'nan', first: bad[0] ?? 0, count: bad.length, total: values.length },
  };
}

/** The `Epoch k/N` header the TerminateOnNaN message was printed under. */
function headerBefore(log: FixtureLog, pattern: RegExp): number {
  const lines = log.text.split('\n');
  const at = lines.findIndex((l) => pattern.test(l));
  const headers = lines.slice(0, at + 1).flatMap((l) => {
    const m = /^Epoch (\d+)\/\d+$/.exec(l);
    return m?.[1] === undefined ? [] : [Number(m[1])];
  });
  return headers.at(-1) ?? 0;
}

runDetectorTable('loss-not-finite', [
  {
    name: 'loss and val_loss are nan from epoch 4 to 10 (7 of 10 epochs)',
    file: 'fires-nan-from-epoch-4.log',
    expected: (log) => [nonFinite(log, 'loss'), nonFinite(log, 'val_loss')],
  },
  {
    name: 'TerminateOnNaN at batch 211 of epoch 6; the cut epoch prints no validation',
    file: 'fires-terminate-on-nan.log',
    fixture: (log) => expect(headerBefore(log, /Batch 211: Invalid loss/)).toBe(6),
    expected: (log) => {
      const epoch = headerBefore(log, /Batch 211: Invalid loss/);
      return [
        {
          severity: 'error',
          metric: 'loss',
          // the stopped epoch's final line (212/910, no ETA) prints loss: nan: that is the finding
          epochs: [epoch, epoch],
          stats: { firstEpoch: epoch, count: 1 },
          data: { first: epoch, value: 'nan' },
        },
      ];
    },
  },
  {
    name: 'the paste ends at "Batch 847: Invalid loss" inside epoch 4: no epoch printed a NaN',
    file: 'fires-terminated-mid-epoch.log',
    fixture: (log) => expect(log.column('loss').every(Number.isFinite)).toBe(true),
    expected: (log) => {
      const epoch = headerBefore(log, /Batch 847: Invalid loss/);
      return [
        {
          severity: 'error',
          metric: 'loss',
          epochs: [epoch, epoch],
          stats: { batch: 847 },
          data: { batch: 847, epoch },
        },
      ];
    },
  },
  {
    name: 'near miss: the loss reaches 1.8e8 but stays finite',
    file: 'quiet-huge-finite.log',
    fixture: (log) => {
      const loss = log.column('loss');
      expect(Math.max(...loss)).toBeGreaterThan(1e8);
      expect([...loss, ...log.column('val_loss')].every(Number.isFinite)).toBe(true);
    },
    expected: () => [],
  },
  {
    name: 'near miss: tiny losses in %.4e down to 0.0000e+00',
    file: 'quiet-tiny-exponent-loss.log',
    fixture: (log) => {
      expect(log.text).toContain('loss: 3.9000e-06');
      expect(log.column('loss').at(-1)).toBe(0);
      expect(log.column('val_loss').every(Number.isFinite)).toBe(true);
    },
    expected: () => [],
  },
]);
