import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { runCli } from './run-cli.js';

const seed = 'fixtures/real/crossvalidated-416172.txt';

interface RecordsDoc {
  schemaVersion: number;
  file: string;
  format: string;
  runs: Array<{
    epochs: Array<{ epoch: number; of: number | null; metrics: Record<string, number | string> }>;
  }>;
  issues: Array<{ kind: string; line: number | null }>;
}

describe('epochlint parse', () => {
  test('json (default): one document per file with schemaVersion 1', async () => {
    const { code, stdout, stderr } = await runCli(['parse', seed]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const doc = JSON.parse(stdout) as RecordsDoc;
    expect(doc).toMatchObject({ schemaVersion: 1, file: seed, format: 'keras-text' });
    expect(doc.runs[0]?.epochs).toHaveLength(39);
    expect(doc.runs[0]?.epochs[38]).toMatchObject({ epoch: 39, of: 60, metrics: { val_acc: 0.9861 } });
    expect(doc.issues.map((i) => i.kind)).toEqual(['truncated-epoch']);
  });

  test('non-finite values are written as the strings NaN / Infinity', async () => {
    const { code, stdout } = await runCli(['parse', 'fixtures/parse/keras/values-and-names.log']);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as RecordsDoc;
    expect(doc.runs[0]?.epochs[1]?.metrics).toMatchObject({ loss: 'NaN', output_1_loss: 'Infinity' });
    expect(doc.runs[0]?.epochs[2]?.metrics).toMatchObject({ loss: '-Infinity' });
  });

  test('several files: a JSON array in the order given', async () => {
    const { code, stdout } = await runCli(['parse', seed, 'fixtures/real/maize-history-indented.json']);
    expect(code).toBe(0);
    const docs = JSON.parse(stdout) as RecordsDoc[];
    expect(docs.map((d) => [d.format, d.runs[0]?.epochs.length])).toEqual([
      ['keras-text', 39],
      ['history-json', 10],
    ]);
  });

  test('stdin with - and with no file argument', async () => {
    const input = readFileSync(seed);
    for (const args of [['parse', '-'], ['parse']]) {
      const { code, stdout } = await runCli(args, { input });
      expect(code).toBe(0);
      const doc = JSON.parse(stdout) as RecordsDoc;
      expect(doc.file).toBe('-');
      expect(doc.runs[0]?.epochs).toHaveLength(39);
    }
  });

  test('table: an aligned row per epoch', async () => {
    const { code, stdout } = await runCli(['parse', seed, '--format', 'table']);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`${seed}: keras-text, 1 run(s), 39 epoch(s)`);
    const header = lines.find((l) => l.startsWith('epoch'));
    expect(header?.split(/\s+/)).toEqual(['epoch', 'steps', 'time', 'loss', 'acc', 'val_loss', 'val_acc']);
    expect(lines.filter((l) => /^\d+\/60 /.test(l))).toHaveLength(39);
    expect(lines.find((l) => l.startsWith('39/60'))?.split(/\s+/)).toEqual([
      '39/60',
      '910/910',
      '527s',
      '0.1206',
      '0.9528',
      '0.0469',
      '0.9861',
    ]);
  });

  test('csv: a header and one row per epoch', async () => {
    const { code, stdout } = await runCli(['parse', seed, '--format', 'csv']);
    expect(code).toBe(0);
    const rows = stdout.trimEnd().split('\n');
    expect(rows[0]).toBe('file,run,epoch,of,steps,total_steps,seconds,loss,acc,val_loss,val_acc');
    expect(rows).toHaveLength(40);
    expect(rows[39]).toBe(`${seed},1,39,60,910,910,527,0.1206,0.9528,0.0469,0.9861`);
  });

  test('--input-format overrides sniffing', async () => {
    const { code, stderr } = await runCli(['parse', seed, '--input-format', 'json']);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  test.each([
    { args: ['parse', 'missing.log'], message: 'epochlint: missing.log: no such file' },
    { args: ['parse', 'src/model'], message: 'epochlint: src/model: directory holds no log files' },
    { args: ['parse', 'fixtures/real/dermatology-header-only.csv'], message: 'no completed epoch found' },
  ])('$args.1: exit 2 with one line on stderr', async ({ args, message }) => {
    const { code, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  test('binary and empty stdin: exit 2, one line', async () => {
    for (const input of [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]), Buffer.alloc(0)]) {
      const { code, stdout, stderr } = await runCli(['parse', '-'], { input });
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  test('one unreadable file does not hide the others', async () => {
    const { code, stdout, stderr } = await runCli(['parse', 'missing.log', seed]);
    expect(code).toBe(2);
    expect(stderr).toContain('missing.log: no such file');
    expect((JSON.parse(stdout) as RecordsDoc).runs[0]?.epochs).toHaveLength(39);
  });

  test('control characters in names are escaped on stderr', async () => {
    const { stderr } = await runCli(['parse', 'bad\u001b[31mname.log']);
    expect(stderr).toContain('bad\\x1b[31mname.log');
    expect(stderr).not.toContain('\u001b');
  });

  test('--version, --help and usage errors', async () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(await runCli(['--version'])).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    const help = await runCli(['parse', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Examples:');
    const usage = await runCli(['parse', seed, '--format', 'yaml']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("argument 'yaml' is invalid");
  });
});
