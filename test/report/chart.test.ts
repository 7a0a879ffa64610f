import { readFileSync } from 'node:fs';
import { Chalk } from 'chalk';
import { describe, expect, test } from 'vitest';
import type { Epoch, Event, Run } from '../../src/model/index.js';
import { parseText } from '../../src/parse/index.js';
import { renderChart } from '../../src/report/chart.js';

const plain = new Chalk({ level: 0 });
const colour = new Chalk({ level: 1 });
const LEVELS = '▁▂▃▄▅▆▇█';
/** Label column (10) plus its separating blank: where the epoch columns start. */
const CURVE_START = 11;

const ANSI = /\u001b\[[0-9;]*m/g;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Columns of a line as a terminal shows it: escape codes take none; every character here is 1 wide. */
function columns(line: string): number {
  return [...line.replace(ANSI, '')].length;
}

/** The epoch characters of a metric's row. */
function curve(lines: readonly string[], label: string, count: number): string[] {
  const row = lines.find((line) => line.startsWith(`${label.padEnd(10)} `));
  if (row === undefined) throw new Error(`no row for ${label}`);
  return [...row].slice(CURVE_START, CURVE_START + count);
}

function rowOf(lines: readonly string[], label: string): string {
  const row = lines.find((line) => line.replace(ANSI, '').startsWith(label));
  if (row === undefined) throw new Error(`no row starting ${label}`);
  return row;
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

/** Four curves with a period-2 swing on validation accuracy, as in the founding case. */
function sawtooth(epoch: number): Record<string, number> {
  const odd = epoch % 2 === 1;
  return {
    loss: 1 / epoch,
    acc: 1 - 1 / (epoch + 1),
    val_loss: odd ? 0.1 : 0.8,
    val_acc: odd ? 0.97 : 0.75,
  };
}

function lrReduced(epoch: number | null): Event {
  return { kind: 'lr-reduced', epoch, line: 1, lr: 1e-4 };
}

function lrScheduled(epoch: number): Event {
  return { kind: 'lr-scheduled', epoch, line: 1, lr: 1e-4 };
}

function improved(epoch: number): Event {
  return { kind: 'checkpoint-improved', epoch, line: 1, monitor: 'val_loss', from: 1, to: 0.5, path: null };
}

function sign(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : 0;
}

describe('renderChart on the founding case (crossvalidated 416172)', () => {
  const text = readFileSync(new URL('../../fixtures/real/crossvalidated-416172.txt', import.meta.url));
  const run = parseText(text).runs[0];
  if (run === undefined) throw new Error('fixture has no run');
  const lines = renderChart(run, { chalk: plain, width: 80 });
  const epochs = run.epochs.length;

  test('it has the 39 completed epochs, all shown', () => {
    expect(epochs).toBe(39);
    expect(lines[0]).toBe('39 epochs');
  });

  test('val_acc alternates high/low: at least 30 of 38 steps reverse direction', () => {
    const levels = curve(lines, 'val_acc', epochs).map((c) => LEVELS.indexOf(c));
    expect(levels.every((level) => level >= 0)).toBe(true);
    const steps = levels.slice(1).map((level, i) => sign(level - (levels[i] ?? 0)));
    expect(steps).toHaveLength(38);
    const reversals = steps.filter((step, i) => step !== 0 && (i === 0 || step === -(steps[i - 1] ?? 0)));
    expect(reversals.length).toBeGreaterThanOrEqual(30);
    // Every odd epoch is high, every even one low: the extremes of the swing are drawn as such.
    levels.forEach((level, i) => (i % 2 === 0 ? expect(level).toBe(7) : expect(level).toBeLessThan(5)));
  });

  test('acc is (nearly) monotone: at least 80 % of steps non-decreasing', () => {
    const levels = curve(lines, 'acc', epochs).map((c) => LEVELS.indexOf(c));
    const steps = levels.slice(1).map((level, i) => level - (levels[i] ?? 0));
    expect(steps.filter((step) => step >= 0).length).toBeGreaterThanOrEqual(0.8 * steps.length);
  });

  test('default series: val_loss and loss, then val_acc and acc, each with its last value', () => {
    const labels = lines.slice(1, 5).map((line) => line.slice(0, 10).trimEnd());
    expect(labels).toEqual(['val_loss', 'loss', 'val_acc', 'acc']);
    expect(lines[3]?.endsWith(' 0.9861')).toBe(true);
    expect(lines.at(-1)).toMatch(/^epoch {6}1 {8}10 {8}20 {8}30 {7}39$/);
  });
});

describe('renderChart width and long runs', () => {
  const run = makeRun(300, sawtooth, [improved(200), improved(299), lrReduced(290), lrReduced(240)]);
  test.each([
    { width: 80, shown: 60, value: true },
    { width: 60, shown: 40, value: true },
    { width: 40, shown: 20, value: true },
    { width: 24, shown: 13, value: false },
    { width: 16, shown: 11, value: false },
  ])('width $width shows the last $shown epochs', ({ width, shown, value }) => {
    for (const chalk of [plain, colour]) {
      const lines = renderChart(run, { chalk, width });
      for (const line of lines) expect(columns(line)).toBeLessThanOrEqual(width);
      expect(lines[0]).toMatch(new RegExp(`^last ${shown}( of |/)300( epochs)?$`));
    }
    const lines = renderChart(run, { chalk: plain, width });
    const label = width >= 24 ? 10 : 4;
    const row = lines[3] ?? '';
    expect(row.startsWith(width >= 24 ? 'val_acc ' : 'val…')).toBe(true);
    // One character per epoch, never averaged: the period-2 swing survives truncation intact.
    const cells = [...row].slice(label + 1, label + 1 + shown).join('');
    const expected = Array.from({ length: shown }, (_, i) => ((301 - shown + i) % 2 === 1 ? '█' : '▁'));
    expect(cells).toBe(expected.join(''));
    expect(row.endsWith(' 0.7500')).toBe(value);
    expect(lines.at(-1)?.trimEnd().endsWith('300')).toBe(true);
  });

  test('markers outside the window are dropped, inside it they keep their column', () => {
    const lines = renderChart(run, { chalk: plain, width: 80 });
    const markers = [...rowOf(lines, '↓lr ✓best')].slice(CURVE_START);
    // Epochs 241..300 are shown: epoch k is column k − 241.
    expect(markers[290 - 241]).toBe('↓');
    expect(markers[299 - 241]).toBe('✓');
    expect(markers.filter((c) => c !== ' ')).toHaveLength(2);
  });

  test('fewer than 2 epochs, or a width that holds no curve, give no chart', () => {
    expect(renderChart(makeRun(0, sawtooth), { chalk: plain })).toEqual([]);
    expect(renderChart(makeRun(1, sawtooth), { chalk: plain })).toEqual([]);
    expect(renderChart(makeRun(2, sawtooth), { chalk: plain })).not.toEqual([]);
    expect(renderChart(run, { chalk: plain, width: 6 })).toEqual([]);
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
      legend: '↓lr ✓best',
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
      legend: '↓lr ✓best',
      expected: '   ↓    ✓',
    },
  ])('$name', ({ run, legend, expected }) => {
    const lines = renderChart(run, { chalk: plain, width: 80 });
    expect(rowOf(lines, legend)).toBe(`${legend.padEnd(10)} ${expected}`);
  });

  test('no marker row when nothing happened', () => {
    const lines = renderChart(makeRun(10, lossOnly), { chalk: plain });
    expect(lines.map((line) => line.slice(0, 10).trimEnd())).toEqual([
      '10 epochs',
      'val_loss',
      'loss',
      'epoch',
    ]);
  });
});

describe('renderChart cells', () => {
  test.each([
    {
      name: 'non-finite values print ×',
      values: [0.5, Number.NaN, Number.POSITIVE_INFINITY, 0.3, Number.NEGATIVE_INFINITY, 0.5],
      expected: '█××▁×█',
      last: '0.5000',
    },
    {
      name: 'a non-finite last value is printed as such',
      values: [0.5, 0.3, Number.NaN],
      expected: '█▁×',
      last: 'nan',
    },
    {
      name: 'a flat series prints ▄ everywhere',
      values: [0.5, 0.5, 0.5, 0.5],
      expected: '▄▄▄▄',
      last: '0.5000',
    },
    { name: 'one finite value is flat', values: [Number.NaN, 2, Number.NaN], expected: '×▄×', last: 'nan' },
    { name: 'two levels are the extremes', values: [0, 1, 0, 1], expected: '▁█▁█', last: '1.0000' },
    {
      name: 'eight equal bins',
      values: [0, 1, 2, 3, 4, 5, 6, 7, 7.99, 8],
      expected: '▁▂▃▄▅▆▇███',
      last: '8.0000',
    },
    { name: 'tiny values in scientific notation', values: [1e-5, 3.25e-5], expected: '▁█', last: '3.250e-5' },
  ])('$name', ({ values, expected, last }) => {
    const run = makeRun(values.length, (epoch) => ({ loss: values[epoch - 1] ?? 0 }));
    const lines = renderChart(run, { chalk: plain });
    expect(rowOf(lines, 'loss ')).toBe(`${'loss'.padEnd(10)} ${expected} ${last}`);
  });

  test('an epoch without the metric is blank', () => {
    const run = makeRun(4, (epoch): Record<string, number> =>
      epoch === 2 ? { loss: 1 } : { loss: 1 / epoch, val_loss: epoch },
    );
    expect(rowOf(renderChart(run, { chalk: plain }), 'val_loss')).toBe(
      `${'val_loss'.padEnd(10)} ▁ ▆█ 4.0000`,
    );
  });
});

describe('renderChart series', () => {
  test.each<{ name: string; metrics: Record<string, number>; option: string[] | undefined; rows: string[] }>([
    {
      name: 'Keras 2 names, lr not charted by default',
      metrics: { loss: 1, accuracy: 1, val_loss: 1, val_accuracy: 1, lr: 1 },
      option: undefined,
      rows: ['val_loss', 'loss', 'val_accur…', 'accuracy'],
    },
    { name: 'training only', metrics: { loss: 1, acc: 1 }, option: undefined, rows: ['loss', 'acc'] },
    {
      name: 'multi-output heads without plain names',
      metrics: { out_a_loss: 1, val_out_a_loss: 1, lr: 1 },
      option: undefined,
      rows: ['val_out_a…', 'out_a_loss'],
    },
    {
      name: 'explicit metrics, unknown names skipped, duplicates once',
      metrics: { loss: 1, acc: 1, lr: 1 },
      option: ['lr', 'nope', 'acc', 'lr'],
      rows: ['lr', 'acc'],
    },
  ])('$name', ({ metrics, option, rows }) => {
    const run = makeRun(3, () => metrics);
    const lines = renderChart(
      run,
      option === undefined ? { chalk: plain } : { chalk: plain, metrics: option },
    );
    expect(lines.slice(1, -1).map((line) => line.slice(0, 10).trimEnd())).toEqual(rows);
  });

  test('no metric to chart gives no chart', () => {
    expect(
      renderChart(
        makeRun(3, () => ({ lr: 1 })),
        { chalk: plain },
      ),
    ).toEqual([]);
    expect(renderChart(makeRun(3, sawtooth), { chalk: plain, metrics: ['nope'] })).toEqual([]);
  });
});

describe('renderChart colour', () => {
  const run = makeRun(12, sawtooth, [lrReduced(5), improved(3)]);
  const open = (styled: string): string => styled.slice(0, styled.indexOf('x'));

  test('level 0 has no escape codes at all', () => {
    expect(renderChart(run, { chalk: plain }).join('\n')).not.toContain('\u001b');
  });

  test('level 1: validation in colour, training dim, markers yellow, same text as level 0', () => {
    const lines = renderChart(run, { chalk: colour });
    expect(lines.map((line) => line.replace(ANSI, ''))).toEqual(renderChart(run, { chalk: plain }));
    expect(rowOf(lines, 'val_loss').startsWith(open(colour.cyan('x')))).toBe(true);
    expect(rowOf(lines, 'loss').startsWith(open(colour.dim('x')))).toBe(true);
    expect(rowOf(lines, '↓lr').startsWith(open(colour.yellow('x')))).toBe(true);
  });
});

describe('renderChart with hostile metric names', () => {
  test.each([
    { name: 'val_\u001b[2J\rx', label: 'val_\\x1b[…' },
    { name: 'a\u0007\u009b', label: 'a\\x07\\x9b' },
    { name: '\u202eval', label: '\\u202eval' },
  ])('$label', ({ name, label }) => {
    const run = makeRun(3, (epoch) => ({ [name]: epoch }));
    for (const chalk of [plain, colour]) {
      const lines = renderChart(run, { chalk, metrics: [name] });
      for (const line of lines) expect(line.replace(ANSI, '')).not.toMatch(CONTROL);
      for (const line of lines) expect(line.replace(ANSI, '')).not.toMatch(/\p{Cf}/u);
      expect(lines[1]?.replace(ANSI, '').startsWith(`${label.padEnd(10)} ▁▅█`)).toBe(true);
    }
  });
});
