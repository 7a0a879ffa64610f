import { describe, expect, it } from 'vitest';
import {
  detectPrecision,
  firstCommonFit,
  fitTest,
  inferSampleCounts,
  smallestCommonCount,
} from '../../src/context/sample-counts.js';
import { createRandom } from '../../src/stats/random.js';
import { decimalNumerator, float32HalfUlp, float32Numerator } from '../../src/stats/fractions.js';

const f32 = (k: number, n: number): number => Math.fround(k / n);
const epochs = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);
/** Accuracies of a learning curve on `n` samples: the correct counts rise, no two epochs alike. */
function counts(length: number, n: number, start = 0.6): number[] {
  return Array.from({ length }, (_, i) => Math.round(n * (start + (0.95 - start) * (1 - Math.exp(-i / 6)))));
}

describe('sample counts from the digits of an accuracy', () => {
  it('full float32 digits: one count for every epoch (k/360)', () => {
    const values = counts(40, 360).map((k) => f32(k, 360));
    const inferred = inferSampleCounts('val_accuracy', epochs(40), values, null);
    expect(inferred).toMatchObject({
      precision: 'float32',
      pattern: 'constant',
      counts: [360],
      resolved: 40,
    });
    expect(inferred?.chanceFit).toBeLessThan(0.01);
    expect(inferred?.epochs[3]).toEqual({ epoch: 4, count: 360, correct: counts(40, 360)[3] });
  });

  it('windows of 192 and 168 samples on alternate epochs: a cycle, though 1344 fits every epoch', () => {
    const k = counts(40, 1);
    const values = k.map((_, i) =>
      i % 2 === 0 ? f32(Math.round(0.8 * 192) - (i % 5), 192) : f32(Math.round(0.7 * 168) + (i % 7), 168),
    );
    const inferred = inferSampleCounts('val_accuracy', epochs(40), values, null);
    expect(inferred).toMatchObject({ pattern: 'cycle', counts: [192, 168], period: 2, firstEpoch: 1 });
  });

  it('four console decimals over 40 epochs pin 360 down, two decimals do not', () => {
    const values = counts(40, 360).map((k) => Number((k / 360).toFixed(4)));
    expect(inferSampleCounts('val_acc', epochs(40), values, null)).toMatchObject({
      precision: 'decimals',
      decimals: 4,
      pattern: 'constant',
      counts: [360],
    });
    const coarse = counts(40, 360).map((k) => Number((k / 360).toFixed(2)));
    expect(inferSampleCounts('val_acc', epochs(40), coarse, null)?.pattern).toBe('unknown');
  });

  it('a constant accuracy k/n says k of n right every epoch', () => {
    const values = [0.55, 0.5333, 0.5194, 0.5111, ...Array.from({ length: 36 }, () => 0.5028)];
    const inferred = inferSampleCounts('val_accuracy', epochs(40), values, 360);
    expect(inferred).toMatchObject({ pattern: 'constant', counts: [360] });
    expect(inferred?.epochs.at(-1)).toEqual({ epoch: 40, count: 360, correct: 181 });
  });

  it('only 0s and 1s, values outside [0, 1], too few epochs: nothing to say', () => {
    expect(inferSampleCounts('val_acc', epochs(5), [0, 1, 1, 0, 1], null)?.pattern).toBe('unknown');
    expect(inferSampleCounts('val_mae', epochs(3), [1.5, 2, 3], null)).toBeNull();
    expect(inferSampleCounts('val_acc', epochs(2), [0.5, 0.6], null)).toBeNull();
  });

  it('with the set size known and full digits that fit no count within it, the evaluated set varies', () => {
    const values = [f32(151, 192), f32(132, 168), f32(70, 97), f32(150, 192), f32(131, 168), f32(71, 97)];
    expect(inferSampleCounts('val_accuracy', epochs(6), values, 300)?.pattern).toBe('varies');
  });
});

describe('the fit test of the count search', () => {
  // the search's own test must say what the numerators say, for every value and count, or counts change
  const random = createRandom(11);
  const ns = [1, 2, 3, 7, 10, 99, 100, 101, 192, 360, 1000, 9999, 10_000, 65_536, 100_000];
  const counts = [...ns, ...Array.from({ length: 30 }, () => 1 + Math.floor(random() * 100_000))];
  const fractions = ns.flatMap((n) => [0, 1, 2, n - 1, n, Math.floor(n / 3)].map((k) => [k, n] as const));
  const values = [
    0,
    -0,
    1,
    0.5,
    1e-7,
    1 - 1e-7,
    ...fractions.map(([k, n]) => k / n),
    ...Array.from({ length: 300 }, () => random()),
  ];
  /** The pairs on which `test` and `numerator` disagree, and how many pairs were tried. */
  function disagreements(
    pairs: Array<readonly [number, number]>,
    test: (value: number, n: number) => boolean,
    numerator: (value: number, n: number) => number | null,
  ): { tried: number; fits: number; differ: string[] } {
    const differ: string[] = [];
    let fits = 0;
    for (const [value, n] of pairs) {
      const expected = numerator(value, n) !== null;
      if (expected) fits += 1;
      if (test(value, n) !== expected) differ.push(`${value} / ${n}`);
    }
    return { tried: pairs.length, fits, differ };
  }

  it('float32: true exactly when float32Numerator finds a k', () => {
    const pairs = values.map(Math.fround).flatMap((value) => counts.map((n) => [value, n] as const));
    // the near misses: values one float32 step either side of a fraction, with its own count
    for (const [k, n] of fractions) {
      const exact = Math.fround(k / n);
      for (const value of [exact, exact * (1 + 2 ** -23), exact * (1 - 2 ** -24)]) {
        pairs.push([Math.fround(value), n]);
      }
    }
    const found = disagreements(pairs, fitTest({ kind: 'float32' }), float32Numerator);
    expect(found.differ).toEqual([]);
    expect(found.tried).toBe(values.length * counts.length + 3 * fractions.length);
    expect(found.fits).toBeGreaterThan(3 * ns.length);
  });

  it.each([0, 1, 2, 3, 4, 6, 9, 12])(
    '%i decimals: true exactly when decimalNumerator finds a k',
    (decimals) => {
      const printed = values.map((v) => Number(Math.abs(v).toFixed(decimals)));
      const pairs = printed.flatMap((value) => counts.map((n) => [value, n] as const));
      const found = disagreements(pairs, fitTest({ kind: 'decimals', decimals }), (value, n) =>
        decimalNumerator(value, n, decimals),
      );
      expect(found.differ).toEqual([]);
      expect(found.fits).toBeGreaterThan(3 * ns.length);
    },
  );

  it('takes the precision detectPrecision gives', () => {
    expect(detectPrecision([0.8732, 0.8815, 0.86])).toEqual({ kind: 'decimals', decimals: 4 });
    expect(fitTest(detectPrecision([0.8732, 0.8815]))(0.8732, 10_000)).toBe(true);
    expect(fitTest(detectPrecision([0.8732, 0.8815]))(0.8732, 7)).toBe(false);
  });
});

describe('firstCommonFit', () => {
  it('is the first count of a range that fitTest accepts for every value, 0 for none', () => {
    const random = createRandom(5);
    let hits = 0;
    let misses = 0;
    for (let i = 0; i < 120; i += 1) {
      const n = 2 + Math.floor(random() * 3000);
      const length = 1 + Math.floor(random() * 6);
      const ks = Array.from({ length }, () => Math.floor(random() * (n + 1)));
      const values =
        i % 3 === 0
          ? ks.map((k) => Math.fround(k / n))
          : i % 3 === 1
            ? ks.map((k) => Number((k / n).toFixed(2 + (i % 4))))
            : Array.from({ length }, () => random());
      const precision = detectPrecision(values);
      const fits = fitTest(precision);
      const from = 1 + Math.floor(random() * n);
      const to = from + Math.floor(random() * 2 * n);
      let expected = 0;
      for (let m = from; m <= to && expected === 0; m += 1) if (values.every((v) => fits(v, m))) expected = m;
      expect(firstCommonFit(values, precision, from, to), JSON.stringify({ values, from, to })).toBe(
        expected,
      );
      if (expected === 0) misses += 1;
      else hits += 1;
    }
    // both outcomes are covered
    expect(hits).toBeGreaterThan(20);
    expect(misses).toBeGreaterThan(20);
  });
});

describe('the count search', () => {
  type Precision = ReturnType<typeof detectPrecision>;
  /** The search written plainly: every n tested with the numerators, the chance bound a power at every n. */
  function plainSearch(
    values: readonly number[],
    precision: Precision,
    max: number,
    giveUpAt = Number.POSITIVE_INFINITY,
  ): { n: number; chanceFit: number } | null {
    const fit = (v: number, n: number): boolean =>
      (precision.kind === 'float32' ? float32Numerator(v, n) : decimalNumerator(v, n, precision.decimals)) !==
      null;
    const width = (v: number): number =>
      precision.kind === 'float32' ? 2 * float32HalfUlp(v) : Math.max(10 ** -precision.decimals, 2e-9);
    if (values.length === 0) return null;
    const informative = values.filter((v) => v > 0 && v < 1).map(width);
    const widest = Math.max(0, ...informative);
    let chance = 0;
    for (let n = 1; n <= max; n += 1) {
      if (values.every((v) => fit(v, n))) {
        if (informative.length === 0) return null;
        let also = false;
        for (let m = n + 1; m < Math.min(2 * n, max + 1) && !also; m += 1)
          also = values.every((v) => fit(v, m));
        return { n, chanceFit: also ? Math.max(1, chance) : chance };
      }
      if (Math.min(1, (n + 1) * widest) ** informative.length > 1e-24) {
        let product = 1;
        for (const w of informative) product *= Math.min(1, (n + 1) * w);
        chance += product;
      }
      if (chance >= giveUpAt) return null;
    }
    return null;
  }

  it('finds the count and the chance of the plain search, bit for bit, on series of every kind', () => {
    const random = createRandom(7);
    const series: number[][] = [];
    for (let i = 0; i < 8; i += 1) {
      const n = 20 + Math.floor(random() * 3000);
      const length = 3 + Math.floor(random() * 30);
      const ks = Array.from({ length }, () => Math.floor(random() * (n + 1)));
      series.push(ks.map((k) => Math.fround(k / n)));
      series.push(ks.map((k) => Number((k / n).toFixed(2 + (i % 4)))));
      series.push(Array.from({ length }, () => random()));
      series.push(ks.map((k, j) => (j % 3 === 0 ? 0 : j % 3 === 1 ? 1 : Number((k / n).toFixed(4)))));
    }
    series.push([0, 1, 1, 0], [0.5, 0.5, 0.5], [Math.fround(1 / 3), Math.fround(2 / 3)], [0.25]);
    let found = 0;
    for (const values of series) {
      const precision = detectPrecision(values);
      for (const [max, giveUpAt] of [
        [10_000, Number.POSITIVE_INFINITY],
        [3_000, 0.01],
      ] as const) {
        const fast = smallestCommonCount(values, precision, max, giveUpAt);
        const plain = plainSearch(values, precision, max, giveUpAt);
        expect(fast?.n, JSON.stringify(values)).toBe(plain?.n);
        expect(Object.is(fast?.chanceFit, plain?.chanceFit), JSON.stringify(values)).toBe(true);
        if (fast !== null) found += 1;
      }
    }
    // the series cover both outcomes: counts found and none
    expect(found).toBeGreaterThan(20);
    expect(found).toBeLessThan(2 * series.length - 10);
  });

  it('gives the same bits whatever was searched before (the chance sums kept per width and size)', () => {
    // series of one size and width searched in both orders, a short search before a long one and after
    const random = createRandom(11);
    const series = Array.from({ length: 24 }, (_, i) => {
      const length = 12 + (i % 2);
      return Array.from({ length }, () => Number(random().toFixed(3 + (i % 3))));
    });
    const searches = series.flatMap((values) => [
      { values, max: 20_000, giveUpAt: Number.POSITIVE_INFINITY },
      { values, max: 20_000, giveUpAt: 0.01 },
    ]);
    const run = (order: typeof searches) =>
      new Map(
        order.map((s) => [s, smallestCommonCount(s.values, detectPrecision(s.values), s.max, s.giveUpAt)]),
      );
    const forward = run(searches);
    const backward = run([...searches].reverse());
    for (const s of searches) {
      const plain = plainSearch(s.values, detectPrecision(s.values), s.max, s.giveUpAt);
      for (const found of [forward.get(s), backward.get(s)]) {
        expect(found?.n).toBe(plain?.n);
        expect(Object.is(found?.chanceFit, plain?.chanceFit)).toBe(true);
      }
    }
    // both outcomes: found with its chance, and given up
    expect([...forward.values()].filter((f) => f !== null).length).toBeGreaterThan(10);
    expect([...forward.values()].some((f) => f === null)).toBe(true);
  });
});
