/**
 * A compact unicode chart of a run's curves, because people see a sawtooth faster than they read one.
 * One row per metric and one character per epoch, each series scaled to its own range; under them a
 * marker row (learning-rate changes, checkpoint improvements) and a ruler with epoch numbers.
 *
 * Epochs are never averaged into one column: averaging neighbours would cancel exactly the period-2
 * swing the chart exists to show. A run longer than the width shows its last epochs and says so.
 */
import type { ChalkInstance } from 'chalk';
import { findRole, isValidationName, trainingTwin, type Event, type Run } from '../model/index.js';
import { escapeControl } from './escape.js';

/** Options of {@link renderChart}. */
export interface ChartOptions {
  /** Colours; a level-0 instance for none. Never set chalk's global level. */
  chalk: ChalkInstance;
  /** Maximum display width of every line, in terminal columns (default 80). */
  width?: number;
  /** Metrics to chart, names as printed; default: validation loss/accuracy and their training twins. */
  metrics?: string[];
}

const DEFAULT_WIDTH = 80;
/** Default series: two pairs (loss and accuracy, validation and training). */
const MAX_DEFAULT_SERIES = 4;
const LABEL_WIDTH = 10;
/** The last value column: `0.9861`, `-1.23e-5`, `nan` all fit. */
const VALUE_WIDTH = 8;
/** Below this many epoch columns the value and then the label column give way to the curve. */
const MIN_COLUMNS = 10;

const LEVELS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;
const FLAT = '▄';
const NON_FINITE = '×';
const MISSING = ' ';
const LR_MARK = '↓';
const CHECKPOINT_MARK = '✓';

interface Layout {
  label: number;
  value: number;
  /** Epoch columns available. */
  columns: number;
}

/**
 * Renders the chart as lines (no trailing newline), each at most `width` display columns. Returns []
 * when the run has fewer than 2 epochs, none of the metrics is present, or the width cannot hold a curve.
 */
export function renderChart(run: Run, options: ChartOptions): string[] {
  const { chalk } = options;
  const width = Math.floor(options.width ?? DEFAULT_WIDTH);
  const total = run.epochs.length;
  if (total < 2 || !Number.isFinite(width)) return [];
  const layout = chooseLayout(width, total);
  if (layout === null) return [];

  const names = metricNames(run);
  const series = options.metrics ? uniquePresent(options.metrics, names) : defaultSeries(names);
  if (series.length === 0) return [];

  const shown = run.epochs.slice(total - Math.min(total, layout.columns));
  const columnOf = new Map<number, number>();
  shown.forEach((epoch, column) => columnOf.set(epoch.epoch, column));

  const lines: string[] = [];
  const captions =
    shown.length < total
      ? [`last ${shown.length} of ${total} epochs`, `last ${shown.length}/${total}`]
      : [`${total} epochs`];
  lines.push(fit(captions.find((caption) => displayWidth(caption) <= width) ?? captions[0] ?? '', width));

  for (const name of series) {
    const values = shown.map((epoch) => epoch.metrics[name]);
    const cells = sparkCells(values).map((cell) => (cell === NON_FINITE ? chalk.red(cell) : cell));
    const last = [...values].reverse().find((value) => value !== undefined);
    const row = [pad(fit(displayName(name), layout.label), layout.label), cells.join('')];
    if (layout.value > 0) row.push(last === undefined ? '' : formatValue(last, layout.value));
    const text = row.join(' ').trimEnd();
    lines.push(isValidationName(name) ? chalk.cyan(text) : chalk.dim(text));
  }

  const markers = markerColumns(run, shown.length, columnOf, names);
  if (markers.some((mark) => mark !== ' ')) {
    const hasLr = markers.includes(LR_MARK);
    const hasCheckpoint = markers.includes(CHECKPOINT_MARK);
    const legend = hasLr && hasCheckpoint ? '↓lr ✓best' : hasLr ? '↓ lr' : '✓ best';
    const row = `${pad(fit(legend, layout.label), layout.label)} ${markers.join('').trimEnd()}`;
    lines.push(chalk.yellow(row));
  }

  const ruler = rulerText(
    shown.map((epoch) => epoch.epoch),
    width - layout.label - 1,
  );
  lines.push(chalk.dim(`${pad(fit('epoch', layout.label), layout.label)} ${ruler}`.trimEnd()));
  return lines;
}

/** Label and value columns shrink before the curve does; null when not even 2 epochs fit. */
function chooseLayout(width: number, epochs: number): Layout | null {
  const candidates: Array<Omit<Layout, 'columns'>> = [
    { label: LABEL_WIDTH, value: VALUE_WIDTH },
    { label: LABEL_WIDTH, value: 0 },
    { label: 4, value: 0 },
  ];
  let layout: Layout | null = null;
  for (const candidate of candidates) {
    const columns = width - candidate.label - 1 - (candidate.value > 0 ? candidate.value + 1 : 0);
    layout = { ...candidate, columns };
    if (columns >= Math.min(epochs, MIN_COLUMNS)) return layout;
  }
  return layout !== null && layout.columns >= 2 ? layout : null;
}

/** Every metric name of the run, in first-seen order (a metric may start mid-run). */
function metricNames(run: Run): string[] {
  const seen = new Set<string>();
  for (const epoch of run.epochs) for (const name of Object.keys(epoch.metrics)) seen.add(name);
  return [...seen];
}

function uniquePresent(requested: readonly string[], names: readonly string[]): string[] {
  const present = new Set(names);
  return [...new Set(requested)].filter((name) => present.has(name));
}

/**
 * Validation loss and its training twin, then validation accuracy and its twin. Without those roles,
 * training loss/accuracy; without any role (multi-output heads), the first validation names and twins.
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
  if (chosen.length === 0) {
    for (const name of names.filter(isValidationName)) {
      add(name);
      add(trainingTwin(name));
    }
    if (chosen.length === 0 && findRole(names, 'lr') === null) for (const name of names) add(name);
  }
  return chosen.slice(0, MAX_DEFAULT_SERIES);
}

/** One block per epoch, scaled to the finite values shown; blank where the epoch lacks the metric. */
function sparkCells(values: ReadonlyArray<number | undefined>): string[] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (value !== undefined && Number.isFinite(value)) {
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
  }
  return values.map((value) => {
    if (value === undefined) return MISSING;
    if (!Number.isFinite(value)) return NON_FINITE;
    if (!(max > min)) return FLAT;
    // Eight equal bins over min..max: the extremes of a two-level swing land on `▁` and `█`.
    const level = Math.floor(((value - min) / (max - min)) * LEVELS.length);
    return LEVELS[Math.min(LEVELS.length - 1, level)] ?? FLAT;
  });
}

/**
 * `↓` where the learning rate changed, `✓` where a checkpoint improved (`↓` wins a shared column:
 * improvements are frequent, LR changes are rare and explain the curve's shape). LR events are used
 * when the log has them; otherwise a change of the logged `lr` metric marks the first epoch with the
 * new value, so one reduction never shows as two arrows.
 */
function markerColumns(
  run: Run,
  columns: number,
  columnOf: ReadonlyMap<number, number>,
  names: readonly string[],
): string[] {
  const marks = Array.from({ length: columns }, () => ' ');
  const put = (epoch: number | null, mark: string): void => {
    const column = epoch === null ? undefined : columnOf.get(epoch);
    if (column === undefined) return;
    if (mark === LR_MARK || marks[column] === ' ') marks[column] = mark;
  };
  for (const event of run.events) if (event.kind === 'checkpoint-improved') put(event.epoch, CHECKPOINT_MARK);
  const lrEvents = run.events.filter(isLearningRateEvent);
  if (lrEvents.length > 0) {
    for (const event of lrEvents) put(event.epoch, LR_MARK);
  } else {
    const lr = findRole(names, 'lr');
    if (lr !== null) {
      let previous: number | undefined;
      for (const epoch of run.epochs) {
        const value = epoch.metrics[lr];
        if (value === undefined || !Number.isFinite(value)) continue;
        if (previous !== undefined && value !== previous) put(epoch.epoch, LR_MARK);
        previous = value;
      }
    }
  }
  return marks;
}

function isLearningRateEvent(event: Event): boolean {
  return event.kind === 'lr-reduced' || event.kind === 'lr-scheduled';
}

/**
 * Epoch numbers starting at their column: the first and last shown, then every 10th, each kept only
 * when it leaves a blank before its neighbours. The last one is right-aligned when it would not fit.
 */
function rulerText(epochs: readonly number[], room: number): string {
  const cells = Array.from({ length: Math.max(0, room) }, () => ' ');
  const taken = Array.from({ length: cells.length }, () => false);
  const place = (column: number, text: string, alignEnd: boolean): void => {
    let start = column;
    if (alignEnd && start + text.length > cells.length) start = column + 1 - text.length;
    const end = start + text.length;
    if (start < 0 || end > cells.length) return;
    for (let c = Math.max(0, start - 1); c < Math.min(cells.length, end + 1); c++) if (taken[c]) return;
    for (let c = start; c < end; c++) {
      cells[c] = text[c - start] ?? ' ';
      taken[c] = true;
    }
  };
  const lastColumn = epochs.length - 1;
  const first = epochs[0];
  const last = epochs[lastColumn];
  if (first !== undefined) place(0, String(first), false);
  if (last !== undefined && lastColumn > 0) place(lastColumn, String(last), true);
  epochs.forEach((epoch, column) => {
    if (column > 0 && column < lastColumn && epoch % 10 === 0) place(column, String(epoch), false);
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

/** Keras-like 4 decimals; scientific with as many digits as fit when tiny or huge. */
function formatValue(value: number, room: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const abs = Math.abs(value);
  if (abs === 0 || (abs >= 1e-3 && abs < 1e4)) {
    const fixed = value.toFixed(4);
    if (fixed.length <= room) return fixed;
  }
  for (let digits = 3; digits >= 0; digits--) {
    const text = value.toExponential(digits);
    if (text.length <= room) return text;
  }
  return value.toExponential(0).slice(0, room);
}

/** Display width of one code point: 0 for combining marks, 2 for East Asian wide and emoji. */
function codePointWidth(cp: number): number {
  if (cp === 0x200b || (cp >= 0x0300 && cp <= 0x036f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** Display width of a string without escape codes. */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += codePointWidth(char.codePointAt(0) ?? 0);
  return width;
}

/** Truncates to `room` display columns, ending in `…` when something was cut. */
function fit(text: string, room: number): string {
  if (displayWidth(text) <= room) return text;
  let out = '';
  let width = 0;
  for (const char of text) {
    const w = codePointWidth(char.codePointAt(0) ?? 0);
    if (width + w > room - 1) break;
    out += char;
    width += w;
  }
  return `${out}…`;
}

/** Pads to `room` display columns. */
function pad(text: string, room: number): string {
  return text + ' '.repeat(Math.max(0, room - displayWidth(text)));
}
