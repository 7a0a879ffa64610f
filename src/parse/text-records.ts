/**
 * The streaming line engine behind the readers of printed training logs that are not Keras: hand-written
 * loops (`epoch-lines`), Lightning's console, fastai tables, model-card tables and YOLOv5's console. Each
 * visible line is read once, as a table header, a table row (tab, pipe, comma or space separated, an R or
 * pandas index column dropped), a callback message, or named values (`line-tokens.ts`); the lines of one
 * epoch are merged into one record:
 * - a line with an epoch number opens the record of that epoch (or continues it: several lines of one
 *   epoch print the same number); a smaller number starts a new run, so does a table header printed again
 *   before a number that does not increase;
 * - progress lines (step counters, tqdm frames) update the record, the last frame wins; a record made of
 *   bars only counts when its last bar is at 100%;
 * - a line without an epoch number belongs to the open record when it sets no value the record already
 *   has and (after the run's first record) prints a name the previous record had; otherwise it is printed
 *   outside any record (a final evaluation, a summary) and reported, not counted;
 * - at the end of input, a record without a value every earlier record of its run had was cut by the end
 *   of the log: it is reported as truncated, never read as values.
 * Memory holds the current run's records.
 */
import type { Dataset, Dialect, Epoch, Event, MetricPhase, ParseIssue, Run } from '../model/index.js';
import { isValidationName, metricDirection, nameParts } from '../model/roles.js';
import { numericLiteral, readTolerant } from './json-tolerant.js';
import { findClassStatement, type ClassStatement } from './class-count.js';
import { cleanLine } from './keras-line.js';
import { readLine, type LineReading } from './line-tokens.js';
import { PARSE_LIMITS } from '../model/index.js';
import { shorten } from '../report/escape.js';
import { stepsOf } from './limits.js';
import type { TerminalLine } from './terminal.js';
import type { FormatReader, ReaderContext } from './types.js';

/** What a format adds to the engine. */
export interface TextEngineOptions {
  dialect: Dialect;
  ctx: ReaderContext;
  /** The phase of a table column whose name does not say it (fastai's and model cards' metric columns). */
  columnPhase?: (name: string, header: readonly string[]) => MetricPhase | null;
  /** Maps a line of the text fed in to a line of the original file (notebook stream outputs). */
  mapLine?: (line: number) => number;
}

interface OpenRecord {
  printed: number | null;
  of: number | null;
  values: Map<string, number>;
  /** Names set by a line that is not a progress line (a repeat of one starts a new record). */
  settled: Set<string>;
  step: number | null;
  steps: { done: number; total: number } | null;
  seconds: number | null;
  line: number;
  heldOutLine: number | null;
  bars: number;
  barFinal: boolean;
  /** Names that were printed but unreadable: the record still counts. */
  badNames: Set<string>;
}

interface RunState {
  /** The kept records: the epoch as built when its record closed, and the epoch number printed. */
  records: Array<{ epoch: Epoch; printed: number | null }>;
  /** Names of the run's last record (a line without an epoch number must print one of them). */
  lastNames: Set<string> | null;
  events: Array<{ event: Event; printed: number | null }>;
  datasets: Dataset[];
  phases: Map<string, MetricPhase>;
  /** The class count the log states for the run (`ClassStatement` with its line), or null. */
  classes: (ClassStatement & { line: number }) | null;
  firstPrinted: number | null;
  lastPrinted: number | null;
  /** The last step printed with an epoch: a table keyed by step does not restart when its epoch goes back. */
  lastStep: number | null;
  /** Names every record of the run had so far. */
  core: Set<string> | null;
  /** The records are evaluations at steps, not epochs. */
  stepAxis: boolean;
  fromLine: number;
  toLine: number;
}

interface Header {
  names: string[];
  line: number;
  epochColumn: number;
  stepColumn: number;
  timeColumn: number;
}

/** A table cell, read. */
type Cell =
  | { kind: 'number'; value: number }
  | { kind: 'frac'; a: number; b: number }
  | { kind: 'time'; seconds: number }
  | { kind: 'missing' }
  | { kind: 'text'; text: string };

const LR_MESSAGE =
  /reducing (?:lr|learning rate)(?: of group \d+)? to ([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)/i;
const EARLY_STOP = /early[ -]stopping/i;
/** scikit-learn's MLP: `Validation score did not improve more than tol=0.000100 for 10 consecutive epochs. Stopping.` */
const TOL_STOP =
  /^(?:Training loss|Validation score) did not improve more than tol=\S+ for \d+ consecutive epochs\. Stopping\.?$/;
const PRINTED_EPOCH = /\bEpoch\s+(\d+)/i;
const RULE_LINE = /^[\s─━═┏┓┗┛┡┩└┘├┤┬┴┼╇╈╋┳┻│┃|+\-=*_.]*$/;
const EVAL_TABLE = /^[│┃|\s]*(Validate|Validation|Test|Testing) metric[│┃|\s]+DataLoader/i;
const BOX_CHARS = /[│┃]/g;

/** Creates the engine as a `lines` reader. */
export function createTextRecordsReader(options: TextEngineOptions): FormatReader {
  const { ctx, dialect } = options;
  const mapLine = options.mapLine ?? ((line: number) => line);
  let runIndex = 0;
  let run: RunState | null = null;
  let open: OpenRecord | null = null;
  let candidate: Header | null = null;
  let active: Header | null = null;
  let tableStarted = false;
  let evalTable: { phase: 'validation' | 'test'; metrics: Map<string, number>; line: number } | null = null;
  const countedTotals = new Set<number>();
  /** The last class count the log stated (a banner before a run's first record belongs to that run). */
  let statedClasses: (ClassStatement & { line: number }) | null = null;

  const issue = (kind: ParseIssue['kind'], line: number | null, message: string): void => {
    ctx.onIssue({ kind, line, message });
  };

  const currentRun = (line: number): RunState => {
    if (run === null) {
      run = {
        records: [],
        lastNames: null,
        events: [],
        datasets: [],
        phases: new Map(),
        classes: statedClasses,
        firstPrinted: null,
        lastPrinted: null,
        lastStep: null,
        core: null,
        stepAxis: false,
        fromLine: line,
        toLine: line,
      };
    }
    run.toLine = Math.max(run.toLine, line);
    return run;
  };

  const valid = (rec: OpenRecord): boolean =>
    rec.values.size + rec.badNames.size > 0 && (rec.bars === 0 || rec.barFinal || rec.settled.size > 0);

  const closeRecord = (atEnd: boolean): void => {
    const rec = open;
    open = null;
    if (rec === null) return;
    const r = currentRun(rec.line);
    const names = new Set([...rec.values.keys(), ...rec.badNames]);
    const missing = r.core === null ? [] : [...r.core].filter((n) => !names.has(n));
    const label = rec.printed === null ? 'a record' : `epoch ${rec.printed}`;
    if (!valid(rec)) {
      if (rec.bars > 0) {
        issue(
          atEnd ? 'truncated-epoch' : 'incomplete-epoch',
          rec.line,
          `${label} has no final progress frame${atEnd ? ' before the log ends' : ''}: not counted`,
        );
      }
      return;
    }
    if (atEnd && missing.length > 0) {
      issue(
        'truncated-epoch',
        rec.line,
        `the log ends inside ${label}: ${missing.slice(0, 3).join(', ')} never printed; not counted`,
      );
      return;
    }
    if (!ctx.limits.keep(rec.values.size)) return;
    const epoch = toEpoch(rec, r, r.records.length, false);
    r.records.push({ epoch, printed: rec.printed });
    r.lastNames = names;
    // names printed by progress lines only (step losses) do not say that a record is whole
    const whole = rec.settled.size > 0 ? new Set([...rec.settled, ...rec.badNames]) : names;
    r.core = r.core === null ? whole : new Set([...r.core].filter((n) => whole.has(n)));
    if (ctx.onEpoch !== undefined) ctx.onEpoch({ ...epoch }, runIndex);
  };

  const finishRun = (): void => {
    closeRecord(false);
    const r = run;
    run = null;
    if (r === null) return;
    if (r.records.length === 0) return;
    ctx.onRun(buildRun(r, runIndex, dialect, ctx.file, issue));
    runIndex += 1;
  };

  const startRecord = (reading: Reading, line: number): void => {
    const printed = reading.epoch?.value ?? null;
    const step = reading.step?.done ?? null;
    const r0 = run;
    const stepGoesOn =
      step !== null && r0?.lastStep !== null && r0?.lastStep !== undefined && step > r0.lastStep;
    if (
      r0 !== null &&
      printed !== null &&
      r0.lastPrinted !== null &&
      !stepGoesOn &&
      (printed < r0.lastPrinted || (tableStarted && printed <= r0.lastPrinted))
    ) {
      finishRun();
    }
    tableStarted = false;
    const r = currentRun(line);
    if (printed !== null) {
      r.firstPrinted ??= printed;
      r.lastPrinted = printed;
    }
    if (step !== null) r.lastStep = step;
    open = {
      printed,
      of: reading.epoch?.of ?? null,
      values: new Map(),
      settled: new Set(),
      step: null,
      steps: null,
      seconds: null,
      line,
      heldOutLine: null,
      bars: 0,
      barFinal: false,
      badNames: new Set(),
    };
  };

  const merge = (rec: OpenRecord, reading: Reading, line: number, progress: boolean): void => {
    let twice: Set<string> | null = null;
    let dropped = 0;
    for (const p of reading.pairs) {
      const name = ctx.limits.name(p.name, line);
      if (name === null) continue;
      if (p.value === null) {
        if (p.bad !== null) {
          rec.badNames.add(name);
          issue(
            'bad-value',
            line,
            `${shorten(name, 200)} is ${JSON.stringify(shorten(p.bad, 60))}, not a number: left out`,
          );
        }
        continue;
      }
      if (!rec.values.has(name) && rec.values.size >= PARSE_LIMITS.valuesPerRecord) {
        dropped += 1;
        continue;
      }
      if (reading.pairs.length > 1 && (twice ??= new Set()).has(name)) {
        issue(
          'duplicate-metric',
          line,
          `${shorten(name, 80)} is printed twice in one line: the later value is kept`,
        );
      }
      twice?.add(name);
      rec.values.set(name, p.value);
      if (p.phase !== undefined) currentRun(line).phases.set(name, p.phase);
      if (!progress) rec.settled.add(name);
      if (isValidationName(name)) rec.heldOutLine = line;
    }
    if (dropped > 0) ctx.limits.tooManyValues(line, dropped);
    if (reading.step !== null) {
      rec.step = reading.step.done;
      if (reading.step.total !== null) rec.steps = stepsOf(reading.step.done, reading.step.total);
    }
    if (reading.bar !== null) {
      rec.bars += 1;
      rec.barFinal = reading.bar.done >= reading.bar.total;
      rec.steps = stepsOf(reading.bar.done, reading.bar.total);
    }
    // a step line's time is the step's (timm's `Time: 0.3s`), not the epoch's
    if (reading.seconds !== null && reading.step === null) rec.seconds = reading.seconds;
    if (reading.epoch?.of !== null && reading.epoch?.of !== undefined) rec.of = reading.epoch.of;
    rec.line = line;
    const r = currentRun(line);
    for (const c of reading.counts) {
      if (!countedTotals.has(c.total) && isValidationName(c.name)) {
        countedTotals.add(c.total);
        r.datasets.push({
          source: 'counted',
          role: 'validation',
          count: c.total,
          unit: 'samples',
          classes: null,
          line,
        });
      }
    }
    for (const [name, phase] of reading.phases) r.phases.set(name, phase);
  };

  const conflicts = (rec: OpenRecord, reading: Reading): boolean =>
    reading.pairs.some((p) => rec.settled.has(p.name));

  const onReading = (reading: Reading, line: number): void => {
    if (reading.evalStep !== undefined) {
      onEvaluation(reading, reading.evalStep, line);
      return;
    }
    const progress = reading.step !== null || (reading.bar !== null && reading.bar.done < reading.bar.total);
    const hasValues = reading.pairs.length > 0;
    if (reading.epoch !== null) {
      const rec = open;
      if (rec !== null && rec.printed === reading.epoch.value && !tableStarted) {
        if (!progress && reading.bar === null && conflicts(rec, reading)) {
          // the same epoch printed again with the same values: a resumed training (both kept)
          closeRecord(false);
          startRecord(reading, line);
        }
      } else {
        closeRecord(false);
        startRecord(reading, line);
      }
      const now = open;
      if (now !== null) merge(now, reading, line, progress || reading.bar !== null);
      return;
    }
    if (!hasValues && reading.bar === null) return;
    const rec = open;
    const r = run;
    if (rec === null || r === null) {
      if (r !== null) orphan(reading, line);
      else if (runIndex === 0) noteNonFinite(reading, line);
      return;
    }
    const previous = r.lastNames;
    const recurring = previous === null || reading.pairs.some((p) => previous.has(p.name));
    if (!conflicts(rec, reading) && recurring) {
      merge(rec, reading, line, progress);
      return;
    }
    orphan(reading, line);
  };

  /** An evaluation at a step (TF Estimator): a record of its own, numbered in order, on the step axis. */
  const onEvaluation = (reading: Reading, step: number, line: number): void => {
    closeRecord(false);
    const r0 = run;
    if (r0 !== null && r0.lastStep !== null && step <= r0.lastStep) finishRun();
    const r = currentRun(line);
    r.stepAxis = true;
    r.lastStep = step;
    startRecord({ ...reading, epoch: null, step: null }, line);
    const rec = open;
    if (rec === null) return;
    merge(rec, reading, line, false);
    rec.step = step;
  };

  /** Losses printed non-finite on lines before any record (said at the end when no record ever came). */
  const nonFinite: Array<{ metric: string; value: number; line: number }> = [];
  const noteNonFinite = (reading: Reading, line: number): void => {
    for (const p of reading.pairs) {
      if (p.value === null || Number.isFinite(p.value) || !/loss/i.test(p.name)) continue;
      if (nonFinite.length < PARSE_LIMITS.issuesPerKind)
        nonFinite.push({ metric: p.name, value: p.value, line });
    }
  };

  let lastOrphan = -2;
  /** Values outside any record are said when they look like metrics (not version numbers or sizes). */
  const orphan = (reading: Reading, line: number): void => {
    if (!reading.pairs.some((p) => metricDirection(p.name) !== null)) return;
    if (lastOrphan !== line - 1) {
      issue(
        'orphan-metrics',
        line,
        'values printed outside any epoch record (a summary or a final evaluation): not counted',
      );
    }
    lastOrphan = line;
  };

  const onMessage = (text: string, line: number): boolean => {
    // cheap tests first: most lines are neither message
    if (!text.includes('educing') && !text.includes('arly') && !text.includes('Stopping')) return false;
    const lr = LR_MESSAGE.exec(text);
    const early = lr === null && (EARLY_STOP.test(text) || TOL_STOP.test(text));
    if (lr === null && !early) return false;
    // an LR message names its epoch; `No improvement since epoch 0: early stopping` names the best one
    const printedMatch = lr === null ? null : PRINTED_EPOCH.exec(text);
    const printed = printedMatch === null || printedMatch === undefined ? null : Number(printedMatch[1]);
    const r = currentRun(line);
    const event: Event = lr
      ? { kind: 'lr-reduced', epoch: null, lr: Number(lr[1]), line }
      : { kind: 'early-stopping', epoch: null, line };
    r.events.push({ event, printed: printed ?? open?.printed ?? r.lastPrinted });
    return true;
  };

  const onEvalTableLine = (text: string, line: number): boolean => {
    const t = evalTable;
    if (t === null) {
      if (!text.includes(' metric')) return false;
      const m = EVAL_TABLE.exec(text);
      if (m === null) return false;
      evalTable = { phase: /^test/i.test(m[1] ?? '') ? 'test' : 'validation', metrics: new Map(), line };
      return true;
    }
    if (RULE_LINE.test(text)) {
      if (t.metrics.size > 0) endEvalTable();
      return true;
    }
    const cells = text.replace(BOX_CHARS, ' ').trim().split(/\s+/);
    const v = cells.length === 2 ? numericLiteral(cells[1] ?? '') : null;
    if (v === null || cells[0] === undefined) {
      endEvalTable();
      return false;
    }
    t.metrics.set(cells[0], v);
    return true;
  };

  const endEvalTable = (): void => {
    const t = evalTable;
    evalTable = null;
    if (t === null || t.metrics.size === 0) return;
    const r = currentRun(t.line);
    r.events.push({
      event: {
        kind: 'evaluation',
        epoch: null,
        line: t.line,
        phase: t.phase,
        metrics: Object.fromEntries(t.metrics),
      },
      printed: r.lastPrinted,
    });
  };

  /** The held-out phase label of the last line read (`Test` of `Test: [190/196] ...`), or null. */
  let lastLabel: string | null = null;
  let iouType = '';
  const onLine = (tl: TerminalLine): void => {
    const line = mapLine(tl.line);
    const text = cleanLine(tl.text);
    if (text.length === 0) return;
    const stated = findClassStatement(text);
    if (stated !== null) {
      statedClasses = { ...stated, line };
      // before the run's first record, or the first one printed inside a run that had none
      if (run !== null && (run.records.length === 0 || run.classes === null)) run.classes = statedClasses;
    }
    if (onEvalTableLine(text, line)) return;
    if (onMessage(text, line)) return;
    const table = tableReading(text, line, !tl.terminated && !tl.continues);
    if (table !== null) {
      if (table.kind === 'reading') onReading(table.reading, line);
      return;
    }
    // ` * Acc@1 76.130 Acc@5 92.862` (pytorch/examples imagenet): the summary of the evaluation block
    // printed just before it, named by that block's label
    const summaryOf = text.startsWith('* ') && lastLabel !== null ? lastLabel : null;
    const kv = readLine(summaryOf === null ? text : `${summaryOf}: ${text.slice(2)}`);
    // pycocotools prints `IoU metric: segm` before the summary of each IoU type
    if (text.startsWith('IoU metric: ')) iouType = text.slice(12).trim();
    else if (iouType !== '' && kv.pairs.length > 0 && text.startsWith('Average ')) {
      for (const p of kv.pairs) p.name = `${iouType} ${p.name}`;
    }
    lastLabel = kv.labelPhase !== undefined && !isTrainWord(kv.labelPhase) ? kv.labelPhase : null;
    onReading({ ...kv, phases: new Map() }, line);
  };

  /** The line as a table header or row; null when it is neither. */
  const tableReading = (
    text: string,
    line: number,
    atEnd: boolean,
  ): { kind: 'header' } | { kind: 'reading'; reading: Reading } | { kind: 'skip' } | null => {
    if (isMarkdownRule(text)) return candidate !== null ? { kind: 'skip' } : null;
    // `name: value` and `name=value` lines are not tables (a markdown row may hold `{'acc': 0.9}`, a
    // YOLOv5 header ends in `mAP@.5:.95: 100%|`)
    if (
      text.charCodeAt(0) !== 124 &&
      (text.includes(': ') || text.includes('=')) &&
      !text.includes('%|') &&
      !text.includes('\t')
    ) {
      return null;
    }
    const split = splitCells(text);
    if (split.cells.length < 2) return null;
    const cells = split.cells.map(readCell);
    void line;
    const values = cells.filter((c) => c.kind !== 'text').length;
    const texts = cells.length - values;
    if (texts === cells.length) {
      const names = split.cells.map(stripDecoration);
      if (
        names.every(isHeaderName) &&
        (split.sep !== 'space' || names.length >= 3 || looksLikeColumns(names))
      ) {
        candidate = headerOf(names, line);
        return { kind: 'header' };
      }
      return null;
    }
    const numericRow = values >= 2 && (texts === 0 || (texts === 1 && cells[0]?.kind === 'text'));
    if (!numericRow) return null;
    for (const header of [candidate, active]) {
      if (header === null) continue;
      const aligned = align(header, split.cells.length, cells);
      if (aligned === null) continue;
      if (header !== active) {
        // a header printed (again): the next epoch number that does not increase starts a new run
        active = header;
        tableStarted = true;
      }
      return { kind: 'reading', reading: withBar(rowReading(header, aligned), split.bar) };
    }
    if (active !== null && (atEnd || candidate === active)) {
      const shortRow = split.cells.length < active.names.length;
      if (atEnd && shortRow) {
        issue(
          'truncated-epoch',
          line,
          'the log ends inside a table row: its missing cells are not read as values',
        );
      } else {
        issue(
          'unparsed-epoch-line',
          line,
          `a table row with ${split.cells.length} cells under a header of ${active.names.length}: not read`,
        );
      }
      return { kind: 'skip' };
    }
    if (split.sep !== 'comma' && cells.length >= 3 && isIndex(cells[0]) && texts === 0) {
      // a table row without a header: the first column counts epochs, the others are unnamed
      const names = cells.map((_, i) => (i === 0 ? 'epoch' : `col${i + 1}`));
      return { kind: 'reading', reading: rowReading(headerOf(names, line), cells) };
    }
    return null;
  };

  const rowReading = (header: Header, cells: Cell[]): Reading => {
    const reading: Reading = {
      pairs: [],
      epoch: null,
      step: null,
      bar: null,
      seconds: null,
      counts: [],
      strayWords: 0,
      phases: new Map(),
    };
    header.names.forEach((name, i) => {
      const cell = cells[i];
      if (cell === undefined) return;
      if (i === header.epochColumn) {
        if (cell.kind === 'number') reading.epoch = { value: cell.value, of: null };
        else if (cell.kind === 'frac') reading.epoch = { value: cell.a, of: cell.b };
        return;
      }
      if (i === header.stepColumn && cell.kind === 'number') {
        reading.step = { done: cell.value, total: null };
        return;
      }
      if (i === header.timeColumn) {
        if (cell.kind === 'time') reading.seconds = cell.seconds;
        else if (cell.kind === 'number') reading.seconds = cell.value;
        return;
      }
      if (cell.kind === 'number') {
        reading.pairs.push({ name, value: cell.value, bad: null });
        const phase = options.columnPhase?.(name, header.names) ?? null;
        if (phase !== null) reading.phases.set(name, phase);
      } else if (cell.kind === 'text' && i > 0) {
        reading.pairs.push({ name, value: null, bad: cell.text });
      }
    });
    // a row of a table with a step column but no epoch column is still a record (`Step | Training Loss`)
    if (reading.epoch === null && header.epochColumn < 0 && header.stepColumn >= 0 && reading.step !== null) {
      reading.epoch = { value: reading.step.done, of: null };
      reading.step = { done: reading.step.done, total: null };
    }
    return reading;
  };

  return {
    kind: 'lines',
    line: onLine,
    end() {
      endEvalTable();
      closeRecord(true);
      finishRun();
      // no record at all, yet a loss went non-finite: that is worth more than "no epoch found"
      if (runIndex === 0) {
        for (const v of nonFinite) {
          const shown = Number.isNaN(v.value) ? 'nan' : v.value > 0 ? 'inf' : '-inf';
          ctx.onIssue({
            kind: 'nonfinite-unnumbered',
            line: v.line,
            message: `${shorten(v.metric, 200)} is ${shown} on a line without an epoch number`,
            metric: v.metric,
          });
        }
      }
      return { fatal: null };
    },
  };
}

function isTrainWord(word: string): boolean {
  return nameParts(`${word} x`).phase === 'train';
}

/** A reading of either kind, with the phases a table column declares. */
type Reading = LineReading & { phases: Map<string, MetricPhase> };

function headerOf(names: string[], line: number): Header {
  const lower = names.map((n) => n.toLowerCase());
  return {
    names,
    line,
    epochColumn: lower.findIndex((n) => n === 'epoch' || n === 'epochs' || n === 'ep' || n === 'epoch_num'),
    stepColumn: lower.findIndex(
      (n) => n === 'step' || n === 'steps' || n === 'global_step' || n === 'iteration',
    ),
    timeColumn: lower.findIndex(
      (n) => n === 'time' || n === 'epoch_time' || n === 'duration' || n === 'elapsed',
    ),
  };
}

/** Cells of a row aligned to the header: same count, or one more (an R/pandas row index, dropped). */
function align(header: Header, count: number, cells: Cell[]): Cell[] | null {
  if (count === header.names.length) return cells;
  if (count === header.names.length + 1 && isIndex(cells[0])) return cells.slice(1);
  return null;
}

function isIndex(cell: Cell | undefined): boolean {
  return cell?.kind === 'number' && Number.isInteger(cell.value) && cell.value >= 0;
}

/** `|:---:|:----|` under a markdown header. */
function isMarkdownRule(text: string): boolean {
  if (!text.startsWith('|') && !text.startsWith(':-') && !text.startsWith('--')) return false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (!(c === 124 || c === 58 || c === 45 || c === 32)) return false;
  }
  return text.includes('-');
}

/** Cells by the line's separator: tabs, markdown pipes, commas (a names-only line), or runs of spaces. */
interface Split {
  cells: string[];
  sep: 'tab' | 'pipe' | 'comma' | 'space';
  /** The percent of a progress bar drawn after the last column (YOLOv5), or null. */
  bar: number | null;
}

function splitCells(text: string): Split {
  if (text.includes('\t')) {
    const cells = text.split('\t').map((c) => c.trim());
    while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
    return { cells, sep: 'tab', bar: null };
  }
  const t = text.trim();
  if (t.startsWith('|') && t.length > 1) {
    // a markdown row; a row cut by the end of the log has no closing pipe
    const inner = t.endsWith('|') ? t.slice(1, -1) : t.slice(1);
    return { cells: inner.split('|').map((c) => c.trim()), sep: 'pipe', bar: null };
  }
  if (t.includes(',') && !t.includes(' ') && !t.includes(':')) {
    // `*******train_loss,train_acc,valid_loss,valid_ac**********`
    return {
      cells: stripDecoration(t)
        .split(',')
        .map((c) => c.trim()),
      sep: 'comma',
      bar: null,
    };
  }
  const cells: string[] = [];
  let start = -1;
  for (let i = 0; i <= t.length; i += 1) {
    const space = i === t.length || t.charCodeAt(i) === 32;
    if (!space && start < 0) start = i;
    else if (space && start >= 0) {
      cells.push(t.slice(start, i));
      start = -1;
    }
  }
  // YOLOv5 draws the bar after the last column (`1280: 100%|###| 213/213 [...]`) and after the header
  const at = cells.findIndex((c, i) => i > 0 && isPercentCell(c));
  if (at < 0) return { cells, sep: 'space', bar: null };
  const kept = cells.slice(0, at);
  const last = kept[kept.length - 1];
  if (last !== undefined && last.endsWith(':')) kept[kept.length - 1] = last.slice(0, -1);
  return { cells: kept, sep: 'space', bar: Number.parseInt(cells[at] ?? '0', 10) };
}

/** `100%|###`, `45%`: the start of a bar. */
function isPercentCell(cell: string): boolean {
  let i = 0;
  while (i < cell.length && cell.charCodeAt(i) >= 48 && cell.charCodeAt(i) <= 57) i += 1;
  return i > 0 && cell.charCodeAt(i) === 37 && (i + 1 === cell.length || cell.charCodeAt(i + 1) === 124);
}

/** A row drawn with a bar is a progress frame until the bar is full. */
function withBar(reading: Reading, percent: number | null): Reading {
  if (percent !== null) reading.bar = { percent, done: percent, total: 100 };
  return reading;
}

/** Header decoration: `*******train_loss`, `valid_ac**********`, `┃ name ┃`. */
function stripDecoration(text: string): string {
  let start = 0;
  let end = text.length;
  const deco = (c: number): boolean => c === 42 || c === 61 || c === 32 || c === 0x2503 || c === 0x2502;
  while (start < end && deco(text.charCodeAt(start))) start += 1;
  while (end > start && deco(text.charCodeAt(end - 1))) end -= 1;
  return text.slice(start, end);
}

function isHeaderName(name: string): boolean {
  if (name.length === 0 || name.length > 80) return false;
  const c = name.charCodeAt(0);
  if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 35)) return false;
  if (
    name.includes(': ') ||
    name.includes('=') ||
    name.endsWith(':') ||
    name.endsWith('.') ||
    name.endsWith(',')
  ) {
    return false;
  }
  // `Epoch:240` is a value, `mAP@.5:.95` a name
  const colon = name.indexOf(':');
  return colon < 0 || !/[-\d]/.test(name.charAt(colon + 1));
}

/** Space-separated names look like columns when one of them is a metric-ish identifier (`train_loss`, `box`). */
function looksLikeColumns(names: string[]): boolean {
  return names.some((n) => n.includes('_') || /^(?:epoch|loss|acc|accuracy|time|step)$/i.test(n));
}

const TIME_CELL = /^(?:(\d+):)?(\d{1,2}):(\d{2})$/;
const GLUED_UNIT = /^([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(%|s|ms|G|GB|M|MB|K|KB|x)$/;
const MISSING_CELLS = new Set(['', '-', 'na', 'n/a', 'none', 'null', 'no log', 'nan%']);

function readCell(text: string): Cell {
  const t = text.trim();
  if (MISSING_CELLS.has(t.toLowerCase())) return { kind: 'missing' };
  const n = numericLiteral(t);
  if (n !== null) return { kind: 'number', value: n };
  if (t.length <= 40) {
    const glued = GLUED_UNIT.exec(t);
    if (glued !== null) return { kind: 'number', value: Number(glued[1]) };
    const time = TIME_CELL.exec(t);
    if (time !== null) {
      return { kind: 'time', seconds: Number(time[1] ?? 0) * 3600 + Number(time[2]) * 60 + Number(time[3]) };
    }
    const slash = t.indexOf('/');
    if (slash > 0) {
      const a = numericLiteral(t.slice(0, slash));
      const b = numericLiteral(t.slice(slash + 1));
      if (a !== null && b !== null) return { kind: 'frac', a, b };
    }
  }
  if ((t.startsWith('{') && t.endsWith('}')) || t.startsWith('tensor(')) {
    // `{'accuracy': 0.9085}` (a model card of a compute_metrics returning evaluate's dicts), `tensor(0.9)`
    const read = readTolerant(t);
    if (read.ok) {
      const node = read.value;
      if (node.kind === 'number') return { kind: 'number', value: node.value };
      if (node.kind === 'object' && node.entries.length === 1) {
        const inner = node.entries[0]?.value;
        if (inner?.kind === 'number') return { kind: 'number', value: inner.value };
      }
    }
  }
  return { kind: 'text', text: t };
}

function toEpoch(rec: OpenRecord, r: RunState, index: number, final: boolean): Epoch {
  void final;
  const offset = offsetOf(r);
  const printed = rec.printed;
  const whole = printed !== null && Number.isInteger(printed) && printed + offset >= 1;
  const epoch = whole ? printed + offset : index + 1;
  return {
    epoch,
    of: rec.of === null ? null : rec.of + offset >= 1 ? rec.of + offset : null,
    metrics: Object.fromEntries(rec.values),
    steps: rec.steps,
    countUnit: rec.steps === null ? null : 'step',
    seconds: rec.seconds,
    stepTime: null,
    step: rec.step,
    epochValue: printed !== null && (!whole || offset !== 0) ? printed : null,
    line: rec.heldOutLine ?? rec.line,
  };
}

function offsetOf(r: RunState): number {
  return r.firstPrinted === 0 ? 1 : 0;
}

type IssueSink = (kind: ParseIssue['kind'], line: number | null, message: string) => void;

function buildRun(r: RunState, index: number, dialect: Dialect, file: string | null, issue: IssueSink): Run {
  const fractional = r.records.some(
    ({ printed }) => printed !== null && (!Number.isInteger(printed) || printed + offsetOf(r) < 1),
  );
  const epochs: Epoch[] = [];
  let previous: number | null = null;
  r.records.forEach(({ epoch: e, printed }, i) => {
    if (fractional) {
      e.epoch = i + 1;
      e.epochValue = printed;
    }
    if (previous !== null && e.epoch <= previous) {
      issue(
        'duplicate-epoch',
        e.line,
        `epoch ${e.epoch} appears again in the same run; both are kept in order`,
      );
    }
    previous = e.epoch;
    epochs.push(e);
  });
  const offset = offsetOf(r);
  const events: Event[] = r.events.map(({ event, printed }) => {
    const epoch = printed === null ? null : Number.isInteger(printed) ? printed + offset : null;
    return { ...event, epoch: epoch !== null && epoch >= 1 ? epoch : null };
  });
  let fromLine = r.fromLine;
  let toLine = r.toLine;
  for (const record of [...epochs, ...events, ...r.datasets]) {
    fromLine = Math.min(fromLine, record.line);
    toLine = Math.max(toLine, record.line);
  }
  const hasSteps = epochs.some((e) => e.step !== null && e.step !== undefined);
  const run: Run = {
    index,
    epochs,
    events,
    datasets: r.datasets,
    axis: r.stepAxis || (fractional && hasSteps) ? 'step' : fractional ? 'evaluation' : 'epoch',
    source: { dialect, file, fromLine, toLine },
  };
  if (r.phases.size > 0) run.phases = Object.fromEntries(r.phases);
  if (r.classes !== null)
    run.classes = { count: r.classes.count, text: r.classes.text, line: r.classes.line };
  return run;
}
