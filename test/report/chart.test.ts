import { readFileSync } from 'node:fs';
import { Chalk, type ChalkInstance } from 'chalk';
import { describe, expect, test } from 'vitest';
import type { Epoch, Event, Run } from '../../src/model/index.js';
import { parseText } from '../../src/parse/index.js';
import { renderChart, sparkline } from '../../src/report/chart.js';
import { runSeries } from '../../src/report/series.js';

const plain = new Chalk({ level: 0 });
const colour = new Chalk({ level: 1 });
const LEVELS = '▁▂▃▄▅▆▇█';

const ANSI = /\u001b\[[0-9;]*m/g;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Columns of a line as a terminal shows it: escape codes take none; every character here is 1 wide. */
function columns(line: string): number {
  return [...line.replace(ANSI, '')].length;
}

function rowOf(lines: readonly string[], label: string): string {
  const row = lines.find((line) => line.replace(ANSI, '').startsWith(`${label} `));
  if (row === undefined) throw new Error(`no row starting ${label}`);
  return row.replace(ANSI, '');
}

/** The curve of a row: the characters between the label column and the annotation. */
function cellsOf(lines: readonly string[], label: string, width: number): string {
  const row = rowOf(lines, label);
  return (
    [...row]
      .slice(width + 1)
      .join('')
      .split('  ')[0] ?? ''
  );
}

function epochRecord(epoch: number, metrics: Record<string, number>): Epoch {
  return {
    epoch,
    of: null,
    metrics,
    steps: null,
    countUnit: null,
    seconds: null,
    stepTime: null,
    line: epoch,
  };
}

/** A synthetic run: `metrics(k)` gives epoch k's values (1-based). */
function makeRun(
  epochs: number,
  metrics: (epoch: number) => Record<string, number>,
  events: Event[] = [],
): Run {
  return {
    index: 0,
    epochs: Array.from({ length: epochs }, (_, i) => epochRecord(i + 1, metrics(i + 1))),
    events,
    datasets: [],
    source: { dialect: 'keras-text', file: null, fromLine: 1, toLine: Math.max(1, epochs) },
  };
}

const chart = (
  run: Run,
  options: Omit<Parameters<typeof renderChart>[1], 'chalk'> & { chalk?: ChalkInstance } = {},
) => renderChart(runSeries(run), { chalk: plain, ...options });

/** Four curves with a period-2 swing on validation, as in the founding case. */
function sawtooth(epoch: number): Record<string, number> {
  const odd = epoch % 2 === 1;
  return { loss: 1 / epoch, acc: 1 - 1 / (epoch + 1), val_loss: odd ? 0.1 : 0.8, val_acc: odd ? 0.97 : 0.75 };
}

/** Smooth curves: no swing anywhere. */
function smooth(epoch: number): Record<string, number> {
  return { loss: 1 / epoch, acc: 1 - 1 / (epoch + 1), val_loss: 1.2 / epoch, val_acc: 0.9 - 0.5 / epoch };
}

const lrReduced = (epoch: number | null): Event => ({ kind: 'lr-reduced', epoch, line: 1, lr: 1e-4 });
const lrScheduled = (epoch: number): Event => ({ kind: 'lr-scheduled', epoch, line: 1, lr: 1e-4 });
const improved = (epoch: number): Event => ({
  kind: 'checkpoint-improved',
  epoch,
  line: 1,
  monitor: 'val_loss',
  from: 1,
  to: 0.5,
  path: null,
});

describe('renderChart on the founding case (crossvalidated 416172)', () => {
  const text = readFileSync(new URL('../../fixtures/real/crossvalidated-416172.txt', import.meta.url));
  const run = parseText(text).runs[0];
  if (run === undefined) throw new Error('fixture has no run');
  const lines = chart(run, { width: 78 });

  test('all 39 epochs, one column each, with full names, ranges and best epochs', () => {
    expect(run.epochs).toHaveLength(39);
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['val_loss', 'loss', 'val_acc', 'acc', 'epoch']);
    expect(cellsOf(lines, 'val_acc', 8)).toHaveLength(39);
    expect(rowOf(lines, 'val_loss').endsWith('  0.0339–0.955 best at 9')).toBe(true);
    expect(rowOf(lines, 'val_acc').endsWith('  0.66–0.988 best at 23')).toBe(true);
    expect(rowOf(lines, 'loss').endsWith('  0.121–0.611')).toBe(true);
    expect(lines.at(-1)).toBe('epoch    1        10        20        30      39');
  });

  test('val_acc is high on every odd epoch and low on every even one', () => {
    const levels = [...cellsOf(lines, 'val_acc', 8)].map((c) => LEVELS.indexOf(c));
    levels.forEach((level, i) => (i % 2 === 0 ? expect(level).toBe(7) : expect(level).toBeLessThan(5)));
  });

  test('acc is (nearly) monotone: at least 80 % of steps non-decreasing', () => {
    const levels = [...cellsOf(lines, 'acc', 8)].map((c) => LEVELS.indexOf(c));
    const steps = levels.slice(1).map((level, i) => level - (levels[i] ?? 0));
    expect(steps.filter((step) => step >= 0).length).toBeGreaterThanOrEqual(0.8 * steps.length);
  });
});

describe('renderChart shows the whole run at any width', () => {
  test.each([
    { epochs: 200, width: 78, perColumn: 5 },
    { epochs: 200, width: 60, perColumn: 7 },
    { epochs: 200, width: 40, perColumn: 20 },
    { epochs: 1000, width: 78, perColumn: 21 },
    { epochs: 300, width: 24, perColumn: 20 },
    { epochs: 60, width: 16, perColumn: 6 },
  ])('$epochs epochs at width $width: $perColumn per column', ({ epochs, width, perColumn }) => {
    const run = makeRun(epochs, sawtooth);
    for (const chalk of [plain, colour]) {
      const lines = chart(run, { chalk, width });
      for (const line of lines) expect(columns(line)).toBeLessThanOrEqual(width);
    }
    const lines = chart(run, { width });
    expect(lines[0]).toMatch(new RegExp(`^${epochs} epochs, ${perColumn} p`));
    // the ruler ends at the last epoch: nothing is cut off
    expect(lines.at(-1)?.trimEnd().endsWith(String(epochs))).toBe(true);
  });

  test('a swing inside a column is drawn as ┃ and said so; a smooth curve is not', () => {
    const swinging = chart(makeRun(200, sawtooth), { width: 78 });
    expect(swinging[0]).toBe('200 epochs, 5 per column; ┃ swings within a column');
    expect(cellsOf(swinging, 'val_acc', 8)).toBe('┃'.repeat(40));
    expect(cellsOf(swinging, 'acc', 8)).not.toContain('┃');
    const calm = chart(makeRun(200, smooth), { width: 78 });
    expect(calm[0]).toBe('200 epochs, 5 per column');
    expect(calm.join('\n')).not.toContain('┃');
  });

  test('markers land in the column of their epoch', () => {
    const lines = chart(makeRun(200, smooth, [improved(12), lrReduced(101), lrReduced(200)]), { width: 78 });
    const markers = [...rowOf(lines, '↓lr ✓ckpt')].slice(10);
    // 5 epochs per column: epoch k is column floor((k - 1) / 5)
    expect(markers[2]).toBe('✓');
    expect(markers[20]).toBe('↓');
    expect(markers[39]).toBe('↓');
    expect(markers.filter((c) => c !== ' ')).toHaveLength(3);
  });

  test('fewer than 2 epochs, or a width that holds no curve, give no chart', () => {
    expect(chart(makeRun(0, sawtooth))).toEqual([]);
    expect(chart(makeRun(1, sawtooth))).toEqual([]);
    expect(chart(makeRun(2, sawtooth))).not.toEqual([]);
    expect(chart(makeRun(300, sawtooth), { width: 1 })).toEqual([]);
  });
});

describe('renderChart markers', () => {
  const lossOnly = (epoch: number): Record<string, number> => ({ val_loss: 1 / epoch, loss: 1 / epoch });
  const withLr = (epoch: number): Record<string, number> => ({
    ...lossOnly(epoch),
    lr: epoch < 7 ? 1e-3 : 5e-4,
  });
  test.each([
    {
      name: 'lr-reduced at 5, checkpoint improved at 1 and 3',
      run: makeRun(10, lossOnly, [improved(1), improved(3), lrReduced(5)]),
      legend: '↓lr ✓ckpt',
      expected: '✓ ✓ ↓',
    },
    {
      name: 'lr-scheduled event; an event without an epoch is ignored',
      run: makeRun(10, lossOnly, [lrScheduled(8), lrReduced(null)]),
      legend: '↓ lr',
      expected: '       ↓',
    },
    {
      name: 'a change of the logged lr marks the first epoch with the new value',
      run: makeRun(10, withLr),
      legend: '↓ lr',
      expected: '      ↓',
    },
    {
      name: 'lr events win over the lr metric, and over a checkpoint in the same column',
      run: makeRun(10, withLr, [lrReduced(4), improved(4), improved(9)]),
      legend: '↓lr ✓ckpt',
      expected: '   ↓    ✓',
    },
  ])('$name', ({ run, legend, expected }) => {
    const lines = chart(run, { width: 80 });
    const labelWidth = Math.max(legend.length, 'val_loss'.length);
    expect(rowOf(lines, legend)).toBe(`${legend.padEnd(labelWidth)} ${expected}`);
  });

  test('no marker row when nothing happened', () => {
    expect(chart(makeRun(10, lossOnly)).map((line) => line.split(' ')[0])).toEqual([
      'val_loss',
      'loss',
      'epoch',
    ]);
  });
});

describe('renderChart cells and ranges', () => {
  test.each([
    {
      name: 'non-finite values print ×',
      values: [0.5, Number.NaN, Number.POSITIVE_INFINITY, 0.3, Number.NEGATIVE_INFINITY, 0.5],
      expected: '█××▁×█  0.3–0.5',
    },
    { name: 'a flat series prints ▄ everywhere', values: [0.5, 0.5, 0.5, 0.5], expected: '▄▄▄▄  0.5' },
    { name: 'one finite value is flat', values: [Number.NaN, 2, Number.NaN], expected: '×▄×  2' },
    { name: 'nothing finite', values: [Number.NaN, Number.NaN], expected: '××  not finite' },
    { name: 'two levels are the extremes', values: [0, 1, 0, 1], expected: '▁█▁█  0–1' },
    { name: 'eight equal bins', values: [0, 1, 2, 3, 4, 5, 6, 7, 7.99, 8], expected: '▁▂▃▄▅▆▇███  0–8' },
    { name: 'tiny values in scientific notation', values: [1e-5, 3.25e-5], expected: '▁█  1e-5–3.25e-5' },
  ])('$name', ({ values, expected }) => {
    const run = makeRun(values.length, (epoch) => ({ loss: values[epoch - 1] ?? 0 }));
    expect(rowOf(chart(run), 'loss')).toBe(`loss  ${expected}`);
  });

  test('an epoch without the metric is blank; the best epoch of a validation metric is named', () => {
    const run = makeRun(4, (epoch): Record<string, number> =>
      epoch === 2 ? { loss: 1 } : { loss: 1 / epoch, val_loss: epoch },
    );
    expect(rowOf(chart(run), 'val_loss')).toBe('val_loss ▁ ▆█  1–4 best at 1');
  });

  test('the best of a metric where higher is better is its maximum', () => {
    const run = makeRun(5, (epoch) => ({ val_accuracy: [0.5, 0.9, 0.7, 0.8, 0.6][epoch - 1] ?? 0 }));
    expect(rowOf(chart(run), 'val_accuracy')).toBe('val_accuracy ▁█▄▇▂  0.5–0.9 best at 2');
  });
});

describe('renderChart series and names', () => {
  test.each<{ name: string; metrics: Record<string, number>; option: string[] | undefined; rows: string[] }>([
    {
      name: 'Keras 2 names in full, lr not charted by default',
      metrics: { loss: 1, accuracy: 1, val_loss: 1, val_accuracy: 1, lr: 1 },
      option: undefined,
      rows: ['val_loss', 'loss', 'val_accuracy', 'accuracy'],
    },
    { name: 'training only', metrics: { loss: 1, acc: 1 }, option: undefined, rows: ['loss', 'acc'] },
    {
      name: 'multi-output heads without plain names',
      metrics: { out_a_loss: 1, val_out_a_loss: 1, lr: 1 },
      option: undefined,
      rows: ['val_out_a_loss', 'out_a_loss'],
    },
    {
      name: 'explicit metrics, unknown names skipped, duplicates once',
      metrics: { loss: 1, acc: 1, lr: 1 },
      option: ['lr', 'nope', 'acc', 'lr'],
      rows: ['lr', 'acc'],
    },
  ])('$name', ({ metrics, option, rows }) => {
    const lines = chart(
      makeRun(3, () => metrics),
      option === undefined ? {} : { metrics: option },
    );
    expect(lines.slice(0, -1).map((line) => line.split(' ')[0])).toEqual(rows);
  });

  test('a name longer than the label column gets a line of its own, never cut', () => {
    const name = 'val_output_head_1_sparse_categorical_accuracy';
    const lines = chart(
      makeRun(60, (e) => ({ [name]: e / 100, loss: 1 / e })),
      { width: 80 },
    );
    const at = lines.indexOf(name);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(lines[at + 1]).toMatch(/^ {16,}▁/);
    // with room to spare (a short run), the name stays on its row
    const short = chart(
      makeRun(4, (e) => ({ [name]: e / 10, loss: 1 / e })),
      { width: 80 },
    );
    expect(short.some((l) => l.startsWith(`${name} ▁▃▆█`))).toBe(true);
  });

  test('no metric to chart gives no chart', () => {
    expect(chart(makeRun(3, () => ({ lr: 1 })))).toEqual([]);
    expect(chart(makeRun(3, sawtooth), { metrics: ['nope'] })).toEqual([]);
  });

  test('sparkline: one metric in at most the given columns', () => {
    const series = runSeries(makeRun(100, sawtooth));
    expect(sparkline(series, 'val_acc', 50)).toBe('┃'.repeat(50));
    expect(sparkline(runSeries(makeRun(4, sawtooth)), 'val_acc', 50)).toBe('█▁█▁');
  });
});

describe('renderChart colour', () => {
  const run = makeRun(12, sawtooth, [lrReduced(5), improved(3)]);
  const open = (styled: string): string => styled.slice(0, styled.indexOf('x'));

  test('level 0 has no escape codes at all', () => {
    expect(chart(run).join('\n')).not.toContain('\u001b');
  });

  test('level 1: validation in colour, training dim, markers yellow, the best cell inverse, same text', () => {
    const lines = chart(run, { chalk: colour });
    expect(lines.map((line) => line.replace(ANSI, ''))).toEqual(chart(run));
    const row = (label: string) => lines.find((l) => l.replace(ANSI, '').startsWith(label)) ?? '';
    expect(row('val_loss').startsWith(open(colour.cyan('x')))).toBe(true);
    expect(row('loss').startsWith(open(colour.dim('x')))).toBe(true);
    expect(row('↓lr').startsWith(open(colour.yellow('x')))).toBe(true);
    expect(row('val_loss')).toContain(colour.inverse('▁'));
  });
});

describe('renderChart with hostile metric names', () => {
  test.each([
    { name: 'val_\u001b[2J\rx', label: 'val_\\x1b[2J\\rx' },
    { name: 'a\u0007\u009b', label: 'a\\x07\\x9b' },
    { name: '\u202eval', label: '\\u202eval' },
  ])('$label', ({ name, label }) => {
    const run = makeRun(3, (epoch) => ({ [name]: epoch }));
    for (const chalk of [plain, colour]) {
      const lines = chart(run, { chalk, metrics: [name] });
      for (const line of lines) expect(line.replace(ANSI, '')).not.toMatch(CONTROL);
      for (const line of lines) expect(line.replace(ANSI, '')).not.toMatch(/\p{Cf}/u);
      expect(lines[0]?.replace(ANSI, '').startsWith(`${label} ▁▅█`)).toBe(true);
    }
  });
});
