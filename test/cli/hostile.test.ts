/**
 * Regression tests for the hostile-input probe (CLI and file-system half): each case is a probe
 * reproduction at a size that runs fast, asserting the exit code, the one-line error and that no raw
 * control character reaches any output.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { FORMATS } from '../../src/report/index.js';
import { hasRawUnsafe, scratch } from './hostile-helpers.js';
import { ROOT, runCli } from './run-cli.js';

const seed = join(ROOT, 'fixtures/real/crossvalidated-416172.txt');
const work = scratch('hostile');
afterAll(() => work.remove());

describe('text from the input never reaches an output raw', () => {
  const unsafe = [
    { name: 'C1 CSI', char: '\u009b' },
    { name: 'bidi override', char: '\u202e' },
    { name: 'zero-width space', char: '\u200b' },
    { name: 'Arabic letter mark', char: '\u061c' },
    { name: 'OSC 52', char: '\u001b]52;c;aGk=\u0007' },
  ];

  test.each(unsafe)('a parse error quoting $name is escaped on stderr', async ({ char }) => {
    const file = join(work.dir, `syntax-${char.codePointAt(0)}.json`);
    writeFileSync(file, `{"${char}loss${char}" 5}`);
    const { code, stdout, stderr } = await runCli([file]);
    expect(code).toBe(2);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^epochlint: .*syntax-\d+\.json: /);
    expect(hasRawUnsafe(stderr)).toBe(false);
    expect(hasRawUnsafe(stdout)).toBe(false);
  });

  const named = unsafe.map((u) => ({ ...u, dir: join(work.dir, `named-${u.char.codePointAt(0)}`) }));
  for (const { dir, char } of named) {
    mkdirSync(dir, { recursive: true });
    copyFileSync(seed, join(dir, `run${char}x.log`));
  }
  test.each(named.flatMap((n) => FORMATS.map((format) => ({ ...n, format }))))(
    'a file name with $name, --format $format',
    async ({ dir, format }) => {
      const { code, stdout, stderr } = await runCli([dir, '--format', format]);
      expect(code).toBe(1);
      expect(hasRawUnsafe(stdout)).toBe(false);
      expect(hasRawUnsafe(stderr)).toBe(false);
      // SARIF writes file names as URIs (percent-encoded); every other format shows the escape
      expect(stdout).toContain(format === 'sarif' ? 'run%' : 'run\\');
    },
  );

  test('a file name with a line break and C1 in an error message is one escaped line', async () => {
    const { code, stderr } = await runCli([join(work.dir, 'missing\n\u009b.log')]);
    expect(code).toBe(2);
    expect(stderr).toBe(`epochlint: ${join(work.dir, 'missing')}\\n\\x9b.log: no such file\n`);
  });

  test('a huge argument is quoted in a bounded line', async () => {
    const { code, stderr } = await runCli([join(work.dir, `${'x'.repeat(100_000)}.log`)]);
    expect(code).toBe(2);
    expect(stderr.length).toBeLessThan(1300);
    expect(stderr).toMatch(/characters\)…x+\.log: file name too long\n$/);
  });

  test('a huge usage error is bounded too', async () => {
    const { code, stderr } = await runCli(['--format', `\u009b${'y'.repeat(100_000)}`, seed]);
    expect(code).toBe(2);
    expect(stderr.length).toBeLessThan(1300);
    expect(hasRawUnsafe(stderr)).toBe(false);
  });
});

describe('numbers in flags are decimal whole numbers', () => {
  test.each([
    { args: ['--val-samples', '0x10'], message: '--val-samples: expected a positive integer' },
    { args: ['--val-samples', '1e3'], message: '--val-samples: expected a positive integer' },
    { args: ['--val-batch-size', '1_000'], message: '--val-batch-size: expected a positive integer' },
    { args: ['--val-steps', '16.0'], message: '--val-steps: expected a positive integer' },
    { args: ['--workers', '+4'], message: '--workers: expected a positive integer' },
    { args: ['--val-steps', '99999999999999999999'], message: '--val-steps: expected a positive integer' },
    { args: ['--max-warnings', '0x1'], message: '--max-warnings: expected a whole number >= 0' },
    { args: ['--max-warnings', '-1'], message: '--max-warnings: expected a whole number >= 0' },
    { args: ['--val-class-counts', '5200,0x10'], message: '--val-class-counts: expected comma-separated' },
  ])('$args', async ({ args, message }) => {
    const { code, stdout, stderr } = await runCli([seed, ...args]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`epochlint: ${message}`);
  });

  test.each([
    { args: ['--val-samples', '10401'] },
    { args: ['--val-class-counts', '5200, 5201'] },
    { args: ['--max-warnings', ' 3 '] },
  ])('accepted: $args', async ({ args }) => {
    expect((await runCli([seed, ...args])).code).toBe(1);
  });
});
