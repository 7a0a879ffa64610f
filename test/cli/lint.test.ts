import { readFileSync } from 'node:fs';
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
  test('the founding case: the verdict and the next step first, one screen, exit 1', async () => {
    const { code, stdout, stderr } = await runCli([seed]);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(40);
    expect(lines[0]).toMatch(/^✖ Validation metric alternates between epochs/);
    expect(lines[2]).toMatch(/^ {2}next: /);
    expect(lines.at(-1)).toBe('1 file, 39 epochs: 2 errors, 1 warning, 1 note');
    expect(stdout).not.toContain('\u001b'); // no colour when not a TTY
  });

  test('--verbose: every cause with its reasons, the slice-rotation arithmetic included', async () => {
    const { code, stdout } = await runCli([seed, '--verbose']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/ruled-out {2}Validation slice rotation/);
    expect(stdout).toContain('64 images');
    expect(stdout).toContain('batch of 16');
    expect(stdout).toContain('amplitudeToValNoise 10.4');
  });

  test('--no-chart and --quiet', async () => {
    expect((await runCli([seed, '--no-chart'])).stdout).not.toContain('█▁█');
    const quiet = (await runCli([seed, '--quiet'])).stdout.trimEnd().split('\n');
    expect(quiet.filter((l) => l.startsWith('  ✖ '))).toHaveLength(2);
    expect(quiet.join('\n')).not.toMatch(/possible|▲ val-swing/);
    expect(quiet.at(-1)).toBe('1 file, 39 epochs: 2 errors, 1 warning, 1 note');
  });

  test('a 200-epoch log: all 200 epochs in the chart at 80 columns', async () => {
    const lines: string[] = [];
    for (let epoch = 1; epoch <= 200; epoch++) {
      const swing = epoch % 2 === 1 ? 0.1 : -0.1;
      const loss = (0.2 + 1 / epoch).toFixed(4);
      const acc = (0.9 - 0.4 / epoch).toFixed(4);
      lines.push(
        `Epoch ${epoch}/200`,
        `100/100 [==============================] - 1s 10ms/step - loss: ${loss} - acc: ${acc} - val_loss: ${(0.3 + 1 / epoch - swing).toFixed(4)} - val_acc: ${(0.85 - 0.4 / epoch + swing).toFixed(4)}`,
      );
    }
    const { stdout } = await runCli(['-'], { input: `${lines.join('\n')}\n`, columns: 80 });
    const out = stdout.split('\n');
    for (const line of out) expect([...line].length).toBeLessThanOrEqual(80);
    const caption = out.findIndex((l) => l.startsWith('  200 epochs, 5 per column'));
    expect(caption).toBeGreaterThan(0);
    const ruler = out.slice(caption).find((l) => l.startsWith('  epoch '));
    expect(ruler?.trimEnd().endsWith(' 200')).toBe(true);
    // every column swings, but the first: the steep drop of the first epochs dominates it
    expect(out[caption + 1]).toMatch(/^ {2}val_loss [▁-█]┃{39} /);
  });

  test('several files start with the runs table (epochlint fixtures/real)', async () => {
    const { stdout } = await runCli(['fixtures/real'], { columns: 120 });
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('  files in fixtures/real/:');
    expect(lines[1]).toMatch(/^ {2}file +run +epochs +metric +best \(epoch\) +last +verdict$/);
    expect(lines.find((l) => l.includes('crossvalidated-416172'))).toMatch(
      / 39 +val_loss +0\.0339 \(9\) +0\.0469 +2 errors$/,
    );
  });

  test('--format html writes one self-contained document', async () => {
    const { code, stdout } = await runCli([seed, '--format', 'html']);
    expect(code).toBe(1);
    expect(stdout.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(stdout).toContain("default-src 'none'");
    expect(stdout).not.toMatch(/<script|<link|<img|@import|url\(/i);
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

  test('a healthy log: exit 0, its chart, a clean verdict', async () => {
    const { code, stdout } = await runCli([healthy]);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe('✔ No instability found in 20 epochs');
    expect(stdout).toMatch(/^ {2}val_loss +[▁▂▃▄▅▆▇█]{20} /m);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('1 file, 20 epochs: 0 errors, 0 warnings, 0 notes');
  });

  test('stdin, and several files with one unreadable', async () => {
    expect(
      (await runCli(['-'], { input: Buffer.from('Epoch 1/1\n10/10 [====] - 1s 1ms/step - loss: 0.5000\n') }))
        .code,
    ).toBe(0);
    const { code, stdout, stderr } = await runCli(['missing.log', seed, '--format', 'json']);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe('epochlint: missing.log: no such file');
    expect(stdout.match(/no such file/g)).toHaveLength(1);
    const doc = JSON.parse(stdout) as LintDoc;
    expect(doc.files.map((f) => [f.file, f.error])).toEqual([
      ['missing.log', 'no such file'],
      [seed, null],
    ]);
  });

  test('a missing file is reported once, with no "0 errors" summary beside exit 2', async () => {
    const { code, stdout, stderr } = await runCli(['missing.log']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('epochlint: missing.log: no such file\n');
    const both = await runCli(['missing.log', healthy]);
    expect(both.code).toBe(2);
    expect(both.stdout).not.toContain('no such file');
    expect(both.stdout.trimEnd().split('\n').at(-1)).toBe(
      '2 files (1 could not be read), 20 epochs: 0 errors, 0 warnings, 0 notes',
    );
  });

  test.each([
    { args: ['rulez'], line: "epochlint: rulez: no such file; did you mean the command 'rules'?" },
    { args: ['explian', 'x'], line: "epochlint: explian: no such file; did you mean the command 'explain'?" },
    {
      args: ['--fromat', 'json', seed],
      line: "epochlint: unknown option '--fromat'; (Did you mean --format?) (see --help)",
    },
    {
      args: [seed, '--format', 'pdf'],
      line: "epochlint: option '-f, --format <format>' argument 'pdf' is invalid. Allowed choices are text, json, jsonl, markdown, github, junit, sarif, html. (see --help)",
    },
  ])('usage errors are one line with a suggestion: $args.0', async ({ args, line }) => {
    const { code, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stderr.split('\n').filter((l) => l.startsWith('epochlint:'))[0]).toBe(line);
    expect(stderr).not.toContain('\\n');
  });

  test('--max-warnings says why it failed', async () => {
    const { code, stderr } = await runCli([
      'fixtures/real/brain-tumor-prettier-history.json',
      '--max-warnings',
      '1',
    ]);
    expect(code).toBe(1);
    expect(stderr).toBe('epochlint: 2 warnings found, more than --max-warnings 1 allows: exit 1\n');
    expect(
      (await runCli(['fixtures/real/brain-tumor-prettier-history.json', '--max-warnings', '2'])).stderr,
    ).toBe('');
  });

  test.each(['json', 'github', 'junit', 'sarif', 'markdown', 'html', 'text'])(
    '--stdin-filename names piped input in %s',
    async (format) => {
      const input = readFileSync(new URL(`../../${seed}`, import.meta.url));
      const { stdout } = await runCli(['--stdin-filename', 'runs/train.log', '--format', format], { input });
      expect(stdout).toContain('runs/train.log');
      if (format !== 'text') expect(stdout).not.toMatch(/file="?-"?[,"]|"file": "-"|## -\n|<h2>-</);
    },
  );

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
  test('rules lists every detector with its default severity, then the causes', async () => {
    const { code, stdout } = await runCli(['rules']);
    expect(code).toBe(0);
    const rows = stdout
      .trimEnd()
      .split('\n')
      .filter((l) => /^[a-z]/.test(l))
      .map((l) => l.split(/\s{2,}/).slice(0, 2));
    expect(rows.filter(([, kind]) => kind !== 'cause')).toHaveLength(13);
    expect(rows.filter(([, kind]) => kind === 'cause')).toHaveLength(14);
    expect(rows).toContainEqual(['val-alternation', 'error']);
    expect(rows).toContainEqual(['validation-slice-rotation', 'cause']);
  });

  test.each([60, 80, 120])('rules and explain wrap to a %i-column terminal', async (columns) => {
    for (const args of [
      ['rules'],
      ['explain', 'val-alternation'],
      ['explain', 'validation-slice-rotation'],
    ]) {
      const { stdout } = await runCli(args, { columns });
      for (const line of stdout.split('\n').filter((l) => !l.startsWith('  Epoch'))) {
        expect([...line].length).toBeLessThanOrEqual(columns);
      }
    }
  });

  test('explain says why it matters before how it is computed, then an example and the options', async () => {
    const { code, stdout } = await runCli(['explain', 'val-alternation']);
    expect(code).toBe(0);
    const at = (heading: string) => stdout.indexOf(`\n${heading}\n`);
    expect(at('Why it matters')).toBeGreaterThan(0);
    expect(at('Why it matters')).toBeLessThan(at('What it checks'));
    expect(at('What it checks')).toBeLessThan(at('Example'));
    expect(at('Example')).toBeLessThan(stdout.indexOf('\nOptions'));
    expect(stdout).toContain('  alpha = 0.001');
    expect(stdout).toContain('  minEpochs = 12');
  });

  test('explain knows cause ids: what it predicts, the check, the fix', async () => {
    const { code, stdout } = await runCli(['explain', 'validation-slice-rotation']);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(/^validation-slice-rotation — Validation slice rotation/);
    for (const heading of ['What it predicts in a log', 'The check that settles it', 'The fix'])
      expect(stdout).toContain(`\n${heading}\n`);
    expect(stdout).not.toMatch(/\{\w+\}/);
  });

  test.each([
    { id: 'nope', line: "epochlint: unknown rule or cause 'nope' (see: epochlint rules)" },
    {
      id: 'val-alternaton',
      line: "epochlint: unknown rule or cause 'val-alternaton'; did you mean 'val-alternation'? (see: epochlint rules)",
    },
    {
      id: 'slice-rotation',
      line: "epochlint: unknown rule or cause 'slice-rotation'; did you mean 'validation-slice-rotation'? (see: epochlint rules)",
    },
  ])('explain $id: exit 2 with a suggestion', async ({ id, line }) => {
    const { code, stderr } = await runCli(['explain', id]);
    expect(code).toBe(2);
    expect(stderr).toBe(`${line}\n`);
  });
});
