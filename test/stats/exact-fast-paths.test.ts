/**
 * The fast paths of src/stats give the very numbers of the straightforward computations (test/stats/reference.ts),
 * bit for bit (Object.is on every value, so even the sign of a zero), on the designs and series the detectors
 * use and on random input.
 */
import { describe, expect, it } from 'vitest';
import { cachedDesign, clearDesignCache, designKey } from '../../src/stats/design-cache.js';
import { decomposeQr } from '../../src/stats/least-squares.js';
import {
  ar1Series,
  createRandom,
  lowess,
  normalSeries,
  studentTSeries,
  testPeriodic,
  theilSen,
  trendBasis,
} from '../../src/stats/index.js';
import { trendColumns, type TrendBasisOptions } from '../../src/stats/trend-basis.js';
import { referenceAr1Ratio, referencePeriodic } from './reference-periodic.js';
import { denseQr, pairwiseTheilSen, pointwiseLowess } from './reference.js';

/** Every value of two nested arrays is the same double (Object.is), shapes included. */
function expectSameBits(actual: ArrayLike<number>[], expected: ArrayLike<number>[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => {
    const want = expected[i] as ArrayLike<number>;
    expect(row.length).toBe(want.length);
    for (let j = 0; j < row.length; j++) {
      if (!Object.is(row[j], want[j]))
        expect({ i, j, value: row[j] }).toStrictEqual({ i, j, value: want[j] });
    }
  });
}

/** The outcome of a QR: its factors, or the message it threw. */
function qrOutcome(qr: (columns: Float64Array[]) => unknown, columns: Float64Array[]): unknown {
  try {
    return qr(columns);
  } catch (error) {
    return (error as Error).message;
  }
}

/** [trend basis, (−1)^(t+offset)] as the alternation and periodic tests build it, each column scaled to unit length. */
function trendDesign(n: number, options: TrendBasisOptions, offset = 0): Float64Array[] {
  const { rows, spec } = trendBasis(n, options);
  const columns: Float64Array[] = [];
  for (let j = 0; j < spec.columns; j++) columns.push(Float64Array.from(rows, (row) => row[j] as number));
  columns.push(Float64Array.from(rows, (_, t) => ((t + offset) % 2 === 0 ? 1 : -1)));
  return columns.map((column) => {
    let s = 0;
    for (const v of column) s += v ** 2;
    const scale = Math.sqrt(s);
    return Float64Array.from(column, (v) => v / scale);
  });
}

describe('decomposeQr', () => {
  it('factors the trend designs exactly as the dense loops do', () => {
    const shapes: Array<[number, TrendBasisOptions, number]> = [
      [12, {}, 0],
      [50, {}, 1],
      [51, {}, 0],
      [97, {}, 1],
      [200, { knotSpacing: 5 }, 0],
      [389, {}, 0],
      [1000, {}, 0],
      [1000, {}, 1],
      [3150, {}, 0],
      [60, { basis: 'b-spline', knotSpacing: 2 }, 0],
      [40, { basis: 'log-cubic' }, 1],
    ];
    for (const [n, options, offset] of shapes) {
      const columns = trendDesign(n, options, offset);
      const fast = decomposeQr(columns);
      const dense = denseQr(columns);
      expectSameBits(fast.q, dense.q);
      expectSameBits(fast.r, dense.r);
    }
  });

  it('gives the dense result on random banded, sparse and dense matrices, with −0 and non-finite values too', () => {
    const random = createRandom(11);
    for (let trial = 0; trial < 300; trial++) {
      const n = 2 + Math.floor(random() * 60);
      const p = 1 + Math.floor(random() * Math.min(n, 12));
      const kind = trial % 5;
      const columns = Array.from({ length: p }, (_, j) => {
        const values = normalSeries(random, n);
        // banded: column j non-zero on rows around j·n/p; sparse: random zeros; dense: as drawn
        const centre = Math.floor(((j + 0.5) * n) / p);
        const width = 1 + Math.floor(random() * n);
        return Float64Array.from(values, (v, i) => {
          if (kind === 0 || kind === 3) return Math.abs(i - centre) <= width ? v : 0;
          if (kind === 1) return random() < 0.5 ? 0 : v;
          return v;
        });
      });
      const last = columns[p - 1] as Float64Array;
      if (kind === 3) last[Math.floor(random() * n)] = -0;
      if (kind === 4 && trial % 10 === 4) last[Math.floor(random() * n)] = Number.NaN;
      if (kind === 2 && trial % 20 === 2) columns.push(Float64Array.from(columns[0] as Float64Array));
      const fast = qrOutcome(decomposeQr, columns);
      const dense = qrOutcome(denseQr, columns);
      if (typeof dense === 'string') {
        expect(fast).toBe(dense);
        continue;
      }
      const f = fast as ReturnType<typeof denseQr>;
      const d = dense as ReturnType<typeof denseQr>;
      expectSameBits(f.q, d.q);
      expectSameBits(f.r, d.r);
    }
  });
});

describe('lowess', () => {
  it('smooths as the fits that compute every weight anew do (default and log-epoch abscissae, kept weights or not)', () => {
    const random = createRandom(5);
    const cases: Array<[number, number, number, boolean]> = [
      [3, 0.4, 2, false],
      [17, 0.4, 2, false],
      [40, 0.5, 0, true],
      [200, 0.4, 2, false],
      [200, 0.3, 3, true],
      [1000, 0.4, 2, false],
      [1000, 0.061, 2, true],
      // n · span above the weights kept (1 << 20): computed for every fit, as before
      [1800, 0.6, 2, false],
      [1800, 0.6, 1, true],
    ];
    for (const [n, frac, iterations, logEpochs] of cases) {
      const noise = studentTSeries(random, n, 3, 0.05);
      const y = noise.map((e, t) => Math.exp(-t / 50) + e + (t % 2 === 0 ? 0.01 : -0.01));
      if (n > 20) y[Math.floor(n / 3)] = 4;
      const x = logEpochs ? y.map((_, t) => Math.log(t + 1)) : undefined;
      const options = x === undefined ? { frac, iterations } : { frac, iterations, x };
      expectSameBits([lowess(y, options)], [pointwiseLowess(y, options)]);
    }
    // several series smoothed against the same abscissae share their windows: the very weights again
    const logEpochs = Array.from({ length: 300 }, (_, t) => Math.log(t + 101));
    for (let k = 0; k < 3; k++) {
      const series = studentTSeries(random, 300, 3, 0.05).map((e, t) => 1 / (1 + t / 40) + e);
      const options = { frac: 0.2, iterations: 2, x: logEpochs.slice() };
      expectSameBits([lowess(series, options)], [pointwiseLowess(series, options)]);
    }
    // a fit exact on most points stops the iterations early, in both
    const flat = Array.from({ length: 60 }, (_, t) => (t === 30 ? 1 : 0));
    expectSameBits([lowess(flat)], [pointwiseLowess(flat)]);
    const short = normalSeries(random, 2);
    expectSameBits([lowess(short)], [pointwiseLowess(short)]);
  });
});

describe('testPeriodic', () => {
  it('estimates the AR(1) correction and scans the periods as before, bit for bit', () => {
    const random = createRandom(23);
    const cases: Array<[number, number, number, TrendBasisOptions]> = [
      [24, 0, 0, {}],
      [48, 0.5, 1, {}],
      [120, 0.8, 0, {}],
      [300, 0.3, 1, { knotSpacing: 10 }],
      [1000, 0.6, 0, {}],
      [1000, 0, 0, {}],
      [1200, 0.95, 1, {}],
      [80, 0.4, 0, { basis: 'b-spline', knotSpacing: 4 }],
    ];
    for (const [n, phi, offset, basis] of cases) {
      // the ratios kept are those of this case only (other tests fill the cache with their own)
      clearDesignCache();
      for (const period of [0, 3, 7]) {
        const noise = phi > 0 ? ar1Series(random, n, phi, 0.02) : normalSeries(random, n, 0.02);
        const y = noise.map(
          (e, t) => 1 / (1 + t / 30) + e + (period > 0 ? 0.01 * Math.cos((2 * Math.PI * t) / period) : 0),
        );
        const top = Math.min(20, Math.floor(n / 3));
        const periods = Array.from({ length: top - 2 }, (_, k) => k + 3);
        const options = { ...basis, periods, indexOffset: offset };
        expect(testPeriodic(y, options)).toStrictEqual(referencePeriodic(y, options));
      }
      // the intermediate numbers too: each expected lag-1 ratio worked out has the reference's bits at its φ
      // (the fast estimate works out fewer of them), and so do the lag moments
      const key = designKey(n, basis, offset);
      type Kept = { q: Float64Array[]; n: number; z: Float64Array[] | null; ratios: Map<number, number> };
      const kept = (kind: string): Kept =>
        cachedDesign(kind, key, () => {
          throw new Error(`no ${kind} design ${key}`);
        });
      const fast = kept('periodic');
      const reference = kept('periodic-reference');
      const phis = [...fast.ratios.keys()];
      expect(phis.length).toBeGreaterThan(0);
      expect(phis.length).toBeLessThan(reference.ratios.size);
      expectSameBits(
        [phis.map((phi) => fast.ratios.get(phi) as number)],
        [phis.map((phi) => referenceAr1Ratio(reference, phi))],
      );
      expectSameBits(fast.z ?? [], reference.z ?? []);
    }
  });
});

describe('the AR(1) estimate', () => {
  it('gives the bisection of every midpoint, bit for bit, on random series, shapes and noise', () => {
    const random = createRandom(71);
    const bases: TrendBasisOptions[] = [{}, { knotSpacing: 6 }, { basis: 'b-spline', knotSpacing: 4 }];
    let corrected = 0;
    for (let i = 0; i < 240; i++) {
      const n = 24 + Math.floor(random() * 160);
      const phi = random() * 0.98;
      const offset = i % 2;
      const basis = bases[i % bases.length] as TrendBasisOptions;
      const noise =
        phi > 0.02 ? ar1Series(random, n, phi, 0.01 + random() * 0.1) : normalSeries(random, n, 0.05);
      const y = noise.map((e, t) => 1 / (1 + t / 20) + e);
      const options = { ...basis, periods: [3, 5], indexOffset: offset };
      const fast = testPeriodic(y, options);
      const reference = referencePeriodic(y, options);
      expect(fast.status).toBe('tested');
      if (fast.status !== 'tested' || reference.status !== 'tested') continue;
      if (!Object.is(fast.ar1, reference.ar1))
        expect({ i, n, ar1: fast.ar1 }).toStrictEqual({ i, n, ar1: reference.ar1 });
      if (fast.ar1 > 0 && fast.ar1 < 0.99) corrected += 1;
    }
    // most series are AR(1) noise the estimate does not clip to an end of [0, 0.99]
    expect(corrected).toBeGreaterThan(150);
  });
});

describe('trendColumns', () => {
  it('holds the values of the trend basis rows, column by column', () => {
    const shapes: Array<[number, TrendBasisOptions]> = [
      [1, {}],
      [12, {}],
      [50, {}],
      [51, {}],
      [389, {}],
      [1000, {}],
      [3150, {}],
      [30, { basis: 'b-spline', knotSpacing: 2 }],
      [200, { basis: 'log-cubic' }],
      [500, { knotSpacing: 25 }],
    ];
    for (const [n, options] of shapes) {
      const { rows, spec } = trendBasis(n, options);
      const columns = trendColumns(n, options);
      expect(columns.spec).toStrictEqual(spec);
      expectSameBits(
        columns.columns,
        Array.from({ length: spec.columns }, (_, j) => rows.map((row) => row[j] as number)),
      );
    }
  });
});

describe('theilSen', () => {
  it('takes the slope and its bounds from the same sorted slopes as a comparator sort', () => {
    const random = createRandom(3);
    for (let trial = 0; trial < 200; trial++) {
      const n = Math.floor(random() * 120);
      const kind = trial % 4;
      // ties (rounded values), −0 and non-finite values, repeated abscissae
      const y = normalSeries(random, n).map((v) => (kind === 1 ? Math.round(v) : v));
      if (kind === 2 && n > 3) {
        y[1] = -0;
        y[2] = 0;
      }
      if (kind === 3 && n > 3) y[Math.floor(n / 2)] = trial % 8 === 3 ? Number.POSITIVE_INFINITY : Number.NaN;
      const x = trial % 5 === 0 ? y.map((_, i) => Math.floor(i / 2)) : undefined;
      expect(theilSen(y, x)).toStrictEqual(pairwiseTheilSen(y, x));
    }
  });
});
