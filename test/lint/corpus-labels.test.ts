import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { lintRuns, lintText } from '../../src/lint.js';
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

    // from the records alone (no code): the evaluation side leads, slice rotation rests on the idiom
    const verdicts = new Map(report.diagnoses.map((d) => [d.cause, d.verdict]));
    expect(verdicts.get('validation-slice-rotation')).toBe('possible');
    expect(report.diagnoses.slice(0, 3).every((d) => d.side === 'evaluation')).toBe(true);
    for (const d of report.diagnoses) expect(d.check.messageId.length).toBeGreaterThan(0);
  });

  test('the founding case as the CLI reads it: the code in the paste decides what it bears on', async () => {
    const file = 'crossvalidated-416172.txt';
    const report = await lintText(file, readFileSync(new URL(file, dir)));
    const byCause = new Map(report.diagnoses.map((d) => [d.cause, d]));
    expect(
      report.findings.filter((f) => f.rule === 'val-alternation' && f.severity === 'error'),
    ).toHaveLength(2);
    // slice rotation ruled out with b = 32 (the validation generator's batch size in the code) and
    // s = 325 (validation_steps divides by the batch_size that the 910 steps pin at 32)
    const rotation = byCause.get('validation-slice-rotation');
    expect(rotation?.verdict).toBe('ruled-out');
    expect(rotation?.reasons.find((r) => r.messageId === 'geometry')?.data).toMatchObject({
      samples: 10401,
      batchSize: 32,
      steps: 325,
    });
    expect(byCause.get('batchnorm-statistics')?.verdict).toBe('ruled-out');
    expect(byCause.get('batchnorm-statistics')?.reasons[0]).toMatchObject({
      messageId: 'no-batchnorm',
      data: { line: 7 },
    });
    expect(byCause.get('worker-duplication')?.verdict).toBe('ruled-out');
    expect(byCause.get('weight-averaging-swap')?.reasons[0]?.messageId).toBe('code-no-averaging');
    expect(byCause.get('cyclic-learning-rate')?.reasons[0]?.messageId).toBe('code-not-cyclic');
    const context = report.contexts[0];
    expect(context?.optimizer).toMatchObject({
      value: { name: 'Adam', learningRate: 3e-5, averaging: false },
      line: 7,
    });
    expect(context?.callbacks?.value).toEqual(['ModelCheckpoint', 'ReduceLROnPlateau']);
    expect(context?.code).toEqual([{ origin: 'log', file: null, fromLine: 7, toLine: 7, reader: 'scan' }]);
  });

  test('hints settle the slice-rotation question for the founding case', async () => {
    const file = 'crossvalidated-416172.txt';
    const text = readFileSync(new URL(file, dir));
    const withHint = async (hints: object) =>
      new Map(
        (await lintText(file, text, { rules: {}, ignoreMetrics: [], hints })).diagnoses.map((d) => [
          d.cause,
          d.verdict,
        ]),
      );
    expect((await withHint({ valBatchSize: 16, valSteps: 325 })).get('validation-slice-rotation')).toBe(
      'confirmed',
    );
    expect((await withHint({ valBatchSize: 32, valSteps: 325 })).get('validation-slice-rotation')).toBe(
      'ruled-out',
    );
    // from the records alone an EMA swap or copied workers stay open, so the arithmetic makes it likely
    const { runs, issues, summary } = parseText(text);
    const recordsOnly = lintRuns(file, summary.dialect, runs, issues, {
      rules: {},
      ignoreMetrics: [],
      hints: { valBatchSize: 16, valSteps: 325 },
    });
    expect(recordsOnly.diagnoses.find((d) => d.cause === 'validation-slice-rotation')?.verdict).toBe(
      'likely',
    );
  });
});
