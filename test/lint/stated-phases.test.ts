import { describe, expect, test } from 'vitest';
import { lintRuns } from '../../src/lint.js';
import { isResourceName, isValidationName, trainingTwin, withStatedPhases } from '../../src/model/roles.js';
import { parseText } from '../../src/parse/index.js';

/**
 * A format that states the phase of its columns (`Run.phases`: fastai computes every metric but
 * `train_loss` on the validation set) is read that way by every rule, not only by the reader.
 */
function fastaiTable(accuracy: (epoch: number) => number): string {
  const rows = ['epoch     train_loss  valid_loss  accuracy  time'];
  for (let e = 0; e < 20; e += 1) {
    const train = 1.2 * Math.exp(-e / 8) + 0.2;
    const valid = 1.1 * Math.exp(-e / 9) + 0.3;
    rows.push(`${e}         ${train.toFixed(6)}    ${valid.toFixed(6)}    ${accuracy(e).toFixed(6)}  00:12`);
  }
  return rows.join('\n') + '\n';
}

function lint(text: string) {
  const { runs, issues, summary } = parseText(text, { file: 'fit.txt' });
  return { runs, report: lintRuns('fit.txt', summary.dialect, runs, issues) };
}

describe('stated phases', () => {
  test('fastai accuracy alternating 0.9 / 0.6 is a validation alternation (the name alone says training)', () => {
    const { runs, report } = lint(fastaiTable((e) => (e % 2 === 0 ? 0.9 : 0.6) + e * 0.001));
    expect(runs).toHaveLength(1);
    expect(runs[0]?.source.dialect).toBe('fastai-table');
    expect(runs[0]?.phases?.['accuracy']).toBe('validation');
    expect(runs[0]?.epochs).toHaveLength(20);
    const alternation = report.findings.filter(
      (f) => f.rule === 'val-alternation' && f.metric === 'accuracy',
    );
    expect(alternation.map((f) => f.severity)).toEqual(['error']);
    expect(alternation[0]?.epochs).toEqual([1, 20]);
  });

  test('the same numbers as a CSV without stated phases: accuracy is a training metric, no val-alternation on it', () => {
    const csv = fastaiTable((e) => (e % 2 === 0 ? 0.9 : 0.6) + e * 0.001)
      .split('\n')
      .map((l) => l.trim().split(/\s+/).slice(0, 4).join(','))
      .join('\n');
    const { runs, report } = lint(csv);
    expect(runs[0]?.phases).toBeUndefined();
    expect(report.findings.filter((f) => f.rule === 'val-alternation' && f.metric === 'accuracy')).toEqual(
      [],
    );
  });

  test('lookups inside withStatedPhases use the stated phase, and it ends with the call', () => {
    expect(isValidationName('accuracy')).toBe(false);
    const inside = withStatedPhases({ accuracy: 'validation' }, () => ({
      validation: isValidationName('accuracy'),
      twin: trainingTwin('accuracy', ['accuracy', 'train_loss', 'valid_loss']),
      lossTwin: trainingTwin('valid_loss', ['accuracy', 'train_loss', 'valid_loss']),
    }));
    expect(inside).toEqual({ validation: true, twin: null, lossTwin: 'train_loss' });
    expect(isValidationName('accuracy')).toBe(false);
    expect(() =>
      withStatedPhases({ accuracy: 'validation' }, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(isValidationName('accuracy')).toBe(false);
  });
});

describe('resource names', () => {
  test.each([
    ['eval_runtime', true],
    ['eval_samples_per_second', true],
    ['eval_steps_per_second', true],
    ['val_time', true],
    ['test_mem_gb', true],
    ['val_loss', false],
    ['eval_accuracy', false],
    ['Val Acc', false],
  ])('%s is a resource name (never validation): %s', (name, resource) => {
    expect(isResourceName(name)).toBe(resource);
    expect(isValidationName(name)).toBe(!resource);
  });

  test('an HF Trainer eval_runtime printed identically every evaluation is no frozen validation', () => {
    const lines: string[] = [];
    for (let e = 1; e <= 8; e += 1) {
      lines.push(`{'loss': ${(1 / e).toFixed(4)}, 'learning_rate': 5e-05, 'epoch': ${e}.0}`);
      lines.push(
        `{'eval_loss': ${(0.9 / e + 0.1).toFixed(4)}, 'eval_accuracy': ${(0.6 + 0.03 * e).toFixed(4)}, 'eval_runtime': 1.5, 'eval_samples_per_second': 600.0, 'eval_steps_per_second': 75.0, 'epoch': ${e}.0}`,
      );
    }
    const { runs, report } = lint(lines.join('\n') + '\n');
    expect(runs[0]?.epochs).toHaveLength(8);
    expect(report.findings.filter((f) => f.rule === 'val-stuck')).toEqual([]);
  });
});
