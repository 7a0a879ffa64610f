import { describe, expect, it } from 'vitest';
import { fitLeastSquares } from '../../src/stats/index.js';
import { expectRelative } from './helpers.js';

describe('fitLeastSquares', () => {
  it('matches a hand-computed simple regression', () => {
    // x = 1..5, y = [1, 3, 2, 5, 4]: x̄ = ȳ = 3, Sxx = 10, Sxy = 8 → slope 0.8, intercept 0.6;
    // residuals [−0.4, 0.8, −1, 1.2, −0.6], RSS = 3.6, s² = 3.6/3 = 1.2;
    // se(slope) = √(1.2/10), se(intercept) = √(1.2·(1/5 + 9/10)).
    const x = [1, 2, 3, 4, 5];
    const fit = fitLeastSquares(
      x.map((v) => [1, v]),
      [1, 3, 2, 5, 4],
    );
    expect(fit.df).toBe(3);
    expectRelative(fit.coefficients[0] as number, 0.6, 1e-12);
    expectRelative(fit.coefficients[1] as number, 0.8, 1e-12);
    [-0.4, 0.8, -1, 1.2, -0.6].forEach((r, i) => expectRelative(fit.residuals[i] as number, r, 1e-12));
    expectRelative(fit.residualSumOfSquares, 3.6, 1e-12);
    expectRelative(fit.residualVariance, 1.2, 1e-12);
    expectRelative(fit.standardErrors[1] as number, Math.sqrt(0.12), 1e-12);
    expectRelative(fit.standardErrors[0] as number, Math.sqrt(1.2 * 1.1), 1e-12);
    expectRelative(fit.covariance[0]?.[1] as number, (-1.2 * 3) / 10, 1e-12);
  });

  it('recovers an exact polynomial from badly scaled raw columns', () => {
    // Columns 1, x, x² with x = 1000..1011 span 6 orders of magnitude; normal equations would lose ~12 digits.
    const xs = Array.from({ length: 12 }, (_, i) => 1000 + i);
    const y = xs.map((x) => 2 + 3e-3 * x - 5e-7 * x * x);
    const fit = fitLeastSquares(
      xs.map((x) => [1, x, x * x]),
      y,
    );
    expectRelative(fit.coefficients[0] as number, 2, 1e-6);
    expectRelative(fit.coefficients[1] as number, 3e-3, 1e-6);
    expectRelative(fit.coefficients[2] as number, -5e-7, 1e-6);
    expect(fit.residualSumOfSquares).toBeLessThan(1e-20);
  });

  it('gives residuals orthogonal to every column', () => {
    const design = Array.from({ length: 30 }, (_, t) => [
      1,
      Math.log1p(t),
      Math.cos(t),
      t % 2 === 0 ? 1 : -1,
    ]);
    const y = design.map((row, t) => (row[1] as number) * 0.3 + Math.sin(t * 1.7));
    const fit = fitLeastSquares(design, y);
    for (let j = 0; j < 4; j++) {
      const dot = design.reduce((s, row, i) => s + (row[j] as number) * (fit.residuals[i] as number), 0);
      expect(Math.abs(dot)).toBeLessThan(1e-12);
    }
  });

  it.each([
    { name: 'length mismatch', design: [[1], [1]], y: [1] },
    { name: 'fewer rows than columns', design: [[1, 2]], y: [1] },
    { name: 'collinear columns', design: [1, 2, 3, 4].map((x) => [x, 2 * x]), y: [1, 2, 3, 5] },
    { name: 'non-finite value', design: [[1], [Number.NaN]], y: [1, 2] },
  ])('throws a RangeError on $name', ({ design, y }) => {
    expect(() => fitLeastSquares(design, y)).toThrow(RangeError);
  });
});
