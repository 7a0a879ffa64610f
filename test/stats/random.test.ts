import { describe, expect, it } from 'vitest';
import { mean, permutationTest, sampleVariance } from 'simple-statistics';
import { ar1Series, createRandom, normalSeries, randomGamma, studentTSeries } from '../../src/stats/index.js';

describe('seeded random generators', () => {
  it('repeats the same stream for the same seed and differs between seeds', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const c = createRandom(43);
    const first = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(first);
    for (const u of first) expect(u >= 0 && u < 1).toBe(true);
  });

  it('produces uniform numbers with the right moments', () => {
    const random = createRandom(7);
    const u = Array.from({ length: 20000 }, () => random());
    expect(Math.abs(mean(u) - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(sampleVariance(u) - 1 / 12)).toBeLessThan(0.003);
  });

  it.each([
    { name: 'normal', draw: (seed: number) => normalSeries(createRandom(seed), 20000, 2), sd: 2 },
    {
      name: 'Student t(5), scaled',
      draw: (seed: number) => studentTSeries(createRandom(seed), 20000, 5, 2),
      sd: 2,
    },
    { name: 'AR(1) φ = 0.6', draw: (seed: number) => ar1Series(createRandom(seed), 20000, 0.6, 2), sd: 2 },
  ])('$name series has mean 0 and the requested SD', ({ draw, sd }) => {
    const x = draw(3);
    expect(Math.abs(mean(x))).toBeLessThan(0.1);
    expect(Math.abs(Math.sqrt(sampleVariance(x)) - sd)).toBeLessThan(0.1);
  });

  it('AR(1) series have lag-1 autocorrelation φ', () => {
    const x = ar1Series(createRandom(9), 20000, 0.6);
    let num = 0;
    let den = 0;
    for (let t = 0; t < x.length; t++) {
      den += (x[t] as number) ** 2;
      if (t > 0) num += (x[t] as number) * (x[t - 1] as number);
    }
    expect(Math.abs(num / den - 0.6)).toBeLessThan(0.03);
  });

  it('gamma draws have mean = shape, including shape < 1', () => {
    for (const shape of [0.5, 3]) {
      const random = createRandom(11);
      const g = Array.from({ length: 20000 }, () => randomGamma(random, shape));
      expect(Math.abs(mean(g) - shape) / shape).toBeLessThan(0.03);
    }
  });

  it('plugs into simple-statistics permutationTest for reproducible p-values', () => {
    const x = [1, 2, 3, 4, 5, 6];
    const y = [3, 4, 5, 6, 7, 8];
    const p1 = permutationTest(x, y, 'two_side', 2000, createRandom(5));
    const p2 = permutationTest(x, y, 'two_side', 2000, createRandom(5));
    expect(p1).toBe(p2);
  });
});
