import { describe, expect, test } from 'vitest';
import { runCli } from './run-cli.js';

const seed = 'fixtures/real/crossvalidated-416172.txt';
const healthy = 'fixtures/real/satellite-unet-jaccard-history.json';

interface LintDoc {
  schemaVersion: number;
  files: Array<{
    file: string;
    format: string | null;
    runs: Array<{ epochs: number }>;
    findings: Array<{
      rule: string;
      severity: string;
      metric: string | null;
      epochs: [number, number];
      message: string;
    }>;
    diagnoses: Array<{
      cause: string;
      verdict: string;
      reasons: Array<{ text: string }>;
      check: { text: string };
    }>;
    issues: unknown[];
    error: string | null;
  }>;
}

describe('epochlint [files...]', () => {
  test('the founding case: exit 1, alternation errors, causes with checks', async () => {
    const { code, stdout, stderr } = await runCli([seed]);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    expect(stdout).toContain('val-alternation');
    expect(stdout).toMatch(/ruled-out\s+Validation slice rotation/);
    expect(stdout).toContain('64 images');
    expect(stdout).toContain('batch of 16');
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('1 file, 39 epochs: 2 errors, 1 warning, 1 note');
    expect(stdout).not.toContain('\u001b'); // no colour when not a TTY
  });

  test('--format json follows the documented shape', async () => {
    const { code, stdout } = await runCli([seed, '--format', 'json']);
    expect(code).toBe(1);
    const doc = JSON.parse(stdout) as LintDoc;
    expect(doc.schemaVersion).toBe(1);
    const file = doc.files[0];
    expect(file?.runs[0]?.epochs).toBe(39);
    const rules = file?.findings.map((f) => `${f.severity}:${f.rule}:${f.metric ?? ''}`);
    expect(rules).toContain('error:val-alternation:val_acc');
    expect(rules).toContain('error:val-alternation:val_loss');
    expect(rules).toContain('warning:val-swing-exceeds-sampling-noise:val_acc');
    expect(file?.findings.every((f) => f.message.length > 0 && !f.message.includes('{'))).toBe(true);
    const slice = file?.diagnoses.find((d) => d.cause === 'validation-slice-rotation');
    expect(slice?.verdict).toBe('ruled-out');
    expect(slice?.check.text.length).toBeGreaterThan(20);
  });

  test('a hint flag changes the verdict (--val-batch-size 16)', async () => {
    const { stdout } = await runCli([
      seed,
      '--format',
      'json',
      '--val-batch-size',
      '16',
      '--val-steps',
      '325',
    ]);
    const doc = JSON.parse(stdout) as LintDoc;
    expect(doc.files[0]?.diagnoses.find((d) => d.cause === 'validation-slice-rotation')?.verdict).toBe(
      'confirmed',
    );
  });

  test('a healthy log: exit 0', async () => {
    const { code, stdout } = await runCli([healthy]);
    expect(code).toBe(0);
    expect(stdout).toContain('0 errors');
  });

  test('stdin, and several files with one unreadable', async () => {
    expect(
      (await runCli(['-'], { input: Buffer.from('Epoch 1/1\n10/10 [====] - 1s 1ms/step - loss: 0.5000\n') }))
        .code,
    ).toBe(0);
    const { code, stdout, stderr } = await runCli(['missing.log', seed, '--format', 'json']);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe('epochlint: missing.log: no such file');
    const doc = JSON.parse(stdout) as LintDoc;
    expect(doc.files.map((f) => [f.file, f.error])).toEqual([
      ['missing.log', 'no such file'],
      [seed, null],
    ]);
  });

  test.each([
    { args: ['--val-batch-size', 'sixteen'], message: '--val-batch-size: expected a positive integer' },
    { args: ['--batchnorm', 'maybe'], message: '--batchnorm: expected yes/no' },
    { args: ['--val-data', 'queue'], message: '--val-data: expected generator, sequence, dataset or arrays' },
    {
      args: ['--val-class-counts', '5200,x'],
      message: '--val-class-counts: expected comma-separated counts',
    },
  ])('bad flag $args.0: one line, exit 2', async ({ args, message }) => {
    const { code, stderr, stdout } = await runCli([seed, ...args]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  test('colour: --color forces it, NO_COLOR and --no-color remove it', async () => {
    expect((await runCli([seed, '--color'])).stdout).toContain('\u001b[');
    expect((await runCli([seed], { env: { FORCE_COLOR: '1' } })).stdout).toContain('\u001b[');
    expect((await runCli([seed, '--no-color'], { env: { FORCE_COLOR: '1' } })).stdout).not.toContain(
      '\u001b[',
    );
  });
});

describe('epochlint rules / explain', () => {
  test('rules lists every detector with its default severity', async () => {
    const { code, stdout } = await runCli(['rules']);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(13);
    expect(
      lines
        .find((l) => l.startsWith('val-alternation'))
        ?.split(/\s{2,}/)
        .slice(0, 2),
    ).toEqual(['val-alternation', 'error']);
  });

  test('explain prints what, why and an example', async () => {
    const { code, stdout } = await runCli(['explain', 'val-alternation']);
    expect(code).toBe(0);
    for (const heading of ['What it checks', 'Why it matters', 'Example', 'Options'])
      expect(stdout).toContain(heading);
    expect(stdout).toContain('  alpha = 0.001');
    expect(stdout).toContain('  minEpochs = 12');
  });

  test('explain of an unknown rule: exit 2', async () => {
    const { code, stderr } = await runCli(['explain', 'nope']);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown rule 'nope'");
  });
});
