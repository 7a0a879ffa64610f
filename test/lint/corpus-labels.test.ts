import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { lintRuns } from '../../src/lint.js';
import { FileReport } from '../../src/model/index.js';
import { parseText } from '../../src/parse/index.js';

/** The hand labels of the real logs (fixtures/real/manifest.json; see corpus/README.md). */
interface Entry {
  file: string;
  labels: { sawtooth: boolean; zigzag: boolean; healthy: boolean; nan: boolean };
}

const dir = new URL('../../fixtures/real/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', dir), 'utf8')) as Entry[];

function lint(file: string) {
  const { runs, issues, summary } = parseText(readFileSync(new URL(file, dir)), { file });
  const report = lintRuns(file, summary.dialect, runs, issues);
  expect(() => FileReport.parse(report)).not.toThrow();
  return report;
}

describe('real logs and their labels', () => {
  test.each(manifest)('$file', ({ file, labels }) => {
    const report = lint(file);
    const alternationErrors = report.findings.filter(
      (f) => f.rule === 'val-alternation' && f.severity === 'error',
    );
    // a sawtooth gets a val-alternation error; a zigzag (ordinary noise) never does
    expect(alternationErrors.length > 0).toBe(labels.sawtooth);
    if (labels.healthy) expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    if (labels.nan)
      expect(report.findings.some((f) => f.rule === 'loss-not-finite' && f.severity === 'error')).toBe(true);
  });

  test('the founding case: alternation on val_acc and val_loss, not on training, beyond sampling noise', () => {
    const report = lint('crossvalidated-416172.txt');
    const byKey = new Map(report.findings.map((f) => [`${f.rule}:${f.metric ?? ''}`, f]));
    const acc = byKey.get('val-alternation:val_acc');
    const loss = byKey.get('val-alternation:val_loss');
    expect(acc).toMatchObject({ severity: 'error', epochs: [1, 39], line: 7 });
    expect(loss).toMatchObject({ severity: 'error', epochs: [1, 39] });
    expect(acc?.stats).toMatchObject({
      n: 39,
      highParity: 'odd',
      trainMetric: 'acc',
      trainAlternates: false,
    });
    expect(loss?.stats).toMatchObject({
      n: 39,
      highParity: 'even',
      trainMetric: 'loss',
      trainAlternates: false,
    });
    // the mean odd-epoch val_acc minus the mean even-epoch val_acc, detrended: about 0.22
    expect(acc?.stats.amplitude).toBeCloseTo(0.218, 2);
    expect(acc?.stats.pAdjusted).toBeLessThan(1e-10);
    expect(acc?.stats.alternatingChanges).toBe(37);
    expect(acc?.stats.longestPhaseRun).toBe(39);
    const swing = byKey.get('val-swing-exceeds-sampling-noise:val_acc');
    expect(swing?.stats).toMatchObject({ valSamples: 10401, valSamplesSource: 'log' });
    expect(Number(swing?.stats.ratio)).toBeGreaterThan(20);
    expect(report.findings.some((f) => f.rule === 'checkpoint-bias')).toBe(false); // verbose=0 checkpoint: no events

    const verdicts = new Map(report.diagnoses.map((d) => [d.cause, d.verdict]));
    expect(verdicts.get('validation-slice-rotation')).toBe('ruled-out');
    const order = report.diagnoses.map((d) => d.cause);
    const evaluationSide = ['extra-validation-draws', 'worker-duplication', 'weight-averaging-swap'];
    const modelSide = ['batchnorm-statistics', 'learning-rate-too-high', 'dropout-averaging-gap'];
    for (const e of evaluationSide) {
      expect(verdicts.get(e)).toBe('possible');
      for (const m of modelSide) expect(order.indexOf(e)).toBeLessThan(order.indexOf(m));
    }
    for (const d of report.diagnoses) expect(d.check.messageId.length).toBeGreaterThan(0);
  });

  test('hints settle the slice-rotation question for the founding case', () => {
    const file = 'crossvalidated-416172.txt';
    const { runs, issues, summary } = parseText(readFileSync(new URL(file, dir)));
    const withHint = (hints: object) =>
      new Map(
        lintRuns(file, summary.dialect, runs, issues, { rules: {}, ignoreMetrics: [], hints }).diagnoses.map(
          (d) => [d.cause, d.verdict],
        ),
      );
    expect(withHint({ valBatchSize: 16, valSteps: 325 }).get('validation-slice-rotation')).toBe('confirmed');
    expect(withHint({ valBatchSize: 32, valSteps: 325 }).get('validation-slice-rotation')).toBe('ruled-out');
    expect(withHint({ batchnorm: false }).get('batchnorm-statistics')).toBe('ruled-out');
  });
});
