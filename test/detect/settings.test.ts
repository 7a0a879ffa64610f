import { describe, expect, test } from 'vitest';
import { findDetector } from '../../src/detect/index.js';
import { DEFAULT_SETTINGS, type LintSettings } from '../../src/lint.js';
import { findingsOf, lintFixture } from './helpers.js';

function withRules(rules: LintSettings['rules']): LintSettings {
  return { ...DEFAULT_SETTINGS, rules };
}

describe('rule settings', () => {
  const id = 'val-alternation';
  const file = 'fires-founding-shape.log';

  test('a configured severity replaces the default: the val-alternation errors become warnings', () => {
    const defaults = findingsOf(id, file);
    expect(defaults.map((f) => f.severity)).toEqual(['error', 'error']);
    const overridden = findingsOf(id, file, withRules({ [id]: { severity: 'warning' } }));
    expect(overridden.map((f) => f.severity)).toEqual(['warning', 'warning']);
    expect(overridden.map((f) => [f.metric, f.epochs])).toEqual(defaults.map((f) => [f.metric, f.epochs]));
  });

  test("'off' removes the rule and leaves the others alone", () => {
    const all = lintFixture(id, file);
    const off = lintFixture(id, file, withRules({ [id]: { severity: 'off' } }));
    expect(off.filter((f) => f.rule === id)).toEqual([]);
    expect(off).toEqual(all.filter((f) => f.rule !== id));
    expect(off.some((f) => f.rule === 'val-swing-exceeds-sampling-noise')).toBe(true);
  });

  test('an override never promotes an "insufficient data" note', () => {
    const found = findingsOf(id, 'quiet-short-alternation.log', withRules({ [id]: { severity: 'error' } }));
    expect(found.map((f) => [f.severity, f.stats.insufficient])).toEqual([['info', true]]);
  });

  test('rule options reach the detector (plateau patience 18 fires on 18 epochs since the best, 19 does not)', () => {
    const plateau = (patience: number) =>
      findingsOf(
        'plateau',
        'fires-after-lr-reductions.log',
        withRules({ plateau: { options: { patience } } }),
      );
    expect(plateau(18).map((f) => f.stats.epochsSinceBest)).toEqual([18]);
    expect(plateau(19)).toEqual([]);
  });
});

describe('invalid options are rejected by the schema', () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['val-alternation', { alpha: 2 }],
    ['val-alternation', { alpha: '0.001' }],
    ['val-alternation', { minEpochs: 5 }],
    ['val-alternation', { alhpa: 0.01 }],
    ['checkpoint-bias', { minShare: 0.3 }],
    ['checkpoint-bias', { minImprovements: 1 }],
    ['loss-divergence', { factor: 1 }],
    ['loss-divergence', { minEpochs: 1.5 }],
    ['loss-not-finite', { anything: true }],
    ['overfitting', { minEpochs: 3 }],
    ['plateau', { patience: 1 }],
    ['plateau', { minDelta: -0.1 }],
    ['val-better-than-train', { minShare: 1.5 }],
    ['val-periodic', { maxPeriod: 2 }],
    ['val-stuck', { chanceTolerance: -1 }],
    ['val-swing-exceeds-sampling-noise', { minMedianZ: 0 }],
  ];
  test.each(cases)('%s rejects %j', (id, options) => {
    const detector = findDetector(id);
    expect(detector).toBeDefined();
    expect(detector?.options.safeParse(options).success).toBe(false);
  });

  test.each([
    ['val-alternation', { alpha: 0.0005 }],
    ['plateau', { patience: 5, minDelta: 0 }],
    ['checkpoint-bias', { minImprovements: 6, minShare: 1 }],
  ] as const)('%s accepts %j', (id, options) => {
    expect(findDetector(id)?.options.safeParse(options).success).toBe(true);
  });
});
