import { describe, expect, it } from 'vitest';
import {
  PERIODIC_MIN_POINTS,
  ar1Series,
  createRandom,
  normalSeries,
  testPeriodic,
  type PeriodicScanResult,
} from '../../src/stats/index.js';
import { FOUNDING_TRAIN_ACC, FOUNDING_VAL_ACC, expectRelative, lossCurve } from './helpers.js';

function tested(result: ReturnType<typeof testPeriodic>): PeriodicScanResult {
  if (result.status !== 'tested') throw new Error(`expected a tested result, got ${result.status}`);
  return result;
}

const SIGMA = 0.02;
const periodsUpTo = (n: number): number[] => Array.from({ length: Math.floor(n / 3) - 2 }, (_, k) => k + 3);

describe('testPeriodic', () => {
  it('recovers amplitude, phase and peak of a noiseless period-6 wave', () => {
    const n = 36;
    const y = lossCurve(n).map((m, t) => m + 0.05 * Math.cos((2 * Math.PI * (t - 2)) / 6));
    const result = tested(testPeriodic(y, { periods: [6], arCorrection: false }));
    const six = result.results[0];
    expect(six?.period).toBe(6);
    // The log-cubic trend absorbs a little of the wave; amplitude and peak are still close.
    expectRelative(six?.amplitude as number, 0.05, 0.05);
    expect(six?.peakIndex).toBeCloseTo(2, 0);
    expect(six?.halves.consistent).toBe(true);
  });

  it('applies the eligibility rules and Bonferroni over the periods tested', () => {
    const n = 30;
    const random = createRandom(11);
    const y = normalSeries(random, n, SIGMA).map((e, t) => e + (lossCurve(n)[t] as number));
    const result = tested(testPeriodic(y, { periods: [2, 3, 4, 4, 10, 11, Number.NaN] }));
    expect(result.results.map((r) => r.period)).toEqual([3, 4, 10]);
    expect(result.periodsTested).toBe(3);
    expect(result.skipped).toEqual([
      { period: 2, reason: 'invalid-period' },
      { period: Number.NaN, reason: 'invalid-period' },
      { period: 11, reason: 'fewer-than-3-cycles' },
    ]);
    for (const r of result.results) expect(r.pAdjusted).toBeCloseTo(Math.min(1, 3 * r.p), 12);
  });

  it('skips long periods a flexible spline trend would follow', () => {
    const n = 120;
    const y = normalSeries(createRandom(5), n, SIGMA).map((e, t) => e + (lossCurve(n)[t] as number));
    const result = tested(testPeriodic(y, { periods: [4, 40] }));
    expect(result.basis.kind).toBe('b-spline');
    expect(result.skipped).toEqual([{ period: 40, reason: 'absorbed-by-trend' }]);
  });

  it.each([
    { name: '23 points', y: lossCurve(23), reason: 'too-few-points' },
    {
      name: 'a NaN',
      y: lossCurve(30).map((v, t) => (t === 1 ? Number.NaN : v)),
      reason: 'non-finite-values',
    },
  ])('$name → insufficient', ({ y, reason }) => {
    expect(testPeriodic(y, { periods: [3] })).toMatchObject({
      status: 'insufficient',
      minimum: PERIODIC_MIN_POINTS,
      reason,
    });
  });

  it('finds no other period in the founding series (the period-2 term is in every model)', () => {
    for (const y of [FOUNDING_VAL_ACC, FOUNDING_TRAIN_ACC]) {
      const best = tested(testPeriodic(y, { periods: periodsUpTo(y.length) })).best;
      expect(best?.pAdjusted).toBeGreaterThan(0.01);
    }
  });
});

describe('testPeriodic simulations (seeded)', () => {
  const falseAlarms = (n: number, noise: 'iid' | 'ar1'): number => {
    let count = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const random = createRandom(seed * 31337 + n);
      const e = noise === 'ar1' ? ar1Series(random, n, 0.6, SIGMA) : normalSeries(random, n, SIGMA);
      const y = lossCurve(n).map((m, t) => m + (e[t] as number));
      const best = tested(testPeriodic(y, { periods: periodsUpTo(n) })).best;
      if (best !== null && best.pAdjusted < 0.01) count++;
    }
    return count;
  };

  it.each([
    { n: 24, noise: 'iid' as const },
    { n: 40, noise: 'ar1' as const },
    { n: 60, noise: 'ar1' as const },
  ])('scanning P = 3..n/3 at n = $n with $noise noise stays near α = 0.01 (100 seeds)', ({ n, noise }) => {
    // With these seeds: 0, 0 and 1 of 100; without the AR(1) correction the AR(0.6) rows reach 16 and 26.
    expect(falseAlarms(n, noise)).toBeLessThanOrEqual(3);
  });

  it('detects a period-4 swing of amplitude 1σ at n = 60 in most seeds', () => {
    let hits = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const e = normalSeries(createRandom(seed), 60, SIGMA);
      const y = lossCurve(60).map((m, t) => m + (e[t] as number) + SIGMA * Math.cos((Math.PI * t) / 2));
      const four = tested(testPeriodic(y, { periods: [3, 4, 5, 6] })).results.find((r) => r.period === 4);
      if (four !== undefined && four.pAdjusted < 0.01 && four.halves.consistent) hits++;
    }
    expect(hits, `power ${hits}%`).toBeGreaterThan(80);
  });
});
