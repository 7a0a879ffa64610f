import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { lintRuns } from '../../src/lint.js';
import { parseText } from '../../src/parse/index.js';

/**
 * An input with no epoch record whose unnumbered metric lines print a loss as nan or inf: 0 records (as
 * parsed), one `loss-not-finite` error per loss citing the lines, no epoch. A loss that went non-finite
 * only before the first record, or a non-finite metric that is not a loss, says nothing of the kind.
 */
const CASES = [
  {
    file: 'fixtures/real/sequence-tagging-issue-47-lr-nan-timestamped.txt',
    issues: [6, 7, 8, 9, 10],
    findings: [{ metric: 'train loss', lines: [6, 7, 8, 9, 10], line: 6 }],
  },
  {
    // grad_norm is nan from line 3 on: not a loss
    file: 'fixtures/parse/unnumbered/inf-loss-and-nan-grad-norm.txt',
    issues: [4, 5],
    findings: [{ metric: 'train_loss', lines: [4, 5], line: 4 }],
  },
  {
    // nan on warm-up lines before the first epoch: the log has records, the lines are not evidence of them
    file: 'fixtures/parse/unnumbered/nan-before-first-epoch.txt',
    issues: [],
    findings: [],
  },
  {
    file: 'fixtures/parse/not-logs/unnumbered-losses-finite.txt',
    issues: [],
    findings: [],
  },
];

describe('non-finite losses on lines without an epoch number', () => {
  test.each(CASES)('$file', ({ file, issues, findings }) => {
    const parsed = parseText(readFileSync(new URL(`../../${file}`, import.meta.url)), { file });
    expect(
      parsed.issues.filter((i) => i.kind === 'nonfinite-unnumbered').map((i) => i.line),
      'nonfinite-unnumbered issues',
    ).toEqual(issues);
    const report = lintRuns(file, parsed.summary.dialect, parsed.runs, parsed.issues);
    const found = report.findings.filter((f) => f.rule === 'loss-not-finite');
    expect(found.map((f) => ({ metric: f.metric, lines: f.evidence.lines, line: f.line }))).toEqual(findings);
    for (const f of found) {
      expect(f.severity).toBe('error');
      expect(f.epochs).toEqual([0, 0]);
      expect(f.stats).toEqual({ firstLine: f.line, count: (f.evidence.lines as number[]).length });
    }
    if (findings.length > 0) {
      // no record was read, and none is invented: the report's one run has no epoch
      expect(parsed.runs).toEqual([]);
      expect(report.runs.map((r) => r.epochs)).toEqual([0]);
    }
  });

  test('the rule turned off: no finding', () => {
    const file = 'fixtures/real/sequence-tagging-issue-47-lr-nan-timestamped.txt';
    const parsed = parseText(readFileSync(new URL(`../../${file}`, import.meta.url)), { file });
    const report = lintRuns(file, parsed.summary.dialect, parsed.runs, parsed.issues, {
      rules: { 'loss-not-finite': { severity: 'off' } },
      ignoreMetrics: [],
      hints: {},
    });
    expect(report.findings).toEqual([]);
    expect(report.runs).toEqual([]);
  });
});
