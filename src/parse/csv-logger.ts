import {
  PARSE_LIMITS,
  type Dialect,
  type Epoch,
  type MetricPhase,
  type ParseIssue,
  type Run,
} from '../model/index.js';
import { shorten } from '../report/escape.js';
import {
  cellOf,
  clockSeconds,
  createLineSplitter,
  dropTrailingEmpty,
  hasUnclosedQuote,
  MISSING,
  splitFields,
} from './csv-fields.js';
import { numericLiteral } from './json-tolerant.js';
import { createInputLimits, type InputLimits } from './limits.js';
import { csvHeader, firstLines } from './sniff.js';
import type {
  FormatReader,
  ParseOptions,
  ParseResult,
  ReaderContext,
  ReaderEntry,
  SniffHead,
} from './types.js';

export { cellOf, splitFields, type Cell } from './csv-fields.js';

/** A header line: its separator, its column names as printed, and where the epoch index sits. */
export interface Header {
  line: number;
  separator: string;
  names: string[];
  /** Column holding the 0-based epoch index (`epoch`, or a pandas index column); null when absent. */
  epochColumn: number | null;
  /**
   * The name each column's values are kept under (interned); null for a column that is not read (a name
   * longer than the limit, columns past the per-record limit).
   */
  keys: (string | null)[];
  /** The header's quote is never closed: its quotes are read as characters, rows too. */
  literalQuotes: boolean;
  /** Column holding the time (`time`); null when absent. How it is read is the dialect's rule. */
  timeColumn: number | null;
}

/**
 * What a CSV dialect knows that its header does not say.
 * - `epochBase`: how the epoch column counts. `csv-logger`: from 0 (Keras' CSVLogger, pandas indexes),
 *   except that a first value of 1 in a table without a `loss` column (not Keras, which always logs
 *   `loss`) is read as 1-based; either way a first value of 1 is an `ambiguous` issue. `first-value`:
 *   0-based when the first value is 0, else 1-based, silently (Ultralytics wrote `self.epoch` before
 *   8.1 and `self.epoch + 1` since).
 * - `time`: the `time` column. `clock-only`: clock cells (`01:23`) are the epoch's seconds, numbers stay a
 *   metric; `per-epoch`: the epoch's seconds, clock or number (fastai's `format_time`); `cumulative`:
 *   seconds since training started (Ultralytics 8.3+), read as the difference from the previous row.
 * - `phase`: the phase of a column whose name does not say it (fastai's metrics are validation metrics).
 */
export interface CsvRules {
  epochBase: 'csv-logger' | 'first-value';
  time: 'clock-only' | 'per-epoch' | 'cumulative';
  phase?: (name: string) => MetricPhase | null;
}

const CSV_LOGGER_RULES: CsvRules = { epochBase: 'csv-logger', time: 'clock-only' };

/** The run being filled. */
interface OpenRun {
  header: Header;
  fromLine: number;
  toLine: number;
  epochs: Epoch[];
  /** Raw value of the last epoch cell, to see the column go back (an appended resume). */
  lastEpochValue: number | null;
  /** Data rows seen, including skipped ones; numbers the epochs of a CSV without an epoch column. */
  rows: number;
  /** Added to an epoch value to make it 1-based (1 or 0); null until the run's first row. */
  offset: number | null;
  /** The previous row's cumulative time (`cumulative` rule). */
  lastTime: number | null;
}

// Separators tried, in order of preference on a tie, when the header does not start with `epoch`.
const COMMON_SEPARATORS = [',', ';', '\t', '|'];

/**
 * Parses Keras `CSVLogger` output (and look-alike CSVs) into runs of dialect `csv-logger`.
 *
 * Behaviour a caller relies on:
 * - Lines are counted by `\n` (`\r\n` and `\r\r\n` end one line); a file without any `\n` is split on
 *   `\r`. `Epoch.line` is the row's 1-based line; blank lines are skipped.
 * - The separator is sniffed from the header: the character after a leading `epoch`, the first character
 *   of a header with an unnamed first column (pandas `to_csv` index), else the most frequent of
 *   `,` `;` tab `|`. Fields are trimmed and may be double-quoted (`""` inside quotes is a quote).
 * - The `epoch` column (any position, any case) and a pandas index column (empty name or `Unnamed: 0`)
 *   are 0-based: `Epoch.epoch = value + 1`. A first epoch value of 1 adds one `ambiguous` issue (a
 *   1-based custom logger would be off by one). Without such a column the rows are epochs 1..n.
 * - A new run starts when the epoch value does not increase (an `append=True` resume) and at a second
 *   header line (which may change the columns and the separator).
 * - `NA`, `None`, `null` and empty cells omit the metric for that epoch; `nan`/`inf`/`-inf`/`NaN`/
 *   `Infinity` are kept as NaN/±Infinity; NumPy/TensorFlow wrappers (`np.float32(0.5)`) are unwrapped;
 *   anything else (a quoted list `"[0.1, 0.2]"`) is a `bad-value` issue and the metric is omitted.
 * - A row whose field count differs from its header is a `malformed-input` issue and the epoch is skipped;
 *   so is a row whose epoch cell is not a non-negative integer (`bad-value`).
 * - No data rows at all gives zero runs and a `no-epochs` issue; a first line that is not a header gives
 *   zero runs and a `malformed-input` issue. Never throws.
 */
export function parseCsvLogger(
  text: string,
  options: ParseOptions & { dialect?: Dialect; rules?: CsvRules },
): ParseResult {
  const runs: Run[] = [];
  const issues: ParseIssue[] = [];
  const reader = createCsvReader({
    file: options.file,
    dialect: options.dialect ?? 'csv-logger',
    rules: options.rules ?? CSV_LOGGER_RULES,
    onRun: (run) => runs.push(run),
    onIssue: (issue) => issues.push(issue),
    limits: createInputLimits({ onIssue: (issue) => issues.push(issue), onExceeded: () => undefined }),
  });
  reader.write(text);
  reader.end();
  return { runs, issues };
}

/** A CSV: a header line of names, then a row (or a blank line) under it. */
function sniff(head: SniffHead): number {
  const [first, second] = firstLines(head, 2);
  const header = first === undefined ? null : csvHeader(first);
  if (header === null) return 0;
  if (second === undefined) return header.plain ? (head.complete ? 0.6 : 0.5) : 0;
  const split = splitFields(second, header.separator, header.unclosedQuote);
  const cells = dropTrailingEmpty(split, header.names.length);
  if (cells.length !== header.names.length) return header.plain ? 0.3 : 0;
  const numeric = cells.filter((c) => {
    const t = c.trim();
    return t === '' || MISSING.has(t.toLowerCase()) || numericLiteral(t) !== null;
  }).length;
  // tab-separated rows ending with a tab are the log.txt of a hand-written logger (the epoch-lines
  // reader's, which scores 0.8); a `.csv` name still makes them a CSV
  const loggerTable = split.length !== cells.length && header.separator === '\t';
  if (numeric >= cells.length / 2) return loggerTable ? 0.75 : 0.8;
  return header.plain ? 0.3 : 0;
}

/** The streaming reader of a CSV dialect (the CSV formats share this parser). */
export function csvReaderFor(dialect: Dialect, rules: CsvRules = CSV_LOGGER_RULES) {
  return (ctx: ReaderContext): FormatReader => {
    let runs = 0;
    let malformed: string | null = null;
    const reader = createCsvReader({
      file: ctx.file,
      dialect,
      rules,
      onRun: (run) => {
        runs += 1;
        ctx.onRun(run);
      },
      onIssue: (issue) => {
        if (issue.kind === 'malformed-input') malformed ??= issue.message;
        ctx.onIssue(issue);
      },
      limits: ctx.limits,
      ...(ctx.onEpoch ? { onEpoch: ctx.onEpoch } : {}),
    });
    return {
      kind: 'chars',
      write: (text) => reader.write(text),
      end() {
        reader.end();
        return { fatal: runs === 0 && malformed !== null ? malformed : null };
      },
    };
  };
}

export const csvLoggerReader: ReaderEntry = {
  dialect: 'csv-logger',
  aliases: ['csv'],
  binary: false,
  fileHint: /\.(?:csv|tsv)$/i,
  sniff,
  create: csvReaderFor('csv-logger'),
};

interface CsvReaderOptions {
  file: string | null;
  dialect: Dialect;
  rules: CsvRules;
  onRun(run: Run): void;
  onIssue(issue: ParseIssue): void;
  onEpoch?: (epoch: Epoch, run: number) => void;
  limits: InputLimits;
}

/** Reads CSV text as it comes: rows become epochs at once, a run is handed on when it ends. */
function createCsvReader(options: CsvReaderOptions): { write(text: string): void; end(): void } {
  let open: OpenRun | null = null;
  let headerLine: number | null = null;
  let stopped = false;
  let firstEpochSeen = false;
  /** The file's epoch offset, decided at its first epoch value (1: 0-based, 0: 1-based). */
  let fileOffset: number | null = null;
  let runIndex = 0;
  const { limits, rules } = options;
  let phases: Record<string, MetricPhase> | null = null;

  const issue = (kind: ParseIssue['kind'], line: number, message: string): void => {
    options.onIssue({ kind, line, message: `line ${line}: ${message}` });
  };

  const finishRun = (reason: 'header' | 'resume' | 'end'): void => {
    const run = open;
    open = null;
    if (run === null) return;
    if (run.epochs.length === 0) {
      if (reason === 'header' || runIndex > 0)
        issue('malformed-input', run.fromLine, 'no epochs under this header');
      return;
    }
    options.onRun({
      index: runIndex,
      epochs: run.epochs,
      events: [],
      datasets: [],
      ...(phases === null ? {} : { phases }),
      source: { dialect: options.dialect, file: options.file, fromLine: run.fromLine, toLine: run.toLine },
    });
    runIndex += 1;
  };

  const startHeader = (raw: string, lineNumber: number): void => {
    const header = readHeader(raw, lineNumber);
    if (header === null) {
      // Without names the columns mean nothing; one issue instead of one per row.
      issue('malformed-input', lineNumber, 'expected a header line (epoch,<metric names>), found a data row');
      stopped = true;
      return;
    }
    headerLine ??= lineNumber;
    describeHeader(header);
    phases = phasesOf(header);
    open = openRun(header, lineNumber);
  };

  /** The phases the dialect gives the columns whose names do not say theirs; null when none. */
  const phasesOf = (header: Header): Record<string, MetricPhase> | null => {
    if (rules.phase === undefined) return null;
    const out: Record<string, MetricPhase> = {};
    let any = false;
    header.keys.forEach((key, column) => {
      if (key === null || key === undefined || column === header.timeColumn) return;
      const phase = rules.phase?.(key) ?? null;
      if (phase === null) return;
      setPhase(out, key, phase);
      any = true;
    });
    return any ? out : null;
  };

  /** Says what the header makes the reader do: quotes read as characters, duplicate or long names, too many columns. */
  const describeHeader = (header: Header): void => {
    const line = header.line;
    if (header.literalQuotes) {
      issue(
        'malformed-input',
        line,
        'the header has a quote that is never closed: its quotes are read as characters',
      );
    }
    const firstColumn = new Map<string, number>();
    let dropped = 0;
    header.names.forEach((name, column) => {
      if (column === header.epochColumn) return;
      if (header.keys[column] === undefined) {
        dropped += 1;
        return;
      }
      const key = limits.name(name, line);
      header.keys[column] = key;
      if (key === null) return;
      const before = firstColumn.get(key);
      if (before !== undefined) {
        issue(
          'duplicate-metric',
          line,
          `column ${column + 1} repeats the name ${JSON.stringify(shorten(key, 80))} of column ${before + 1}: the later column's values are kept`,
        );
      }
      firstColumn.set(key, column);
    });
    if (dropped > 0) limits.tooManyValues(line, dropped);
  };

  const onLine = (raw: string, lineNumber: number, cut: boolean): void => {
    if (stopped || limits.exceeded() !== null) return;
    if (raw.trim() === '') return;
    if (cut) {
      issue('over-limit', lineNumber, 'a line longer than 16 MiB: not read');
      return;
    }
    const run = open;
    if (run === null) {
      startHeader(raw, lineNumber);
      return;
    }
    const { separator, literalQuotes } = run.header;
    let fields: string[];
    if (!literalQuotes && raw.includes('"') && hasUnclosedQuote(raw, separator)) {
      // the rest of the line would be one field: its quotes are read as characters, the row kept if it can be
      fields = splitFields(raw, separator, true);
      issue('malformed-input', lineNumber, 'a quote that is never closed: its quotes are read as characters');
    } else {
      fields = splitFields(raw, separator, literalQuotes);
    }
    fields = dropTrailingEmpty(fields, run.header.names.length);
    if (isHeaderLine(raw, fields)) {
      finishRun('header');
      startHeader(raw, lineNumber);
    } else {
      row(fields, lineNumber, run);
    }
  };

  const row = (fields: string[], lineNumber: number, run: OpenRun): void => {
    const header = run.header;
    const epochCell = header.epochColumn === null ? undefined : fields[header.epochColumn];
    const epochValue = epochCell === undefined ? null : epochIndexOf(epochCell);
    if (fields.length !== header.names.length) {
      skipRow(run, lineNumber);
      const which = epochValue === null ? 'epoch' : `epoch ${epochValue + 1}`;
      const counts = `${fields.length} fields where the header on line ${header.line} has ${header.names.length}`;
      issue('malformed-input', lineNumber, `${counts}; ${which} skipped`);
      return;
    }
    if (epochCell !== undefined && epochValue === null) {
      skipRow(run, lineNumber);
      issue(
        'bad-value',
        lineNumber,
        `epoch value ${JSON.stringify(shorten(epochCell, 40))} is not a 0-based index; epoch skipped`,
      );
      return;
    }
    const target = epochValue === null ? run : runFor(epochValue, lineNumber, run);
    target.rows++;
    target.toLine = lineNumber;
    const offset = target.offset ?? 1;
    const epoch = epochValue === null ? target.rows : epochValue + offset;
    const values = metrics(fields, header, lineNumber);
    if (!limits.keep(values.count)) return;
    const record = epochRecord(epoch, values.metrics, lineNumber);
    record.seconds = secondsOf(fields, header, target);
    // the value as written, when it is not the epoch itself (0-based)
    if (epochValue !== null && offset !== 0) record.epochValue = epochValue;
    target.epochs.push(record);
    options.onEpoch?.(record, runIndex);
  };

  /** The run a row with this epoch value belongs to: a value that does not increase starts a new one. */
  const runFor = (epochValue: number, lineNumber: number, run: OpenRun): OpenRun => {
    if (!firstEpochSeen) {
      firstEpochSeen = true;
      fileOffset = firstOffset(epochValue, run.header, lineNumber);
    }
    let target = run;
    if (run.lastEpochValue !== null && epochValue <= run.lastEpochValue) {
      finishRun('resume');
      target = openRun(run.header, lineNumber);
      open = target;
    }
    // a run that starts at 0 counts from 0 whatever the file's first run did
    target.offset ??= epochValue === 0 ? 1 : (fileOffset ?? 1);
    target.lastEpochValue = epochValue;
    return target;
  };

  /** How the file counts its epochs, from its first epoch value (see {@link CsvRules}). */
  const firstOffset = (epochValue: number, header: Header, lineNumber: number): number => {
    if (epochValue === 0) return 1;
    if (rules.epochBase === 'first-value') return 0;
    const named = header.names[header.epochColumn ?? 0]?.toLowerCase() === 'epoch';
    // A pandas index is 0-based by construction; only a column named `epoch` may be a 1-based custom one.
    if (epochValue !== 1 || !named) return 1;
    const keras = header.names.some((name) => name === 'loss');
    issue(
      'ambiguous',
      lineNumber,
      keras
        ? 'the epoch column starts at 1; read as 0-based (Keras CSVLogger), so epoch 2 comes first'
        : 'the epoch column starts at 1; read as 1-based (a custom logger; Keras CSVLogger counts from 0)',
    );
    return keras ? 1 : 0;
  };

  /** The epoch's seconds from the time column, by the dialect's rule; null when there are none. */
  const secondsOf = (fields: string[], header: Header, run: OpenRun): number | null => {
    if (header.timeColumn === null) return null;
    const text = fields[header.timeColumn] ?? '';
    const clock = clockSeconds(text);
    if (clock !== null) return clock;
    if (rules.time === 'clock-only') return null;
    const cell = cellOf(text);
    if (cell.kind !== 'number' || !Number.isFinite(cell.value) || cell.value < 0) return null;
    if (rules.time === 'per-epoch') return cell.value;
    const before = run.lastTime;
    run.lastTime = cell.value;
    // a time that goes back restarted its clock (a resumed training): the row's own value
    return before === null || cell.value < before ? cell.value : cell.value - before;
  };

  /** Whether the time column of this row is read as the epoch's time rather than as a metric. */
  const timeIsSeconds = (text: string): boolean => rules.time !== 'clock-only' || clockSeconds(text) !== null;

  const skipRow = (run: OpenRun, lineNumber: number): void => {
    run.rows++;
    run.toLine = lineNumber;
  };

  const metrics = (
    fields: string[],
    header: Header,
    lineNumber: number,
  ): { metrics: Record<string, number>; count: number } => {
    const out: Record<string, number> = {};
    let count = 0;
    for (let column = 0; column < header.names.length; column += 1) {
      const key = header.keys[column];
      if (column === header.epochColumn || key === null || key === undefined) continue;
      if (column === header.timeColumn && timeIsSeconds(fields[column] ?? '')) continue;
      const cell = cellOf(fields[column] ?? '');
      if (cell.kind === 'number') {
        if (!Object.hasOwn(out, key)) count += 1;
        setMetric(out, key, cell.value);
      } else if (cell.kind === 'bad') {
        issue('bad-value', lineNumber, `${shorten(key, 200)} is ${cell.what}, not a number; omitted`);
      }
    }
    return { metrics: out, count };
  };

  const splitter = createLineSplitter(onLine);
  return {
    write: (text) => splitter.write(text),
    end() {
      splitter.end();
      if (limits.exceeded() !== null) return;
      finishRun('end');
      if (runIndex === 0 && !stopped) {
        const message =
          headerLine === null ? 'empty input' : `no data rows after the header on line ${headerLine}`;
        options.onIssue({ kind: 'no-epochs', line: null, message });
      }
    },
  };
}

function openRun(header: Header, fromLine: number): OpenRun {
  return {
    header,
    fromLine,
    toLine: fromLine,
    epochs: [],
    lastEpochValue: null,
    rows: 0,
    offset: null,
    lastTime: null,
  };
}

function setPhase(phases: Record<string, MetricPhase>, name: string, phase: MetricPhase): void {
  Object.defineProperty(phases, name, { value: phase, enumerable: true, writable: true, configurable: true });
}

function epochRecord(epoch: number, metrics: Record<string, number>, line: number): Epoch {
  return { epoch, of: null, metrics, steps: null, countUnit: null, seconds: null, stepTime: null, line };
}

/** Defines the key as an own property, so a column named `__proto__` cannot touch the prototype. */
function setMetric(metrics: Record<string, number>, name: string, value: number): void {
  Object.defineProperty(metrics, name, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Splits on `\n`, dropping the `\r`s before it (`\r\n`, and `\r\r\n` from CSVLogger files opened in text
 * mode on Windows). Old-Mac files with `\r` only are split on `\r`.
 */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  const splitter = createLineSplitter((line, number) => {
    while (lines.length < number - 1) lines.push('');
    lines.push(line);
  });
  splitter.write(text);
  splitter.end();
  return lines;
}

/**
 * The header of a CSV: separator, names, the epoch column. Names past the per-record limit get no key
 * (`keys[i]` undefined: not read); the others are given keys by the reader.
 */
export function readHeader(raw: string, lineNumber: number): Header | null {
  const line = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  const separator = sniffSeparator(line.trim());
  const literalQuotes = hasUnclosedQuote(line, separator);
  const split = splitFields(line, separator, literalQuotes);
  // a separator after the last name (every line ends with one) is not a column
  const fields = split.length > 2 && split[split.length - 1] === '' ? split.slice(0, -1) : split;
  if (!isHeaderFields(fields)) return null;
  let epochColumn: number | null = fields.findIndex((name) => name.toLowerCase() === 'epoch');
  if (epochColumn < 0) epochColumn = isIndexName(fields[0] ?? 'x') ? 0 : null;
  const names = fields.map((name, column) =>
    name === '' && column !== epochColumn ? `column ${column + 1}` : name,
  );
  const keys: (string | null)[] = [];
  let kept = 0;
  for (let column = 0; column < names.length; column += 1) {
    if (column === epochColumn) {
      keys.push(null);
      continue;
    }
    kept += 1;
    // past the per-record limit a column is not read: left as a hole (undefined) the reader reports
    if (kept <= PARSE_LIMITS.valuesPerRecord) keys.push(names[column] ?? null);
    else keys.length += 1;
  }
  const time = fields.findIndex((name, column) => column !== epochColumn && name.toLowerCase() === 'time');
  return {
    line: lineNumber,
    separator,
    names,
    epochColumn,
    keys,
    literalQuotes,
    timeColumn: time < 0 ? null : time,
  };
}
/** pandas writes its index column with an empty name; a re-saved frame calls it `Unnamed: 0`. */
function isIndexName(name: string): boolean {
  return name === '' || name === 'Unnamed: 0';
}

/** The separator of a header line (already trimmed); see {@link parseCsvLogger}. */
function sniffSeparator(header: string): string {
  if (
    header.slice(0, 5).toLowerCase() === 'epoch' &&
    header.length > 5 &&
    !isNameChar(header.charCodeAt(5))
  ) {
    return separatorAfter(header, 5);
  }
  const first = header.charAt(0);
  if (first !== '' && !isNameChar(header.charCodeAt(0)) && first !== '"' && first !== "'") return first;
  let best = ',';
  let bestCount = 0;
  for (const candidate of COMMON_SEPARATORS) {
    const count = countOutsideQuotes(header, candidate);
    if (count > bestCount) [best, bestCount] = [candidate, count];
  }
  return best;
}

/** After `epoch`: the next character, or a space when only spaces come before the next name. */
function separatorAfter(header: string, start: number): string {
  let pos = start;
  while (header.charAt(pos) === ' ') pos++;
  const next = header.charAt(pos);
  if (pos > start && (next === '' || isNameChar(header.charCodeAt(pos)) || next === '"')) return ' ';
  return next;
}

function countOutsideQuotes(line: string, char: string): number {
  let count = 0;
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (c === char && !quoted) count++;
  }
  return count;
}

function isNameChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95
  );
}

/** Names only: no number, no missing marker, no list; an empty first name is a pandas index. */
function isHeaderFields(fields: string[]): boolean {
  return fields.every((field, column) => {
    if (field === '') return column === 0 && fields.length > 1;
    const start = field.charAt(0);
    return (
      numericLiteral(field) === null && !MISSING.has(field.toLowerCase()) && start !== '[' && start !== '('
    );
  });
}

/** A later header: names only, and either several columns or an explicit `epoch` first. */
function isHeaderLine(raw: string, split: string[]): boolean {
  const fields = split.length > 2 && split[split.length - 1] === '' ? split.slice(0, -1) : split;
  if (!isHeaderFields(fields)) return false;
  const trimmed = raw.trim();
  const epochFirst = trimmed.slice(0, 5).toLowerCase() === 'epoch' && !isNameChar(trimmed.charCodeAt(5));
  return fields.length >= 2 || epochFirst;
}

/** A 0-based epoch index: a non-negative integer (`3` or `3.0`); null otherwise. */
function epochIndexOf(cell: string): number | null {
  const value = numericLiteral(cell);
  return value !== null && Number.isInteger(value) && value >= 0 ? value : null;
}
