import { beforeEach, describe, expect, it } from 'vitest';
import { clearDesignCache, designCacheSize } from '../../src/stats/design-cache.js';
import { fitLeastSquares, fitPrepared, prepareDesign } from '../../src/stats/least-squares.js';
import {
  ar1Series,
  createRandom,
  lowess,
  normalSeries,
  testAlternation,
  testParityRanks,
  testPeriodic,
  trendBasis,
} from '../../src/stats/index.js';
import { FOUNDING_VAL_ACC, lossCurve, parity } from './helpers.js';

/** A decaying curve with noise, optionally a period-2 swing and AR(1) noise. */
function series(n: number, seed: number, swing = 0, phi = 0): number[] {
  const random = createRandom(seed);
  const noise = phi > 0 ? ar1Series(random, n, phi, 0.02) : normalSeries(random, n, 0.02);
  return lossCurve(n).map((v, t) => v + (noise[t] as number) + swing * parity(t));
}

const periods = (top: number): number[] => Array.from({ length: top - 2 }, (_, k) => k + 3);

beforeEach(() => clearDesignCache());

describe('the design cache', () => {
  it('gives a cached alternation test the very numbers of a first one (log-cubic and spline designs)', () => {
    for (const n of [FOUNDING_VAL_ACC.length, 200]) {
      const a = n === FOUNDING_VAL_ACC.length ? FOUNDING_VAL_ACC : series(n, 1, 0.01);
      const b = series(n, 2);
      clearDesignCache();
      const cold = testAlternation(a);
      clearDesignCache();
      testAlternation(b);
      const warm = testAlternation(a);
      expect(warm).toStrictEqual(cold);
      expect(designCacheSize('alternation')).toBe(1);
    }
  });

  it('gives a cached periodic scan the very numbers of a first one, AR(1) correction included', () => {
    const n = 180;
    const a = series(n, 3, 0, 0.6).map((v, t) => v + 0.03 * Math.cos((2 * Math.PI * t) / 6));
    const b = series(n, 4, 0, 0.3);
    const cold = testPeriodic(a, { periods: periods(20) });
    expect(cold.status === 'tested' && cold.ar1 > 0).toBe(true);
    clearDesignCache();
    testPeriodic(b, { periods: periods(20) });
    testPeriodic(b, { periods: [5, 7] });
    const warm = testPeriodic(a, { periods: periods(20) });
    expect(warm).toStrictEqual(cold);
    expect(designCacheSize('periodic')).toBe(1);
  });

  it('keys a design by its length, basis and offset', () => {
    const y = series(60, 5, 0.02);
    const plain = testAlternation(y);
    const logCubic = testAlternation(y, { basis: 'log-cubic' });
    const shifted = testAlternation(y, { indexOffset: 1 });
    expect(designCacheSize('alternation')).toBe(3);
    expect(plain.status === 'tested' && plain.basis.kind).toBe('b-spline');
    expect(logCubic.status === 'tested' && logCubic.basis.kind).toBe('log-cubic');
    // the offset flips the sign of the (−1)^t column, so of β
    if (plain.status !== 'tested' || shifted.status !== 'tested') throw new Error('not tested');
    expect(shifted.coefficient).toBeCloseTo(-plain.coefficient, 12);
  });

  it('keeps at most 8 designs of a kind', () => {
    for (let n = 20; n < 32; n += 1) testAlternation(series(n, n));
    expect(designCacheSize('alternation')).toBe(8);
  });

  it('does not share a returned basis between results', () => {
    const first = testAlternation(series(40, 6));
    const second = testAlternation(series(40, 7));
    if (first.status !== 'tested' || second.status !== 'tested') throw new Error('not tested');
    expect(first.basis).not.toBe(second.basis);
    expect(first.basis).toStrictEqual(second.basis);
  });
});

describe('a prepared least-squares design', () => {
  it('fits exactly as fitLeastSquares does', () => {
    const n = 90;
    const { rows, spec } = trendBasis(n);
    const design = rows.map((row, t) => [...row, parity(t)]);
    const columns = Array.from({ length: spec.columns + 1 }, (_, j) =>
      Float64Array.from(design, (row) => row[j] as number),
    );
    const prepared = prepareDesign(columns, n);
    for (const seed of [1, 2]) {
      const y = series(n, seed, 0.01);
      expect(fitPrepared(prepared, y)).toStrictEqual(fitLeastSquares(design, y));
    }
  });
});

describe('LOWESS on the default abscissae', () => {
  it('gives the numbers of the point-by-point weights (explicit x = 0 … n−1)', () => {
    for (const n of [17, 40, 251]) {
      const y = series(n, n, 0.01);
      const x = Array.from({ length: n }, (_, i) => i);
      expect(lowess(y)).toStrictEqual(lowess(y, { x }));
      expect(lowess(y, { frac: 0.25, iterations: 3 })).toStrictEqual(
        lowess(y, { frac: 0.25, iterations: 3, x }),
      );
    }
  });

  it('leaves the rank test of the founding case as it was', () => {
    const result = testParityRanks(FOUNDING_VAL_ACC);
    expect(result.status === 'tested' && result.high).toBe('even-index');
    expect(result.status === 'tested' && result.p).toBeLessThan(1e-6);
  });
});
