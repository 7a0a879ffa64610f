import { describe, expect, it } from 'vitest';
import {
  alternatingChanges,
  createRandom,
  differenceScale,
  differenceSigns,
  longestAlternatingRun,
  normalSeries,
  robustScale,
} from '../../src/stats/index.js';
import { FOUNDING_TRAIN_ACC, FOUNDING_VAL_ACC, expectRelative } from './helpers.js';

describe('alternation descriptors', () => {
  it.each([
    {
      name: 'perfect zigzag, even high',
      y: [3, 1, 3, 1, 3, 1],
      run: { start: 0, end: 5, length: 6, high: 'even-index' },
    },
    {
      name: 'zigzag after a plateau',
      y: [5, 5, 5, 1, 3, 1, 3, 2],
      run: { start: 2, end: 7, length: 6, high: 'even-index' },
    },
    // Two runs of three points: ties go to the later run.
    {
      name: 'tie goes to the later run',
      y: [0, 1, 0, 0, 1, 0],
      run: { start: 3, end: 5, length: 3, high: 'even-index' },
    },
    {
      name: 'monotone: every change starts a new run',
      y: [1, 2, 3],
      run: { start: 1, end: 2, length: 2, high: 'even-index' },
    },
    { name: 'flat', y: [1, 1, 1], run: null },
  ])('longestAlternatingRun: $name', ({ y, run }) => {
    expect(longestAlternatingRun(y)).toEqual(run);
  });

  it('longestAlternatingRun honours a required phase and an index offset', () => {
    const y = [3, 1, 3, 1, 1, 2, 1, 2, 1, 2, 1];
    expect(longestAlternatingRun(y)).toMatchObject({ start: 4, end: 10, high: 'odd-index' });
    expect(longestAlternatingRun(y, { high: 'even-index' })).toMatchObject({ start: 0, end: 3, length: 4 });
    expect(longestAlternatingRun(y, { indexOffset: 1 })).toMatchObject({
      start: 4,
      end: 10,
      high: 'even-index',
    });
  });

  it('describes the founding case', () => {
    expect(longestAlternatingRun(FOUNDING_VAL_ACC)).toEqual({
      start: 0,
      end: 38,
      length: 39,
      high: 'even-index',
    });
    expect(alternatingChanges(FOUNDING_VAL_ACC)).toEqual({
      k: 37,
      m: 37,
      fraction: 1,
      expectedFraction: 2 / 3,
    });
    expect(alternatingChanges(FOUNDING_TRAIN_ACC)).toMatchObject({ k: 18, m: 37 });
  });

  it.each([
    { y: [1, 3, 2, 2, 5, 4], signs: [1, -1, 0, 1, -1], k: 2, m: 2 },
    { y: [1], signs: [], k: 0, m: 0 },
  ])('differenceSigns / alternatingChanges of $y', ({ y, signs, k, m }) => {
    expect(differenceSigns(y)).toEqual(signs);
    expect(alternatingChanges(y)).toMatchObject({ k, m });
  });

  it('about 2/3 of successive changes of iid noise alternate', () => {
    const { fraction } = alternatingChanges(normalSeries(createRandom(1), 3000));
    expect(Math.abs(fraction - 2 / 3)).toBeLessThan(0.03);
  });

  it('robust scales estimate σ and ignore outliers', () => {
    // MAD of [1, 2, 3, 4, 100] is 1 → 1.4826.
    expectRelative(robustScale([1, 2, 3, 4, 100]), 1.4826, 1e-12);
    expect(robustScale([])).toBeNaN();
    const noise = normalSeries(createRandom(2), 4000, 0.5);
    expect(Math.abs(robustScale(noise) - 0.5)).toBeLessThan(0.03);
    expect(Math.abs(differenceScale(noise) - 0.5)).toBeLessThan(0.03);
  });
});
