import { describe, expect, it } from 'vitest';
import {
  apparentPeriod,
  batchSizesForPeriod,
  classFractions,
  epochWindows,
  extraDrawsForPeriod,
  gcd,
  shiftsForPeriod,
  sliceRotation,
  stepsForPeriod,
  type RotationInput,
} from '../../src/diagnose/slice-rotation.js';

const fractionsOfClass0 = (input: RotationInput, classCounts: number[]): string[] =>
  epochWindows(sliceRotation(input), 4).map((w) => (classFractions(w, classCounts)[0] ?? 0).toFixed(3));

describe('sliceRotation: the §2.4 verification table', () => {
  const table: Array<{
    name: string;
    input: RotationInput;
    classCounts: number[];
    passLength: number;
    draws: number;
    images: number[];
    ranges?: Array<Array<[number, number]>>;
    class0: string[];
  }> = [
    {
      name: 'N=8, b=6, s=1 (keras #5406)',
      input: { samples: 8, batchSize: 6, steps: 1 },
      classCounts: [6, 2],
      passLength: 2,
      draws: 1,
      images: [6, 2, 6, 2],
      ranges: [[[0, 5]], [[6, 7]], [[0, 5]], [[6, 7]]],
      class0: ['1.000', '0.000', '1.000', '0.000'],
    },
    {
      name: 'N=10401, b=32, s=325 (the question)',
      input: { samples: 10401, batchSize: 32, steps: 325 },
      classCounts: [5200, 5201],
      passLength: 326,
      draws: 325,
      images: [10400, 10369, 10369, 10369],
      class0: ['0.500', '0.501', '0.501', '0.501'],
    },
    {
      name: 'same + 10 discarded per epoch (old Keras)',
      input: { samples: 10401, batchSize: 32, steps: 325, extraDraws: 10 },
      classCounts: [5200, 5201],
      passLength: 326,
      draws: 335,
      images: [10400, 10369, 10369, 10369],
      class0: ['0.500', '0.498', '0.498', '0.498'],
    },
    {
      name: 'N=10401, b=16, s=325',
      input: { samples: 10401, batchSize: 16, steps: 325 },
      classCounts: [5200, 5201],
      passLength: 651,
      draws: 325,
      images: [5200, 5200, 5185, 5200],
      ranges: [
        [[0, 5199]],
        [[5200, 10399]],
        [
          [10400, 10400],
          [0, 5183],
        ],
        [[5184, 10383]],
      ],
      class0: ['1.000', '0.000', '1.000', '0.003'],
    },
    {
      name: 'N=10401, b=32, s=163',
      input: { samples: 10401, batchSize: 32, steps: 163 },
      classCounts: [5200, 5201],
      passLength: 326,
      draws: 163,
      images: [5216, 5185, 5216, 5185],
      ranges: [[[0, 5215]], [[5216, 10400]], [[0, 5215]], [[5216, 10400]]],
      class0: ['0.997', '0.000', '0.997', '0.000'],
    },
  ];

  it.each(table)('$name', ({ input, classCounts, passLength, draws, images, ranges, class0 }) => {
    const rotation = sliceRotation(input);
    expect(rotation.passLength).toBe(passLength);
    expect(rotation.draws).toBe(draws);
    const windows = epochWindows(rotation, 4);
    expect(windows.map((w) => w.images)).toEqual(images);
    if (ranges) expect(windows.map((w) => w.ranges)).toEqual(ranges);
    expect(fractionsOfClass0(input, classCounts)).toEqual(class0);
  });

  it('the question: the start drifts −1 batch per epoch; with 10 discards +288 images per epoch', () => {
    const plain = epochWindows(sliceRotation({ samples: 10401, batchSize: 32, steps: 325 }), 3);
    expect(plain.map((w) => w.startBatch)).toEqual([0, 325, 324]);
    const discarding = epochWindows(
      sliceRotation({ samples: 10401, batchSize: 32, steps: 325, extraDraws: 10 }),
      3,
    );
    expect(discarding.map((w) => w.startImage)).toEqual([0, 288, 576]);
  });
});

describe('sliceRotation: period, shift and set difference (§2.3)', () => {
  it.each([
    {
      name: 'the question',
      input: { samples: 10401, batchSize: 32, steps: 325 },
      L: 326,
      r: 325,
      T: 326,
      last: 1,
    },
    { name: 'N=8, b=6, s=1', input: { samples: 8, batchSize: 6, steps: 1 }, L: 2, r: 1, T: 2, last: 2 },
    {
      name: 'N=1000, b=32, s=16',
      input: { samples: 1000, batchSize: 32, steps: 16 },
      L: 32,
      r: 16,
      T: 2,
      last: 8,
    },
    {
      name: 'N=10401, b=32, s=163',
      input: { samples: 10401, batchSize: 32, steps: 163 },
      L: 326,
      r: 163,
      T: 2,
      last: 1,
    },
    {
      name: 'N=10401, b=16, s=325',
      input: { samples: 10401, batchSize: 16, steps: 325 },
      L: 651,
      r: 325,
      T: 651,
      last: 1,
    },
    { name: 'full pass', input: { samples: 10401, batchSize: 32, steps: 326 }, L: 326, r: 0, T: 1, last: 1 },
    {
      name: 's = L − 1 plus 10 discarded',
      input: { samples: 10401, batchSize: 32, steps: 325, extraDraws: 10 },
      L: 326,
      r: 9,
      T: 326,
      last: 1,
    },
  ])('$name: L = $L, r = $r, T = $T', ({ input, L, r, T, last }) => {
    const rotation = sliceRotation(input);
    expect(rotation.passLength).toBe(L);
    expect(rotation.shift).toBe(r);
    expect(rotation.period).toBe(T);
    expect(rotation.lastBatch).toBe(last);
    expect(rotation.sameWindowEveryEpoch).toBe(r === 0);
    expect(rotation.exactPeriod2).toBe(T === 2);
  });

  it('the question: windows differ by at most 2 batches = 64 images = 0.6 % of the set', () => {
    const { maxDifference } = sliceRotation({ samples: 10401, batchSize: 32, steps: 325 });
    expect(maxDifference.batches).toBe(2);
    expect(maxDifference.images).toBe(64);
    expect(maxDifference.fraction).toBeCloseTo(0.00615, 5);
  });

  it('b = 16: the windows are disjoint halves (650 batches differ)', () => {
    const { maxDifference, halfPassOffset } = sliceRotation({ samples: 10401, batchSize: 16, steps: 325 });
    expect(maxDifference.batches).toBe(650);
    expect(halfPassOffset).toBe(-0.5);
  });

  it('the same window every epoch has no difference', () => {
    expect(sliceRotation({ samples: 10401, batchSize: 32, steps: 326 }).maxDifference.batches).toBe(0);
  });

  it('refuses non-positive numbers', () => {
    expect(() => sliceRotation({ samples: 0, batchSize: 32, steps: 1 })).toThrow(RangeError);
    expect(() => sliceRotation({ samples: 10, batchSize: 3.5, steps: 1 })).toThrow(RangeError);
    expect(() => sliceRotation({ samples: 10, batchSize: 3, steps: 1, extraDraws: -1 })).toThrow(RangeError);
  });

  it('gcd', () => {
    expect([gcd(325, 326), gcd(163, 326), gcd(0, 7), gcd(12, 18)]).toEqual([1, 163, 7, 6]);
  });
});

describe('apparentPeriod: exact and near period 2 (§2.3)', () => {
  it.each([
    {
      name: 'L=326, s=163 exact',
      input: { samples: 10401, batchSize: 32, steps: 163 },
      exact: true,
      phase: Infinity,
      matches: true,
    },
    {
      name: 'L=651, s=325 near: ≈ 651 epochs',
      input: { samples: 10401, batchSize: 16, steps: 325 },
      exact: false,
      phase: 651,
      matches: true,
    },
    {
      name: 'L=326, s=162 near: ≈ 163 epochs',
      input: { samples: 10401, batchSize: 32, steps: 162 },
      exact: false,
      phase: 163,
      matches: true,
    },
    {
      name: 'L=326, s=325: a slow drift (2 batches per 2 epochs), not period 2',
      input: { samples: 10401, batchSize: 32, steps: 325 },
      exact: false,
      phase: 163,
      matches: false,
    },
    {
      name: 'full pass: no period',
      input: { samples: 10401, batchSize: 32, steps: 326 },
      exact: false,
      phase: Infinity,
      matches: false,
    },
  ])('$name', ({ input, exact, phase, matches }) => {
    const apparent = apparentPeriod(sliceRotation(input), 2, 39);
    expect(apparent.exact).toBe(exact);
    expect(apparent.phaseEpochs).toBe(phase);
    expect(apparent.matches).toBe(matches);
  });

  it('a near period whose phase is lost before the observed epochs does not match', () => {
    // L = 326, s = 150: r − L/2 = −13, phase survives 326 / 26 ≈ 12.5 epochs.
    const apparent = apparentPeriod(sliceRotation({ samples: 10401, batchSize: 32, steps: 150 }), 2, 39);
    expect(apparent.phaseEpochs).toBeCloseTo(12.54, 2);
    expect(apparent.matches).toBe(false);
  });

  it('period 3 when r ≈ L/3', () => {
    const apparent = apparentPeriod(sliceRotation({ samples: 300, batchSize: 10, steps: 10 }), 3, 12);
    expect(apparent).toMatchObject({ exact: true, matches: true, step: 1 });
  });
});

describe('what would produce period 2 with the question numbers', () => {
  it('an effective validation batch of 16 (L = 651)', () => {
    const first = batchSizesForPeriod(10401, 325, 2, 39, 32)[0];
    expect(first?.batchSize).toBe(16);
    expect(first?.passLength).toBe(651);
  });

  it('validation_steps = 163 with b = 32 (exact)', () => {
    const first = stepsForPeriod(10401, 32, 2, 39)[0];
    expect(first?.steps).toBe(163);
    expect(first?.exactPeriod2).toBe(true);
  });

  it('164 extra draws per epoch (half a pass), none from a 1–10 batch prefetch', () => {
    const draws = extraDrawsForPeriod({ samples: 10401, batchSize: 32, steps: 325 }, 2, 39);
    expect(draws).toContain(164);
    expect(draws.every((w) => w > 10)).toBe(true);
  });
});

describe('shiftsForPeriod', () => {
  it.each([
    { L: 326, k: 2, min: 39, shifts: [159, 160, 161, 162, 163, 164, 165, 166, 167] },
    {
      L: 651,
      k: 2,
      min: 39,
      shifts: Array.from({ length: 16 }, (_, i) => 318 + i),
    },
    { L: 32, k: 2, min: 39, shifts: [16] },
    { L: 30, k: 3, min: 12, shifts: [10, 20] },
    { L: 2, k: 2, min: 100, shifts: [1] },
  ])('L = $L, k = $k, ≥ $min epochs', ({ L, k, min, shifts }) => {
    expect(shiftsForPeriod(L, k, min)).toEqual(shifts);
    for (const r of shifts) {
      const rotation = sliceRotation({ samples: L, batchSize: 1, steps: r });
      expect(apparentPeriod(rotation, k, min).matches).toBe(true);
    }
  });

  it('agrees with a brute-force search', () => {
    for (const [L, k, min] of [
      [326, 2, 39],
      [651, 2, 20],
      [97, 3, 12],
      [100, 4, 12],
    ] as const) {
      const brute: number[] = [];
      for (let r = 1; r < L; r++) {
        if (apparentPeriod(sliceRotation({ samples: L, batchSize: 1, steps: r }), k, min).matches)
          brute.push(r);
      }
      expect(shiftsForPeriod(L, k, min)).toEqual(brute);
    }
  });
});
