import { describe, expect, it } from 'vitest';
import { bSplineBasis, logCubicBasis, trendBasis } from '../../src/stats/index.js';

describe('trend bases', () => {
  it.each([{ n: 12 }, { n: 51 }, { n: 200 }])(
    'B-spline rows sum to 1 and are non-negative (n = $n)',
    ({ n }) => {
      const rows = bSplineBasis(n, Math.max(1, Math.round(n / 8)));
      for (const row of rows) {
        expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
        for (const v of row) expect(v).toBeGreaterThanOrEqual(0);
      }
    },
  );

  it('B-spline clamps to the first and last column at the ends', () => {
    const rows = bSplineBasis(40, 4);
    expect(rows[0]?.[0]).toBe(1);
    expect(rows[39]?.[7]).toBeCloseTo(1, 12);
  });

  it('log-cubic spans z ∈ [−1, 1] over the series', () => {
    const rows = logCubicBasis(20);
    expect(rows[0]).toEqual([1, -1, 1, -1]);
    expect(rows[19]?.[1]).toBeCloseTo(1, 12);
  });

  it.each([
    { n: 12, options: {}, kind: 'log-cubic', columns: 4 },
    { n: 50, options: {}, kind: 'log-cubic', columns: 4 },
    { n: 51, options: {}, kind: 'b-spline', columns: 6 + 4 },
    { n: 400, options: {}, kind: 'b-spline', columns: 48 + 4 }, // n/8 = 50 knots, capped at 48
    { n: 5000, options: {}, kind: 'b-spline', columns: 48 + 4 },
    { n: 400, options: { knotSpacing: 10 }, kind: 'b-spline', columns: 40 + 4 },
    { n: 400, options: { basis: 'log-cubic' as const }, kind: 'log-cubic', columns: 4 },
    { n: 24, options: { basis: 'b-spline' as const }, kind: 'b-spline', columns: 2 + 4 },
  ])('trendBasis(n = $n, $options) → $kind with $columns columns', ({ n, options, kind, columns }) => {
    const { rows, spec } = trendBasis(n, options);
    expect(spec.kind).toBe(kind);
    expect(spec.columns).toBe(columns);
    expect(rows).toHaveLength(n);
    expect(rows[0]).toHaveLength(columns);
  });
});
