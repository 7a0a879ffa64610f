import { describe, expect, it } from 'vitest';
import { mannKendall, theilSen } from '../../src/stats/index.js';
import { FOUNDING_TRAIN_ACC, expectRelative } from './helpers.js';

describe('mannKendall', () => {
  it.each([
    {
      // Perfectly increasing, n = 4: S = 6 is reached by 1 of 4! orderings, so p = 2/24.
      name: 'hand-computed n = 4',
      y: [1, 2, 3, 4],
      s: 6,
      p: 2 / 24,
      method: 'exact',
    },
    {
      // SciPy kendalltau(method="exact") against time: tau = 37/45.
      name: 'exact, n = 10',
      y: [1, 3, 2, 5, 4, 7, 6, 9, 8, 10],
      s: 37,
      p: 0.0003576940035273369,
      method: 'exact',
    },
    {
      // Ties: two pairs tied → Var S = (12·11·29 − 2·(2·1·9))/18 = 3792/18; z = (58 − 1)/√(3792/18).
      name: 'ties, normal approximation',
      y: [1, 3, 2, 5, 5, 7, 6, 9, 9, 10, 12, 11],
      s: 58,
      p: 8.596013970178452e-5,
      method: 'normal',
    },
    { name: 'falling', y: [4, 3, 2, 1], s: -6, p: 2 / 24, method: 'exact' },
    { name: 'too short', y: [1, 2], s: 1, p: 1, method: 'exact' },
  ])('$name', ({ y, s, p, method }) => {
    const result = mannKendall(y);
    expect(result.s).toBe(s);
    expect(result.method).toBe(method);
    expectRelative(result.p, p, 1e-9);
  });

  it('reports the tie-corrected variance and tau-b', () => {
    const result = mannKendall([1, 3, 2, 5, 5, 7, 6, 9, 9, 10, 12, 11]);
    expectRelative(result.variance, 3792 / 18, 1e-12);
    // tau-b = S / √(N·(N − tied pairs)) with N = 66, 2 tied pairs (SciPy kendalltau: 0.8924133096001623).
    expectRelative(result.tau, 0.8924133096001623, 1e-12);
  });

  it('sees the rising training accuracy of the founding case', () => {
    const result = mannKendall(FOUNDING_TRAIN_ACC);
    expect(result.s).toBeGreaterThan(0);
    expect(result.p).toBeLessThan(1e-10);
  });
});

describe('theilSen', () => {
  it.each([
    {
      // SciPy theilslopes: an outlier at the end barely moves the slope.
      name: 'outlier',
      y: [1, 3, 2, 5, 4, 7, 6, 9, 8, 30],
      slope: 1,
      intercept: 1,
      lower: 0.75,
      upper: 3,
    },
    {
      name: 'noisy rise',
      y: [0.2, 0.5, 0.4, 0.9, 0.7, 1.3, 1.1, 1.2, 1.9, 1.6, 2.4, 2.0],
      slope: 0.18,
      intercept: 0.16,
      lower: 0.1375,
      upper: 0.21428571428571427,
    },
  ])('matches SciPy theilslopes: $name', ({ y, slope, intercept, lower, upper }) => {
    const result = theilSen(y);
    expectRelative(result.slope, slope, 1e-12);
    expectRelative(result.intercept, intercept, 1e-9);
    expectRelative(result.lower, lower, 1e-12);
    expectRelative(result.upper, upper, 1e-12);
  });

  it('uses given abscissae, skips equal x, and widens to infinity with too few pairs', () => {
    expect(theilSen([1, 2, 4], [0, 0, 2]).slope).toBe(1.25);
    const short = theilSen([1, 2, 3]);
    expect(short.slope).toBe(1);
    expect(short.lower).toBe(Number.NEGATIVE_INFINITY);
    expect(short.upper).toBe(Number.POSITIVE_INFINITY);
    expect(theilSen([5]).slope).toBeNaN();
  });
});
