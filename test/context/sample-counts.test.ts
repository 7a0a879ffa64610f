import { describe, expect, it } from 'vitest';
import { inferSampleCounts } from '../../src/context/sample-counts.js';

const f32 = (k: number, n: number): number => Math.fround(k / n);
const epochs = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);
/** Accuracies of a learning curve on `n` samples: the correct counts rise, no two epochs alike. */
function counts(length: number, n: number, start = 0.6): number[] {
  return Array.from({ length }, (_, i) => Math.round(n * (start + (0.95 - start) * (1 - Math.exp(-i / 6)))));
}

describe('sample counts from the digits of an accuracy', () => {
  it('full float32 digits: one count for every epoch (k/360)', () => {
    const values = counts(40, 360).map((k) => f32(k, 360));
    const inferred = inferSampleCounts('val_accuracy', epochs(40), values, null);
    expect(inferred).toMatchObject({
      precision: 'float32',
      pattern: 'constant',
      counts: [360],
      resolved: 40,
    });
    expect(inferred?.chanceFit).toBeLessThan(0.01);
    expect(inferred?.epochs[3]).toEqual({ epoch: 4, count: 360, correct: counts(40, 360)[3] });
  });

  it('windows of 192 and 168 samples on alternate epochs: a cycle, though 1344 fits every epoch', () => {
    const k = counts(40, 1);
    const values = k.map((_, i) =>
      i % 2 === 0 ? f32(Math.round(0.8 * 192) - (i % 5), 192) : f32(Math.round(0.7 * 168) + (i % 7), 168),
    );
    const inferred = inferSampleCounts('val_accuracy', epochs(40), values, null);
    expect(inferred).toMatchObject({ pattern: 'cycle', counts: [192, 168], period: 2, firstEpoch: 1 });
  });

  it('four console decimals over 40 epochs pin 360 down, two decimals do not', () => {
    const values = counts(40, 360).map((k) => Number((k / 360).toFixed(4)));
    expect(inferSampleCounts('val_acc', epochs(40), values, null)).toMatchObject({
      precision: 'decimals',
      decimals: 4,
      pattern: 'constant',
      counts: [360],
    });
    const coarse = counts(40, 360).map((k) => Number((k / 360).toFixed(2)));
    expect(inferSampleCounts('val_acc', epochs(40), coarse, null)?.pattern).toBe('unknown');
  });

  it('a constant accuracy k/n says k of n right every epoch', () => {
    const values = [0.55, 0.5333, 0.5194, 0.5111, ...Array.from({ length: 36 }, () => 0.5028)];
    const inferred = inferSampleCounts('val_accuracy', epochs(40), values, 360);
    expect(inferred).toMatchObject({ pattern: 'constant', counts: [360] });
    expect(inferred?.epochs.at(-1)).toEqual({ epoch: 40, count: 360, correct: 181 });
  });

  it('only 0s and 1s, values outside [0, 1], too few epochs: nothing to say', () => {
    expect(inferSampleCounts('val_acc', epochs(5), [0, 1, 1, 0, 1], null)?.pattern).toBe('unknown');
    expect(inferSampleCounts('val_mae', epochs(3), [1.5, 2, 3], null)).toBeNull();
    expect(inferSampleCounts('val_acc', epochs(2), [0.5, 0.6], null)).toBeNull();
  });

  it('with the set size known and full digits that fit no count within it, the evaluated set varies', () => {
    const values = [f32(151, 192), f32(132, 168), f32(70, 97), f32(150, 192), f32(131, 168), f32(71, 97)];
    expect(inferSampleCounts('val_accuracy', epochs(6), values, 300)?.pattern).toBe('varies');
  });
});
