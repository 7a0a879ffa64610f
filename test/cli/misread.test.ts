import { describe, expect, test } from 'vitest';
import { runCli } from './run-cli.js';

/** Never a silent misread: what could not be read as a training log is never "no findings" with exit 0. */
describe('inputs that are not training logs', () => {
  test.each([
    { file: 'fixtures/parse/not-logs/params.json', says: 'no metric lists found' },
    { file: 'fixtures/parse/not-logs/manifest.json', says: 'no metric lists found' },
    { file: 'fixtures/parse/not-logs/notes.txt', says: 'not a training log' },
    {
      // the lines of sequence-tagging issue 47 with every loss finite: no record, nothing non-finite
      file: 'fixtures/parse/not-logs/unnumbered-losses-finite.txt',
      says: 'without an epoch number',
    },
  ])('$file named on the command line: one line, exit 2, an error in the report', async ({ file, says }) => {
    const { code, stdout, stderr } = await runCli([file, '--format', 'json']);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(says);
    const report = JSON.parse(stdout) as { files: Array<{ error: string | null }> };
    expect(report.files[0]?.error).toContain(says);
  });

  test('in a directory, configs and manifests are skipped with a note; the log is linted', async () => {
    const { code, stdout, stderr } = await runCli(['fixtures/parse/sweep', '--format', 'json']);
    expect(code).toBe(0);
    expect(stderr).toContain('skipped 2 files');
    expect(stderr).toContain('params.json');
    expect(stderr).toContain('manifest.json');
    const report = JSON.parse(stdout) as { files: Array<{ file: string; format: string }> };
    expect(report.files.map((f) => [f.file, f.format])).toEqual([
      ['fixtures/parse/sweep/lr-0.01/metrics.csv', 'lightning-csv'],
    ]);
  });

  test("the issue's Trainer console log (eval_accuracy 0.95 / 0.80) is read as a log: an alternation error, exit 1", async () => {
    const { code, stdout } = await runCli([
      'fixtures/parse/hf/console-eval-accuracy-alternates.log',
      '--format',
      'json',
    ]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as {
      files: Array<{ format: string; findings: Array<{ rule: string; severity: string; metric: string }> }>;
    };
    expect(report.files[0]?.format).toBe('hf-trainer-log');
    expect(
      report.files[0]?.findings.filter((f) => f.severity === 'error').map((f) => [f.rule, f.metric]),
    ).toContainEqual(['val-alternation', 'eval_accuracy']);
  });

  test('--metric restricts the lint to the named metrics; --ignore-metric leaves them out', async () => {
    const log = 'fixtures/parse/hf/console-eval-accuracy-alternates.log';
    const findingsOf = async (args: string[]) =>
      (
        JSON.parse((await runCli([log, '--format', 'json', ...args])).stdout) as {
          files: Array<{ findings: Array<{ metric: string | null }> }>;
        }
      ).files[0]?.findings.map((f) => f.metric) ?? [];
    const all = await findingsOf([]);
    expect(all).toContain('eval_loss');
    const only = await findingsOf(['--metric', 'eval_accuracy']);
    expect(only.length).toBeGreaterThan(0);
    expect(only.every((m) => m === null || m === 'eval_accuracy')).toBe(true);
    expect(await findingsOf(['--ignore-metric', 'eval_accuracy'])).not.toContain('eval_accuracy');
  });
});
