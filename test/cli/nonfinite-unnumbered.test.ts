import { describe, expect, test } from 'vitest';
import { runCli } from './run-cli.js';

const LOG = 'fixtures/real/sequence-tagging-issue-47-lr-nan-timestamped.txt';
const FINITE = 'fixtures/parse/not-logs/unnumbered-losses-finite.txt';

/** No epoch record, but the unnumbered lines print a non-finite loss: exit 1 with the finding, not exit 2. */
describe('a log without epoch records whose loss goes nan', () => {
  test('text: exit 1, the loss-not-finite error first, the no-epoch note on stderr', async () => {
    const { code, stdout, stderr } = await runCli([LOG]);
    expect(code).toBe(1);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('✖ Loss is NaN or infinite (train loss)');
    expect(lines[1]).toMatch(/^ {2}next: everything from line 6 on is meaningless/);
    expect(stdout).toContain('loss-not-finite train loss:');
    expect(stdout).toContain('(lines 6, 7, 8, 9, 10)');
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^epochlint: ${LOG}: no completed epoch found`)),
    ]);
  });

  test('json: the finding, no record, the no-epochs issue kept, no error', async () => {
    const { code, stdout } = await runCli([LOG, '--format', 'json']);
    expect(code).toBe(1);
    const file = (
      JSON.parse(stdout) as {
        files: Array<{
          error: string | null;
          runs: Array<{ epochs: number }>;
          findings: Array<{ rule: string; severity: string; line: number; epochs: number[] }>;
          issues: Array<{ kind: string }>;
        }>;
      }
    ).files[0];
    expect(file?.error).toBeNull();
    expect(file?.runs.map((r) => r.epochs)).toEqual([0]);
    expect(file?.findings.map((f) => [f.rule, f.severity, f.line, f.epochs])).toEqual([
      ['loss-not-finite', 'error', 6, [0, 0]],
    ]);
    expect(file?.issues.map((i) => i.kind)).toContain('no-epochs');
  });

  test('the same log with every loss finite is still unreadable: exit 2', async () => {
    const { code, stderr } = await runCli([FINITE]);
    expect(code).toBe(2);
    expect(stderr).toContain('no completed epoch found');
  });
});
