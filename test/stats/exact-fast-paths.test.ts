/**
 * The fast paths of src/stats give the very numbers of the straightforward computations (test/stats/reference.ts),
 * bit for bit (Object.is on every value, so even the sign of a zero), on the designs and series the detectors
 * use and on random input.
 */
import { describe, expect, it } from 'vitest';
import { decomposeQr } from '../../src/stats/least-squares.js';
import { createRandom, normalSeries, trendBasis } from '../../src/stats/index.js';
import { denseQr } from './reference.js';

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
function trendDesign(n: number, options: Parameters<typeof trendBasis>[1], offset = 0): Float64Array[] {
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
    const shapes: Array<[number, Parameters<typeof trendBasis>[1], number]> = [
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
