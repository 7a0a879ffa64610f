import { describe, expect, it } from 'vitest';
import {
  decimalNumerator,
  float32ChanceFit,
  float32HalfUlp,
  float32Numerator,
  isFloat32,
  printedDecimals,
  smallestFloat32Fraction,
} from '../../src/stats/fractions.js';

describe('fractions behind printed numbers', () => {
  it.each([
    // the issue 7 examples: float32(151/192) and float32(132/168) as CSVLogger writes them
    [0.7864583134651184, 192, 151],
    [0.7857142686843872, 168, 132],
    [Math.fround(181 / 360), 360, 181],
  ])('float32 %d is k / %d with k = %d', (value, n, k) => {
    expect(isFloat32(value)).toBe(true);
    expect(float32Numerator(value, n)).toBe(k);
  });

  it('the smallest fraction of a float32 value is the reduced one', () => {
    expect(smallestFloat32Fraction(0.7864583134651184, 10_000)).toEqual({ n: 192, k: 151 });
    expect(smallestFloat32Fraction(Math.fround(130 / 192), 10_000)).toEqual({ n: 96, k: 65 });
    expect(smallestFloat32Fraction(0.1 + 1e-9, 100)).toBeNull();
  });

  it('a value is no float32(k/n) for a wrong n', () => {
    expect(float32Numerator(0.7864583134651184, 191)).toBeNull();
    expect(float32Numerator(0.7864583134651184, 193)).toBeNull();
  });

  it('four decimals fit every n whose nearest k / n rounds to them', () => {
    expect(decimalNumerator(0.5028, 360, 4)).toBe(181);
    expect(decimalNumerator(0.5028, 358, 4)).toBe(180);
    expect(decimalNumerator(0.5028, 100, 4)).toBeNull();
  });

  it('chance fits grow with n² and the float32 rounding interval', () => {
    expect(float32HalfUlp(0.75)).toBe(2 ** -25);
    expect(float32ChanceFit(0.75, 360)).toBeCloseTo(2 ** -25 * 360 * 360, 12);
    expect(float32ChanceFit(0.75, 10401)).toBeGreaterThan(1);
  });

  it.each([
    [0.9548, 4],
    [0.5, 1],
    [1, 0],
    [0.7864583134651184, 16],
    [1.5e-7, 8],
  ])('%d is printed with %d decimals', (value, decimals) => {
    expect(printedDecimals(value)).toBe(decimals);
  });
});
