/**
 * A compact unicode chart of a run's curves, because people see a sawtooth faster than they read one.
 * One row per metric, each scaled to its own range and labelled with that range (and, for validation
 * metrics, the best epoch); under them the learning-rate changes and checkpoint improvements, and a ruler.
 *
 * The whole run is always shown. Up to the width, one column is one epoch. A longer run is split into
 * equal groups of consecutive epochs, one column each, drawn at the group's mean; since a mean would
 * hide exactly the epoch-to-epoch swing the chart exists to show, a group whose values go back and forth
 * by a level of the row or more is drawn as `┃`, and the caption says so.
 */
import type { ChalkInstance } from 'chalk';
import { findRole, isValidationName, metricDirection, trainingTwin, type RunSeries } from '../model/index.js';
import { escapeControl } from './escape.js';
import { axisCount, formatFigure, WORDS } from './prose.js';
import { displayWidth, fit, pad } from './width.js';
import { maxOf } from './lists.js';

/** Options of {@link renderChart}. */
export interface ChartOptions {
  /** Colours; a level-0 instance for none. Never set chalk's global level. */
  chalk: ChalkInstance;
  /** Maximum display width of every line, in terminal columns (default 80). */
  width?: number;
  /** Metrics to chart, names as printed; default: validation loss/accuracy and their training twins. */
  metrics?: readonly string[];
  /** The word of the time axis (default `epoch`). */
  axis?: string;
}

const DEFAULT_WIDTH = 80;
/** Default series: two pairs (loss and accuracy, validation and training). */
const MAX_DEFAULT_SERIES = 4;
/** Longer names get a line of their own above their row, so no name is ever cut. */
const MAX_LABEL = 16;
/** A label may grow past MAX_LABEL while this many curve columns still fit beside it. */
const ROOMY_CURVE = 40;
/** Below this many columns the annotation and then the label give way to the curve. */
const MIN_COLUMNS = 8;

const LEVELS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;
const FLAT = '▄';
const NON_FINITE = '×';
const MISSING = ' ';
const SWING = '┃';
const LR_MARK = '↓';
const CHECKPOINT_MARK = '✓';
/** A group swings when its values span at least one level of the row (an eighth of its range) ... */
const SWING_SHARE = 1 / 8;
/** ... and cross the middle of their span on at least this share of their steps (period 2: all of them). */
const SWING_CROSSINGS = 0.25;

/** Consecutive records drawn as one column: indexes [from, to). */
interface Column {
  from: number;
  to: number;
}

interface Row {
  name: string;
  label: string;
  annotation: string;
  cells: string[];
  /** Column of the best value (validation metrics with a known direction). */
  bestColumn: number | null;
  validation: boolean;
}

/**
 * Renders the chart as lines (no trailing newline), each at most `width` display columns. Returns []
 * when the run has fewer than 2 epochs, none of the metrics is present, or the width cannot hold a curve.
 */
export function renderChart(series: RunSeries, options: ChartOptions): string[] {
  const { chalk } = options;
  const width = Math.floor(options.width ?? DEFAULT_WIDTH);
  const total = series.epochs.length;
  if (total < 2 || !Number.isFinite(width)) return [];
  const names = Object.keys(series.metrics);
  const chosen = options.metrics ? uniquePresent(options.metrics, names) : defaultSeries(names);
  if (chosen.length === 0) return [];

  const labels = chosen.map(displayName);
  const longest = maxOf(labels.map(displayWidth));
  const annotations = chosen.map((name) => annotate(series, name));
  const annotationWidth = maxOf(annotations.map((a) => displayWidth(a.text)));
  const axis = options.axis ?? 'epoch';
  const columnsIfOne = groupColumns(total, total);
  const legend = markerLegend(markerCells(series, columnsIfOne));
  const labelWidth = Math.max(longest, displayWidth(axis), legend === null ? 0 : displayWidth(legend));
  // a long name keeps its row when the curve (or 40 columns of it) and the annotation still fit beside it
  const roomy = width - 1 - Math.min(total, ROOMY_CURVE) - (annotationWidth + 2);
  const layout = chooseLayout(
    width,
    total,
    Math.min(labelWidth, Math.max(MAX_LABEL, roomy)),
    annotationWidth,
  );
  if (layout === null) return [];

  const columns = groupColumns(total, layout.columns);
  const grouped = columns.some((c) => c.to - c.from > 1);
  const rows: Row[] = chosen.map((name, i) => {
    const values = series.metrics[name] ?? [];
    const best = annotations[i]?.bestIndex ?? null;
    return {
      name,
      label: labels[i] ?? '',
      annotation: annotations[i]?.text ?? '',
      cells: cellsOf(values, columns),
      bestColumn: best === null ? null : columns.findIndex((c) => best >= c.from && best < c.to),
      validation: isValidationName(name),
    };
  });

  const lines: string[] = [];
  if (grouped) {
    const perColumn = Math.ceil(total / columns.length);
    const swings = rows.some((row) => row.cells.includes(SWING));
    const caption = `${axisCount(total, options.axis ?? null)}, ${perColumn} ${WORDS.downsampled}${swings ? `; ${WORDS.swingInColumn}` : ''}`;
    lines.push(chalk.dim(fit(caption, width)));
  }
  for (const row of rows) {
    const tooLong = displayWidth(row.label) > layout.label;
    if (tooLong && layout.label > 0) lines.push(paintRow(chalk, row.validation, fit(row.label, width)));
    const label = layout.label === 0 ? '' : `${pad(tooLong ? '' : row.label, layout.label)} `;
    const cells = row.cells.map((cell, c) => {
      const painted = cell === NON_FINITE ? chalk.red(cell) : cell;
      return c === row.bestColumn ? chalk.inverse(painted) : painted;
    });
    // every row has the same number of cells, so the annotations line up after the curves
    const annotation = layout.annotation > 0 ? `  ${row.annotation}` : '';
    lines.push(paintRow(chalk, row.validation, `${label}${cells.join('')}${annotation}`.trimEnd()));
  }
  const markers = markerCells(series, columns);
  const markerLabel = markerLegend(markers);
  if (markerLabel !== null) {
    const label = layout.label === 0 ? '' : `${pad(fit(markerLabel, layout.label), layout.label)} `;
    lines.push(chalk.yellow(`${label}${markers.join('')}`.trimEnd()));
  }
  const ruler = rulerText(series.epochs, columns, width - (layout.label === 0 ? 0 : layout.label + 1));
  const axisLabel = layout.label === 0 ? '' : `${pad(fit(axis, layout.label), layout.label)} `;
  lines.push(chalk.dim(`${axisLabel}${ruler}`.trimEnd()));
  return lines;
}

/** Rows a chart draws at most when the findings add their metrics to the default ones. */
export const MAX_CHART_ROWS = 6;

/**
 * The metrics a chart draws: the default ones (validation curves and their training twins, at most four),
 * then the metrics of `findings` that are not among them, up to {@link MAX_CHART_ROWS} rows.
 */
export function chartMetrics(series: RunSeries, findingMetrics: readonly string[] = []): string[] {
  const chosen = defaultSeries(Object.keys(series.metrics));
  for (const metric of findingMetrics) {
    if (chosen.length >= MAX_CHART_ROWS) break;
    if (series.metrics[metric] !== undefined && !chosen.includes(metric)) chosen.push(metric);
  }
  return chosen;
}

/** One metric as a one-line sparkline of at most `columns` characters (grouped like the chart). */
export function sparkline(series: RunSeries, metric: string, columns: number): string {
  const values = series.metrics[metric] ?? [];
  return cellsOf(values, groupColumns(values.length, Math.max(2, columns))).join('');
}

/** The range and best epoch of a metric, as the chart labels its row. */
export function metricRange(series: RunSeries, metric: string): string {
  return annotate(series, metric).text;
}

function paintRow(chalk: ChalkInstance, validation: boolean, text: string): string {
  return validation ? chalk.cyan(text) : chalk.dim(text);
}

interface Layout {
  label: number;
  annotation: number;
  /** Columns available for the curve. */
  columns: number;
}

/** The annotation goes first, then the label shrinks; null when not even 2 columns fit. */
function chooseLayout(width: number, epochs: number, label: number, annotation: number): Layout | null {
  const candidates: Array<Omit<Layout, 'columns'>> = [
    { label, annotation },
    { label, annotation: 0 },
    { label: Math.min(label, 4), annotation: 0 },
    { label: 0, annotation: 0 },
  ];
  let layout: Layout | null = null;
  for (const candidate of candidates) {
    const columns =
      width -
      (candidate.label > 0 ? candidate.label + 1 : 0) -
      (candidate.annotation > 0 ? candidate.annotation + 2 : 0);
    layout = { ...candidate, columns };
    if (columns >= Math.min(epochs, MIN_COLUMNS)) return layout;
  }
  return layout !== null && layout.columns >= 2 ? layout : null;
}

/** One column per record when they fit; else equal groups of consecutive records. */
function groupColumns(total: number, room: number): Column[] {
  const size = total <= room ? 1 : Math.ceil(total / room);
  const columns: Column[] = [];
  for (let from = 0; from < total; from += size) columns.push({ from, to: Math.min(total, from + size) });
  return columns;
}

function uniquePresent(requested: readonly string[], names: readonly string[]): string[] {
  const present = new Set(names);
  return [...new Set(requested)].filter((name) => present.has(name));
}

/**
 * Validation loss and its training twin, then validation accuracy and its twin. Without those roles,
 * training loss/accuracy; without any role (multi-output heads, other frameworks' names), the validation
 * names and their twins; else the first names that are not a learning rate.
 */
function defaultSeries(names: readonly string[]): string[] {
  const present = new Set(names);
  const chosen: string[] = [];
  const add = (name: string | null): void => {
    if (name !== null && present.has(name) && !chosen.includes(name)) chosen.push(name);
  };
  for (const [validation, training] of [
    ['val_loss', 'loss'],
    ['val_accuracy', 'accuracy'],
  ] as const) {
    const name = findRole(names, validation);
    if (name !== null) {
      add(name);
      add(trainingTwin(name));
    } else {
      add(findRole(names, training));
    }
  }
  // validation metrics the roles do not name (other heads, other frameworks' names) are charted too
  if (!chosen.some(isValidationName)) {
    for (const name of names.filter(isValidationName)) {
      if (chosen.length >= MAX_DEFAULT_SERIES) break;
      add(name);
      add(trainingTwin(name));
    }
  }
  if (chosen.length === 0) {
    const lr = findRole(names, 'lr');
    for (const name of names) if (name !== lr) add(name);
  }
  return chosen.slice(0, MAX_DEFAULT_SERIES);
}

/** `0.0339–0.834 best at 9`: the finite range, and the best epoch of a validation metric. */
function annotate(series: RunSeries, name: string): { text: string; bestIndex: number | null } {
  const values = series.metrics[name] ?? [];
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (value !== null && Number.isFinite(value)) {
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
  }
  if (min > max) return { text: values.some((v) => v !== null) ? 'not finite' : '', bestIndex: null };
  const range = min === max ? formatFigure(min) : formatRange(min, max);
  const direction = isValidationName(name) ? metricDirection(name) : null;
  if (direction === null) return { text: range, bestIndex: null };
  const target = direction === 'lower' ? min : max;
  const bestIndex = values.findIndex((v) => v === target);
  const epoch = series.epochs[bestIndex];
  return {
    text: epoch === undefined || min === max ? range : `${range} ${WORDS.best} at ${epoch}`,
    bestIndex: bestIndex < 0 || min === max ? null : bestIndex,
  };
}

/** `lo–hi` with 3 significant digits, more when both ends would read the same (`4.669–4.674`). */
function formatRange(min: number, max: number): string {
  for (let digits = 3; digits <= 8; digits++) {
    const lo = digits === 3 ? formatFigure(min) : String(Number(min.toPrecision(digits)));
    const hi = digits === 3 ? formatFigure(max) : String(Number(max.toPrecision(digits)));
    if (lo !== hi) return `${lo}–${hi}`;
  }
  return `${min}–${max}`;
}

/** One block per column, scaled to the finite values of the whole row. */
function cellsOf(values: ReadonlyArray<number | null>, columns: readonly Column[]): string[] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (value !== null && Number.isFinite(value)) {
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
  }
  const range = max - min;
  const level = (value: number): string => {
    if (!(range > 0)) return FLAT;
    // Eight equal bins over min..max: the extremes of a two-level swing land on `▁` and `█`.
    const bin = Math.floor(((value - min) / range) * LEVELS.length);
    return LEVELS[Math.min(LEVELS.length - 1, bin)] ?? FLAT;
  };
  return columns.map(({ from, to }) => {
    let sum = 0;
    let n = 0;
    let nonFinite = false;
    for (let i = from; i < to; i++) {
      const value = values[i] ?? null;
      if (value === null) continue;
      if (!Number.isFinite(value)) nonFinite = true;
      else {
        sum += value;
        n += 1;
      }
    }
    if (nonFinite) return NON_FINITE;
    if (n === 0) return MISSING;
    // a swing inside the column: its values span a level of the row or more, and keep crossing
    // the middle of that span (a drop that is merely steep crosses it once). Seen with one neighbour, so
    // that two epochs of one column that swing show: the previous epoch, or the next for the first column.
    if (to - from > 1 && range > 0) {
      const window = values.slice(from === 0 ? 0 : from - 1, from === 0 ? to + 1 : to);
      const finite = window.filter((v): v is number => v !== null && Number.isFinite(v));
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (const v of finite) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      const middle = (lo + hi) / 2;
      let crossings = 0;
      for (let i = 1; i < finite.length; i++) {
        if ((finite[i - 1] ?? 0) < middle !== (finite[i] ?? 0) < middle) crossings += 1;
      }
      if (hi - lo >= SWING_SHARE * range && crossings >= Math.max(2, (finite.length - 1) * SWING_CROSSINGS))
        return SWING;
    }
    return level(sum / n);
  });
}

/** The label of the marker row, or null when there is nothing to mark. */
function markerLegend(markers: readonly string[]): string | null {
  const hasLr = markers.includes(LR_MARK);
  const hasCheckpoint = markers.includes(CHECKPOINT_MARK);
  if (!hasLr && !hasCheckpoint) return null;
  return hasLr && hasCheckpoint ? '↓lr ✓ckpt' : hasLr ? '↓ lr' : '✓ ckpt';
}

/** `↓` where the learning rate changed, `✓` where a checkpoint improved (`↓` wins a shared column). */
function markerCells(series: RunSeries, columns: readonly Column[]): string[] {
  const marks = columns.map(() => ' ');
  // columns are equal groups of consecutive records: the column of record i is i / size
  const size = Math.max(1, (columns[0]?.to ?? 1) - (columns[0]?.from ?? 0));
  const indexOf = new Map<number, number>();
  series.epochs.forEach((epoch, i) => {
    if (!indexOf.has(epoch)) indexOf.set(epoch, i);
  });
  const columnOfEpoch = (epoch: number): number => {
    const index = indexOf.get(epoch);
    return index === undefined ? -1 : Math.min(columns.length - 1, Math.floor(index / size));
  };
  for (const epoch of series.checkpoints) {
    const c = columnOfEpoch(epoch);
    if (c >= 0 && marks[c] === ' ') marks[c] = CHECKPOINT_MARK;
  }
  for (const epoch of series.lrChanges) {
    const c = columnOfEpoch(epoch);
    if (c >= 0) marks[c] = LR_MARK;
  }
  return marks;
}

/** The step between ruler numbers: 1, 2, 5, 10, 20, 50, ... so that labels of `digits` keep a gap. */
function niceStep(epochsPerColumn: number, digits: number): number {
  const minimum = (digits + 4) * epochsPerColumn;
  for (let magnitude = 1; ; magnitude *= 10) {
    for (const factor of [1, 2, 5]) if (factor * magnitude >= minimum) return factor * magnitude;
  }
}

/**
 * Epoch numbers at their columns: the first and the last, and round numbers between them, each kept
 * only when it leaves a blank before its neighbours. The last is right-aligned when it would not fit.
 */
function rulerText(epochs: readonly number[], columns: readonly Column[], room: number): string {
  const cells = Array.from({ length: Math.max(0, Math.min(room, columns.length + 8)) }, () => ' ');
  const taken = cells.map(() => false);
  const place = (column: number, text: string, alignEnd: boolean): void => {
    let start = column;
    if (alignEnd && start + text.length > columns.length) start = column + 1 - text.length;
    const end = start + text.length;
    if (start < 0 || end > cells.length) return;
    for (let c = Math.max(0, start - 1); c < Math.min(cells.length, end + 1); c++) if (taken[c]) return;
    for (let c = start; c < end; c++) {
      cells[c] = text[c - start] ?? ' ';
      taken[c] = true;
    }
  };
  const first = epochs[0];
  const last = epochs.at(-1);
  if (first === undefined || last === undefined) return '';
  place(0, String(first), false);
  if (columns.length > 1) place(columns.length - 1, String(last), true);
  const perColumn = Math.max(1, (columns[0]?.to ?? 1) - (columns[0]?.from ?? 0));
  const step = niceStep(perColumn, String(last).length);
  columns.forEach((column, c) => {
    if (c === 0 || c === columns.length - 1) return;
    for (let i = column.from; i < column.to; i++) {
      const epoch = epochs[i];
      if (epoch !== undefined && epoch % step === 0) {
        place(c, String(epoch), false);
        break;
      }
    }
  });
  return cells.join('').trimEnd();
}

/**
 * Metric names come from untrusted logs: control characters are escaped, and Unicode format
 * characters (bidi overrides, zero-width joiners) too, so a name cannot reorder or hide the row.
 */
function displayName(name: string): string {
  return escapeControl(name).replace(
    /[\p{Cf}\u2028\u2029]/gu,
    (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}
