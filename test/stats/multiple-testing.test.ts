import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, bonferroni, holm } from '../../src/stats/index.js';

describe('multiple-testing adjustments', () => {
  it.each([
    {
      // Wikipedia "Holm–Bonferroni method", worked example: p = 0.01, 0.04, 0.03, 0.005 at α = 0.05.
      // Sorted: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → running max 0.06.
      // H1 and H4 are rejected; H2 and H3 are not.
      name: 'Wikipedia worked example',
      p: [0.01, 0.04, 0.03, 0.005],
      holm: [0.03, 0.06, 0.06, 0.02],
      bh: [0.02, 0.04, 0.04, 0.02],
    },
    {
      // By hand, with R p.adjust's definitions. Holm: sorted 0.001·5, 0.02·4, 0.04·3, 0.2·2, 0.7·1.
      // BH: 0.001·5/1, 0.02·5/2, 0.04·5/3, 0.2·5/4, 0.7·5/5, then running minimum from the top.
      name: 'hand-computed five-test family',
      p: [0.2, 0.001, 0.7, 0.02, 0.04],
      holm: [0.4, 0.005, 0.7, 0.08, 0.12],
      bh: [0.25, 0.005, 0.7, 0.05, 0.2 / 3],
    },
    { name: 'caps at 1', p: [0.6, 0.9], holm: [1, 1], bh: [0.9, 0.9] },
    { name: 'empty family', p: [], holm: [], bh: [] },
  ])('$name', ({ p, holm: expectedHolm, bh }) => {
    holm(p).forEach((v, i) => expect(v).toBeCloseTo(expectedHolm[i] as number, 12));
    benjaminiHochberg(p).forEach((v, i) => expect(v).toBeCloseTo(bh[i] as number, 12));
  });

  it('leaves NaN entries out of the family', () => {
    const adjusted = holm([0.01, Number.NaN, 0.02]);
    expect(adjusted[1]).toBeNaN();
    expect(adjusted[0]).toBeCloseTo(0.02, 12);
    expect(adjusted[2]).toBeCloseTo(0.02, 12);
    expect(bonferroni([0.01, Number.NaN, 0.4])).toEqual([0.02, Number.NaN, 0.8]);
  });
});
