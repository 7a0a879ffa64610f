import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { Run as RunSchema } from '../../src/model/index.js';
import type { ParseIssue, Run } from '../../src/model/index.js';
import { createParser, parseText } from '../../src/parse/index.js';
import { LineRuns } from '../../src/parse/notebook.js';
import { isTraining } from '../../src/parse/notebook-tables.js';

const fixture = (path: string): Uint8Array =>
  readFileSync(new URL(`../../fixtures/${path}`, import.meta.url));

/** What a test states of a run: axis, lines, phases, and per record its number, step, values and line. */
function shape(run: Run): unknown {
  return {
    index: run.index,
    axis: run.axis ?? 'epoch',
    dialect: run.source.dialect,
    lines: [run.source.fromLine, run.source.toLine],
    phases: run.phases ?? null,
    epochs: run.epochs.map((e) => ({
      epoch: e.epoch,
      step: e.step ?? null,
      epochValue: e.epochValue ?? null,
      metrics: e.metrics,
      seconds: e.seconds,
      line: e.line,
    })),
  };
}

const kinds = (issues: ParseIssue[]): Array<[string, number | null]> => issues.map((i) => [i.kind, i.line]);

function parse(path: string): { runs: Run[]; issues: ParseIssue[]; dialect: string | null } {
  const { runs, issues, summary } = parseText(fixture(path), { file: path });
  for (const run of runs) RunSchema.parse(run);
  return { runs, issues, dialect: summary.dialect };
}

describe('training tables in the HTML outputs of a notebook', () => {
  test('the Trainer evaluating every 500 steps, interrupted: step records, NaN kept, the unfinished bar said', () => {
    const { runs, issues, dialect } = parse('parse/ipynb/hf-steps-interrupted.ipynb');
    expect(dialect).toBe('notebook');
    expect(runs.map(shape)).toEqual([
      {
        index: 0,
        axis: 'step',
        dialect: 'notebook',
        lines: [42, 54],
        phases: { Accuracy: 'validation' },
        epochs: [
          {
            epoch: 1,
            step: 500,
            epochValue: null,
            metrics: { 'Training Loss': 0.6123, 'Validation Loss': 0.480215, Accuracy: 0.781 },
            seconds: null,
            line: 42,
          },
          {
            epoch: 2,
            step: 1000,
            epochValue: null,
            metrics: { 'Training Loss': 0.4551, 'Validation Loss': Number.NaN, Accuracy: 0.802 },
            seconds: null,
            line: 48,
          },
          {
            epoch: 3,
            step: 1500,
            epochValue: null,
            metrics: { 'Training Loss': 0.3987, 'Validation Loss': 0.421177, Accuracy: 0.826 },
            seconds: null,
            line: 54,
          },
        ],
      },
    ]);
    // the Trainer's logged losses may hide NaN/Inf steps: said of each of its tables' runs
    expect(kinds(issues)).toEqual([
      ['nonfinite-hidden', null],
      ['truncated-epoch', 29],
    ]);
    expect(issues[1]?.message).toContain('1620/3750');
  });

  test("fastai's fine_tune: two tables in one cell are two runs, epochs from 0, mm:ss times, style blocks skipped", () => {
    const { runs, issues } = parse('parse/ipynb/fastai-fine-tune-two-tables.ipynb');
    const record = (epoch: number, printed: number, values: number[], seconds: number, line: number) => ({
      epoch,
      step: null,
      epochValue: printed,
      metrics: { train_loss: values[0], valid_loss: values[1], error_rate: values[2] },
      seconds,
      line,
    });
    expect(runs.map(shape)).toEqual([
      {
        index: 0,
        axis: 'epoch',
        dialect: 'notebook',
        lines: [49, 49],
        phases: { error_rate: 'validation' },
        epochs: [record(1, 0, [0.892415, 0.31022, 0.104871], 21, 49)],
      },
      {
        index: 1,
        axis: 'epoch',
        dialect: 'notebook',
        lines: [107, 121],
        phases: { error_rate: 'validation' },
        epochs: [
          record(1, 0, [0.40221, 0.251084, 0.081191], 27, 107),
          record(2, 1, [0.281932, 0.202217, 0.064953], 27, 114),
          record(3, 2, [0.190455, 0.188812, 0.060217], 62, 121),
        ],
      },
    ]);
    expect(issues).toEqual([]);
  });

  test('snapshots of one table redrawn in one cell are one run (the last); the same table in another cell is another run', () => {
    const { runs, issues } = parse('parse/ipynb/hf-snapshots-one-cell.ipynb');
    expect(runs.map((r) => [r.index, r.epochs.length, r.source.fromLine, r.source.toLine])).toEqual([
      [0, 3, 132, 144],
      [1, 3, 199, 211],
    ]);
    expect(runs[0]?.epochs.map((e) => e.metrics)).toEqual([
      { 'Validation Loss': 0.350114, Accuracy: 0.861 },
      { 'Training Loss': 0.3014, 'Validation Loss': 0.329921, Accuracy: 0.874 },
      { 'Training Loss': 0.1842, 'Validation Loss': 0.377415, Accuracy: 0.871 },
    ]);
    // the bars of the earlier snapshots were short of their end, the last one is full
    expect(kinds(issues)).toEqual([
      ['nonfinite-hidden', null],
      ['nonfinite-hidden', null],
    ]);
  });

  test("a DataFrame of a history is read (its index counts the epochs); a data set's DataFrame is not", () => {
    const { runs, issues } = parse('parse/ipynb/history-dataframe.ipynb');
    expect(runs).toHaveLength(1);
    expect(runs[0]?.phases).toBeUndefined();
    expect(runs[0]?.epochs.map((e) => [e.epoch, e.epochValue, e.line])).toEqual([
      [1, 0, 87],
      [2, 1, 94],
      [3, 2, 101],
      [4, 3, 108],
    ]);
    expect(runs[0]?.epochs[3]?.metrics).toEqual({
      loss: 0.468003,
      accuracy: 0.79125,
      val_loss: 0.598113,
      val_accuracy: 0.7,
    });
    expect(issues).toEqual([]);
  });

  test('nbformat 3: a Keras stream and then an html table give two runs in file order', () => {
    const { runs } = parse('parse/ipynb/nbformat3-html-after-stream.ipynb');
    expect(runs.map((r) => [r.index, r.source.fromLine, r.epochs.length])).toEqual([
      [0, 23, 2],
      [1, 43, 2],
    ]);
    expect(runs[0]?.epochs[1]?.metrics).toEqual({ loss: 0.4, val_loss: 0.55 });
    expect(runs[1]?.epochs.map((e) => [e.epoch, e.metrics])).toEqual([
      [1, { train_loss: 0.21, valid_loss: 0.18, accuracy: 0.93 }],
      [2, { train_loss: 0.15, valid_loss: 0.17, accuracy: 0.94 }],
    ]);
    expect(runs[1]?.phases).toEqual({ accuracy: 'validation' });
  });

  test('the Hugging Face course notebook: a Step table of training losses, then an Epoch table', () => {
    const { runs, issues } = parse('real/hf-course-trainer-api-steps-then-epochs.ipynb');
    expect(runs.map((r) => [r.axis, r.epochs.map((e) => [e.epoch, e.step ?? null])])).toEqual([
      [
        'step',
        [
          [1, 500],
          [2, 1000],
        ],
      ],
      [
        'epoch',
        [
          [1, null],
          [2, null],
          [3, null],
        ],
      ],
    ]);
    // `No log`: the first epoch has no training loss, not a zero
    expect(runs[1]?.epochs[0]?.metrics).toEqual({
      'Validation Loss': 0.410291,
      Accuracy: 0.823529,
      F1: 0.877966,
    });
    expect(kinds(issues)).toEqual([
      ['nonfinite-hidden', null],
      ['nonfinite-hidden', null],
    ]);
  });

  test('a notebook whose only table is not a training table is never read as a clean log', () => {
    const nb = JSON.stringify({
      cells: [
        {
          cell_type: 'code',
          outputs: [
            {
              data: {
                'text/html': [
                  '<table><thead><tr><th></th><th>precision</th><th>recall</th><th>support</th></tr></thead>',
                  '<tbody><tr><th>cat</th><td>0.91</td><td>0.88</td><td>120</td></tr></tbody></table>',
                ],
              },
              output_type: 'execute_result',
            },
          ],
        },
      ],
      nbformat: 4,
    });
    const { runs, issues } = parseText(nb);
    expect(runs).toEqual([]);
    expect(issues.some((i) => i.kind === 'no-epochs' || i.kind === 'not-a-log')).toBe(true);
  });

  const oneTable = (html: string): string =>
    JSON.stringify({
      cells: [{ cell_type: 'code', outputs: [{ data: { 'text/html': html }, output_type: 'display_data' }] }],
      nbformat: 4,
    });

  test('header names ending in a dot are read without it', () => {
    const { runs, issues } = parseText(
      oneTable(
        '<table><tr><th>Epoch</th><th>Val. Acc.</th><th>Loss:</th></tr><tr><td>1</td><td>0.5</td><td>0.7</td></tr></table>',
      ),
    );
    expect(runs.map((r) => r.epochs.map((e) => e.metrics))).toEqual([[{ 'Val. Acc': 0.5, Loss: 0.7 }]]);
    expect(issues).toEqual([]);
  });

  test('a training table the engine cannot read under its names is reported, not read as unnamed columns', () => {
    const { runs, issues } = parseText(
      oneTable(
        '<table><tr><th>Epoch</th><th>5-fold Acc</th><th>Loss</th></tr><tr><td>1</td><td>0.5</td><td>0.7</td></tr></table>',
      ),
    );
    expect(runs).toEqual([]);
    expect(kinds(issues).filter(([k]) => k === 'unparsed-epoch-line')).toEqual([['unparsed-epoch-line', 1]]);
  });

  test("the Trainer's tables say NaN/Inf step losses may be filtered out, unless a training loss is not finite", () => {
    const card = (loss: string): string =>
      `| Training Loss | Epoch | Step | Validation Loss |\n|:---:|:---:|:---:|:---:|\n| ${loss} | 1.0 | 10 | 0.6 |\n| 0.4 | 2.0 | 20 | 0.5 |\n`;
    expect(kinds(parseText(card('0.5')).issues)).toEqual([['nonfinite-hidden', null]]);
    expect(kinds(parseText(card('nan')).issues)).toEqual([]);
    const fastai = oneTable(
      '<table><tr><th>epoch</th><th>train_loss</th><th>valid_loss</th></tr><tr><td>0</td><td>0.5</td><td>0.4</td></tr></table>',
    );
    expect(kinds(parseText(fastai).issues)).toEqual([]);
  });

  test('which headers are training tables', () => {
    expect(isTraining(['Epoch', 'Training Loss', 'Validation Loss', 'Accuracy'])).toBe(true);
    expect(isTraining(['Step', 'Training Loss'])).toBe(true);
    expect(isTraining(['epoch', 'train_loss', 'valid_loss', 'error_rate', 'time'])).toBe(true);
    expect(isTraining(['', 'loss', 'val_loss'])).toBe(true);
    expect(isTraining(['', 'idx', 'label', 'sentence'])).toBe(false);
    expect(isTraining(['', 'precision', 'recall', 'f1-score', 'support'])).toBe(false);
    expect(isTraining(['Epoch'])).toBe(false);
  });
});

function parseChunks(chunks: Uint8Array[]): string {
  const runs: Run[] = [];
  const issues: ParseIssue[] = [];
  const parser = createParser({ onRun: (r) => runs.push(r), onIssue: (i) => issues.push(i) });
  for (const chunk of chunks) parser.feed(chunk);
  parser.end();
  return JSON.stringify({ runs, issues });
}

describe('chunk boundaries do not change the records of a notebook', () => {
  const files = [
    'parse/ipynb/hf-steps-interrupted.ipynb',
    'parse/ipynb/fastai-fine-tune-two-tables.ipynb',
    'parse/ipynb/hf-snapshots-one-cell.ipynb',
    'parse/ipynb/history-dataframe.ipynb',
    'parse/ipynb/nbformat3-html-after-stream.ipynb',
    'real/hf-course-trainer-api-steps-then-epochs.ipynb',
    'real/fastai-channelslast-fit-nan-none.ipynb',
  ];
  test.each(files)('%s: 80 two-way and 40 random many-way splits', (file) => {
    const bytes = fixture(file);
    const expected = parseChunks([bytes]);
    expect((JSON.parse(expected) as { runs: Run[] }).runs.length).toBeGreaterThan(0);
    const step = Math.max(1, Math.floor(bytes.length / 80));
    for (let cut = 1; cut < bytes.length; cut += step) {
      expect(parseChunks([bytes.subarray(0, cut), bytes.subarray(cut)])).toBe(expected);
    }
    let seed = bytes.length;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let round = 0; round < 40; round += 1) {
      const cuts = [
        ...new Set(
          Array.from(
            { length: 1 + Math.floor(random() * 40) },
            () => 1 + Math.floor(random() * (bytes.length - 1)),
          ),
        ),
      ].sort((a, b) => a - b);
      const chunks: Uint8Array[] = [];
      let from = 0;
      for (const cut of cuts) {
        chunks.push(bytes.subarray(from, cut));
        from = cut;
      }
      chunks.push(bytes.subarray(from));
      expect(parseChunks(chunks)).toBe(expected);
    }
  });
});

describe('the line map of stream text', () => {
  test('every pattern of file lines is given back exactly', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const lines: number[] = [];
    let line = 1;
    for (let i = 0; i < 5000; i += 1) {
      const r = random();
      // one line per item (step 1), several lines in one string (step 0), frames per line (step k)
      line += r < 0.5 ? 1 : r < 0.7 ? 0 : r < 0.9 ? 235 : Math.floor(random() * 50);
      lines.push(line);
    }
    const map = new LineRuns();
    for (const l of lines) map.push(l);
    expect(map.length).toBe(lines.length);
    expect(map.toArray()).toEqual(lines);
    expect(map.at(-1)).toBeUndefined();
    expect(map.at(lines.length)).toBeUndefined();
  });

  test('a million lines stored one per item take one run, not a million entries', () => {
    const map = new LineRuns();
    for (let i = 0; i < 1_000_000; i += 1) map.push(12 + i);
    expect(map.runs).toBe(1);
    expect(map.at(999_999)).toBe(1_000_011);
    const frames = new LineRuns();
    for (let i = 0; i < 10_000; i += 1) frames.push(40 + 236 * i);
    expect(frames.runs).toBe(1);
  });
});
