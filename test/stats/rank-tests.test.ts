import { describe, expect, it } from 'vitest';
import {
  PARITY_RANKS_MIN_POINTS,
  createRandom,
  lowess,
  mannWhitney,
  normalSeries,
  testParityRanks,
  type ParityRanksResult,
  type RandomSource,
} from '../../src/stats/index.js';
import { FOUNDING_TRAIN_ACC, FOUNDING_VAL_ACC, expectRelative, lossCurve, parity } from './helpers.js';

function tested(result: ReturnType<typeof testParityRanks>): ParityRanksResult {
  if (result.status !== 'tested') throw new Error(`expected a tested result, got ${result.status}`);
  return result;
}

describe('mannWhitney', () => {
  it.each([
    {
      // SciPy `mannwhitneyu` documentation example (Conover): ages of 5 males vs 4 females. U = 17 of 20;
      // by hand P(U ≥ 17) = P(U ≤ 3) = (1 + 1 + 2 + 3)/C(9, 4) = 7/126, so the two-sided exact p = 14/126.
      name: 'textbook example, exact',
      x: [19, 22, 16, 29, 24],
      y: [20, 11, 17, 12],
      u: 17,
      p: 14 / 126,
      method: 'exact',
    },
    {
      name: 'unequal sizes, exact (SciPy method="exact")',
      x: [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46],
      y: [1.15, 0.88, 0.9, 0.74, 1.21],
      u: 35,
      p: 0.2544122544122544,
      method: 'exact',
    },
    {
      // Ties force the normal approximation with tie-corrected variance and continuity correction (SciPy).
      name: 'ties, normal approximation',
      x: [1, 2, 2, 3, 5, 5, 5, 8],
      y: [2, 4, 5, 6, 7, 9, 9],
      u: 14.5,
      p: 0.1272539397501806,
      method: 'normal',
    },
    {
      name: 'large samples, normal approximation',
      x: Array.from({ length: 60 }, (_, i) => i + 0.5),
      y: Array.from({ length: 55 }, (_, i) => i * 1.1),
      u: 1666.5,
      p: 0.9286183303469208,
      method: 'normal',
    },
  ])('$name', ({ x, y, u, p, method }) => {
    const result = mannWhitney(x, y);
    expect(result.u).toBe(u);
    expect(result.method).toBe(method);
    expectRelative(result.p, p, 1e-9);
    // Swapping the samples mirrors U and keeps p.
    const swapped = mannWhitney(y, x);
    expect(swapped.u).toBe(x.length * y.length - u);
    expectRelative(swapped.p, p, 1e-9);
  });

  it('normal approximation of the textbook example matches SciPy (asymptotic)', () => {
    // Without ties the exact path is taken; z reproduces SciPy's continuity-corrected asymptotic p.
    const { z } = mannWhitney([19, 22, 16, 29, 24], [20, 11, 17, 12]);
    expectRelative(z, 6.5 / Math.sqrt((5 * 4 * 10) / 12), 1e-12);
  });

  it('throws on an empty sample', () => {
    expect(() => mannWhitney([], [1])).toThrow(RangeError);
  });
});

describe('lowess', () => {
  it('reproduces a straight line', () => {
    const line = Array.from({ length: 30 }, (_, t) => 2 - 0.05 * t);
    lowess(line).forEach((v, t) => expectRelative(v, line[t] as number, 1e-9));
  });

  it('resists a spike thanks to the bisquare iterations', () => {
    const line = Array.from({ length: 30 }, (_, t) => 2 - 0.05 * t + 0.01 * Math.sin(1.3 * t));
    const spiked = line.map((v, t) => (t === 15 ? v + 5 : v));
    const pulled = (iterations: number): number =>
      Math.abs((lowess(spiked, { iterations })[15] as number) - (line[15] as number));
    expect(pulled(0)).toBeGreaterThan(0.5);
    expect(pulled(2)).toBeLessThan(0.02);
  });

  it('does not reproduce a pure alternation (unlike a running median)', () => {
    const fitted = lowess(Array.from({ length: 30 }, (_, t) => parity(t)));
    // Interior points average the two parities; only the one-sided end windows keep a little of the swing.
    expect(Math.max(...fitted.slice(5, 25).map(Math.abs))).toBeLessThan(0.02);
  });
});

describe('testParityRanks', () => {
  it('confirms the founding val_acc swing with even indices (epochs 1, 3, 5, …) high', () => {
    const result = tested(testParityRanks(FOUNDING_VAL_ACC));
    expect(result.p).toBeLessThan(1e-6);
    expect(result.high).toBe('even-index');
    expect(result.test.method).toBe('exact');
    expect(result.test.probabilityFirstHigher).toBe(1);
  });

  it('does not confirm anything on the training accuracy', () => {
    expect(tested(testParityRanks(FOUNDING_TRAIN_ACC)).p).toBeGreaterThan(0.01);
  });

  it.each([
    { name: '15 points', y: lossCurve(15), reason: 'too-few-points' },
    {
      name: 'an Infinity',
      y: lossCurve(20).map((v, t) => (t === 3 ? Infinity : v)),
      reason: 'non-finite-values',
    },
  ])('$name → insufficient', ({ y, reason }) => {
    expect(testParityRanks(y)).toMatchObject({
      status: 'insufficient',
      minimum: PARITY_RANKS_MIN_POINTS,
      reason,
    });
  });

  const SIGMA = 0.02;
  const rate = (n: number, amplitude: number, alpha: number): number => {
    let count = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const random: RandomSource = createRandom(seed * 104729 + n);
      const noise = normalSeries(random, n, SIGMA);
      const y = lossCurve(n).map((m, t) => m + (noise[t] as number) + amplitude * SIGMA * parity(t));
      if (tested(testParityRanks(y)).p < alpha) count++;
    }
    return count / 200;
  };

  it.each([{ n: 20 }, { n: 40 }])('false alarms at n = $n stay near α = 0.01 (200 seeds)', ({ n }) => {
    // statistics.md B2 [sim]: ≤ 0.6 % for n ≥ 20.
    expect(rate(n, 0, 0.01)).toBeLessThanOrEqual(0.025);
  });

  it('detects a 1σ swing at n = 20 in most seeds (statistics.md B2: 85 %)', () => {
    const power = rate(20, 1, 0.01);
    expect(power, `power ${power}`).toBeGreaterThan(0.75);
  });
});
