import { describe, expect, it } from 'vitest';
import { accuracyChangeTest, accuracyStandardError, binomialSwingTest } from '../../src/stats/index.js';
import { FOUNDING_TRAIN_ACC, FOUNDING_VAL_ACC, expectRelative } from './helpers.js';

describe('accuracy sampling noise', () => {
  it.each([
    { accuracy: 0.9, n: 10000, se: 0.003 },
    { accuracy: 0.5, n: 100, se: 0.05 },
    { accuracy: 1, n: 50, se: 0 },
    { accuracy: 1.2, n: 50, se: Number.NaN },
    { accuracy: 0.5, n: 0, se: Number.NaN },
  ])('SE of $accuracy on $n examples = $se', ({ accuracy, n, se }) => {
    if (Number.isNaN(se)) expect(accuracyStandardError(accuracy, n)).toBeNaN();
    else expectRelative(accuracyStandardError(accuracy, n), se, 1e-12);
  });

  it.each([
    {
      // Pooled p̄ = 0.825; SE = √(0.825·0.175·2/1000); two-sided p from SciPy norm.sf.
      name: 'equal sizes',
      before: 0.8,
      after: 0.85,
      n1: 1000,
      n2: 1000,
      se: 0.016992645467966427,
      z: 2.942449431682499,
      p: 0.0032562696284120637,
    },
    {
      name: 'unequal sizes',
      before: 0.7,
      after: 0.78,
      n1: 200,
      n2: 300,
      se: 0.0396333193159493,
      z: 2.018503657547711,
      p: 0.043538833628610885,
    },
  ])('two-proportion z-test, $name', ({ before, after, n1, n2, se, z, p }) => {
    const result = accuracyChangeTest(before, after, n1, n2);
    expectRelative(result.standardError, se, 1e-12);
    expectRelative(result.z, z, 1e-12);
    expectRelative(result.p, p, 1e-9);
    expect(accuracyChangeTest(after, before, n2, n1).z).toBeCloseTo(-z, 12);
  });

  it('handles no change at the boundary and invalid input', () => {
    expect(accuracyChangeTest(1, 1, 100)).toMatchObject({ z: 0, p: 1 });
    expect(accuracyChangeTest(0.5, 95, 100).p).toBeNaN();
  });

  it('shows the founding swings are ~40 sampling SEs for a 10 000-image validation set', () => {
    // The founding post validates on ~10k images; independent 10k-samples would move val_acc by ~0.5 pp.
    const val = binomialSwingTest(FOUNDING_VAL_ACC, 10000);
    expect(val.changes).toHaveLength(38);
    expect(val.medianAbsZ).toBeGreaterThan(30);
    expect(val.significantChanges).toBe(38);
    // Training accuracy (29k images) moves by less than its sampling noise late in the run.
    const train = binomialSwingTest(FOUNDING_TRAIN_ACC.slice(20), 29000);
    expect(train.medianAbsZ).toBeLessThan(2);
  });
});
