import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { INPUT_FORMATS } from '../../src/parse/readers.js';
import { runBin, runCli } from './run-cli.js';

const seed = 'fixtures/real/crossvalidated-416172.txt';

interface RecordsDoc {
  schemaVersion: number;
  file: string;
  format: string;
  runs: Array<{
    epochs: Array<{ epoch: number; of: number | null; metrics: Record<string, number | string> }>;
    events: unknown[];
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
    {
      args: ['parse', 'fixtures/real/dermatology-header-only.csv'],
      message: 'no data rows after the header',
    },
    { args: ['parse', 'fixtures/parse/not-logs/notes.txt'], message: 'not a training log' },
    { args: ['parse', 'fixtures/parse/not-logs/params.json'], message: 'no metric lists found' },
    { args: ['parse', 'fixtures/parse/not-logs/manifest.json'], message: 'no metric lists found' },
    {
      args: ['parse', 'fixtures/real/sequence-tagging-issue-47-lr-nan-timestamped.txt'],
      message: '11 line(s) of named values without an epoch number',
    },
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

  test.each([
    { file: 'fixtures/real/mnist-cnn-lightning-metrics.csv', format: 'lightning-csv', runs: [5], events: 2 },
    {
      file: 'fixtures/real/whisper-tiny-streaming-trainer_state.json',
      format: 'hf-trainer-state',
      runs: [100],
      events: 0,
    },
    {
      file: 'fixtures/parse/hf/console-eval-accuracy-alternates.log',
      format: 'hf-trainer-log',
      runs: [16],
      events: 0,
    },
    {
      file: 'fixtures/real/resnet-18-34-50-phase-loop-topk.md',
      format: 'epoch-lines',
      runs: [100, 100, 100],
      events: 0,
    },
    {
      file: 'fixtures/parse/tfevents/events.out.tfevents.1700000000.pytorch-steps',
      format: 'tfevents',
      runs: [4],
      events: 0,
    },
    {
      file: 'fixtures/parse/lightning/console-four-epochs.log',
      format: 'lightning-console',
      runs: [4],
      events: 1,
    },
  ])('$format: records of one file', async ({ file, format, runs, events }) => {
    const { code, stdout } = await runCli(['parse', file]);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as RecordsDoc;
    expect(doc.format).toBe(format);
    expect(doc.runs.map((r) => r.epochs.length)).toEqual(runs);
    expect(doc.runs.reduce((n, r) => n + r.events.length, 0)).toBe(events);
  });

  test('--metric names a bare list of values; --ignore-metric and --metric select what is printed', async () => {
    const list = 'fixtures/real/gemastik-ann-val-acc-crlf-bare.txt';
    const named = JSON.parse((await runCli(['parse', list, '--metric', 'val_acc'])).stdout) as RecordsDoc;
    expect(Object.keys(named.runs[0]?.epochs[0]?.metrics ?? {})).toEqual(['val_acc']);
    const plain = JSON.parse((await runCli(['parse', list])).stdout) as RecordsDoc;
    expect(Object.keys(plain.runs[0]?.epochs[0]?.metrics ?? {})).toEqual(['val_value']);
    const only = JSON.parse((await runCli(['parse', seed, '--metric', 'val_acc'])).stdout) as RecordsDoc;
    expect(Object.keys(only.runs[0]?.epochs[0]?.metrics ?? {})).toEqual(['val_acc']);
    const without = JSON.parse(
      (await runCli(['parse', seed, '--ignore-metric', 'acc', '--ignore-metric', 'loss'])).stdout,
    ) as RecordsDoc;
    expect(Object.keys(without.runs[0]?.epochs[0]?.metrics ?? {})).toEqual(['val_loss', 'val_acc']);
  });

  test('--input-format takes every dialect of the readers table and its aliases; others are usage errors', async () => {
    const csv = 'fixtures/real/streamflow-lightning-epoch-level-val-first-metrics.csv';
    const asCsvLogger = JSON.parse(
      (await runCli(['parse', csv, '--input-format', 'csv-logger'])).stdout,
    ) as RecordsDoc;
    expect(asCsvLogger.format).toBe('csv-logger');
    expect(asCsvLogger.runs.length).toBeGreaterThan(1); // the CSVLogger reading restarts at every repeated epoch
    const asKeras = await runCli(['parse', seed, '--input-format', 'keras']);
    expect((JSON.parse(asKeras.stdout) as RecordsDoc).format).toBe('keras-text');
    const bad = await runCli(['parse', seed, '--input-format', 'yaml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('epoch-lines');
  });

  test('the built binary offers the input formats of the readers table (the build writes them into its program)', () => {
    const bad = runBin(['parse', '-', '--input-format', 'yaml']);
    expect(bad.code).toBe(2);
    const offered = /Allowed choices are (.*)\. \(see --help\)/.exec(bad.stderr)?.[1]?.split(', ');
    expect(offered).toEqual(INPUT_FORMATS);
    expect(runBin(['parse', 'fixtures/real/crossvalidated-416172.txt', '--input-format', 'keras']).code).toBe(
      0,
    );
  });

  test('binary input: a TensorBoard event file is read, any other binary data is refused', async () => {
    const events = readFileSync('fixtures/parse/tfevents/events.out.tfevents.1700000000.pytorch-steps');
    const read = await runCli(['parse', '-'], { input: events });
    expect(read.code).toBe(0);
    expect((JSON.parse(read.stdout) as RecordsDoc).format).toBe('tfevents');
    const corrupt = Buffer.from(events);
    corrupt[9] = (corrupt[9] ?? 0) ^ 0xff; // the length checksum of the first record
    const refused = await runCli(['parse', '-'], { input: corrupt });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('binary data');
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

describe('epochlint parse --format csv', () => {
  test('the parse issues go to stderr, 20 per file, then a count; stdout stays CSV', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => `${i},0.5,oops`).join('\n');
    const input = `epoch,loss,val_loss\n${rows}\n`;
    const { code, stdout, stderr } = await runCli(['parse', '--format', 'csv'], { input });
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe('file,run,epoch,of,steps,total_steps,seconds,loss');
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(21);
    expect(lines[0]).toBe('epochlint: -: bad-value: line 2: val_loss is "oops", not a number; omitted');
    expect(lines[20]).toBe('epochlint: -: 5 more parse issue(s) not listed (--format json lists them all)');
  });

  test('no issues, nothing on stderr; stdin named - and numbers are not formula-escaped', async () => {
    const input = 'epoch,loss,val_loss\n0,-0.5,-1e-3\n1,0.4,0.3\n';
    const { code, stdout, stderr } = await runCli(['parse', '--format', 'csv', '-'], { input });
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.split('\n')[1]).toBe('-,1,1,,,,,-0.5,-0.001');
  });

  test('a metric name that would run as a formula is escaped', async () => {
    const input = 'epoch,=1+1,-x,@sum\n0,0.5,0.4,0.3\n';
    const { stdout } = await runCli(['parse', '--format', 'csv'], { input });
    expect(stdout.split('\n')[0]).toBe("file,run,epoch,of,steps,total_steps,seconds,'=1+1,'-x,'@sum");
  });
});
