import type { Dialect, Epoch, ParseIssue, Run } from '../model/index.js';
import { numericLiteral, readTolerant } from './json-tolerant.js';
import { csvHeader, firstLines } from './sniff.js';
import type {
  FormatReader,
  ParseOptions,
  ParseResult,
  ReaderContext,
  ReaderEntry,
  SniffHead,
} from './types.js';

/** A header line: its separator, its column names as printed, and where the epoch index sits. */
export interface Header {
  line: number;
  separator: string;
  names: string[];
  /** Column holding the 0-based epoch index (`epoch`, or a pandas index column); null when absent. */
  epochColumn: number | null;
}

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
}

/** What a cell holds: nothing (`NA`, empty), a number, or something that is not a number. */
export type Cell = { kind: 'missing' } | { kind: 'number'; value: number } | { kind: 'bad'; what: string };

// Python's csv writes `NA` (CSVLogger) and `None`; pandas readers treat these as missing too.
const MISSING = new Set(['', 'na', 'n/a', 'none', 'null']);

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
export function parseCsvLogger(text: string, options: ParseOptions & { dialect?: Dialect }): ParseResult {
  return new CsvReader(options).read(splitLines(text));
}

/** A CSV: a header line of names, then a row (or a blank line) under it. */
function sniff(head: SniffHead): number {
  const [first, second] = firstLines(head, 2);
  const header = first === undefined ? null : csvHeader(first);
  if (header === null) return 0;
  if (second === undefined) return head.complete ? 0.6 : 0.5;
  const cells = second.split(header.separator);
  if (cells.length !== header.names.length) return 0.3;
  const numeric = cells.filter((c) => {
    const t = c.trim().replace(/^"(.*)"$/, '$1');
    return t === '' || MISSING.has(t.toLowerCase()) || numericLiteral(t) !== null;
  }).length;
  return numeric >= cells.length / 2 ? 0.8 : 0.3;
}

/** The whole-file reader of a CSV dialect (the CSV formats share this parser). */
export function csvReaderFor(dialect: Dialect) {
  return (ctx: ReaderContext): FormatReader => ({
    kind: 'text',
    end(text: string) {
      const result = parseCsvLogger(text, { file: ctx.file, dialect });
      for (const issue of result.issues) ctx.onIssue(issue);
      for (const run of result.runs) ctx.onRun(run);
      const malformed =
        result.runs.length === 0 ? result.issues.find((i) => i.kind === 'malformed-input') : undefined;
      return { fatal: malformed ? malformed.message : null };
    },
  });
}

export const csvLoggerReader: ReaderEntry = {
  dialect: 'csv-logger',
  aliases: ['csv'],
  binary: false,
  fileHint: /\.(?:csv|tsv)$/i,
  sniff,
  create: csvReaderFor('csv-logger'),
};

class CsvReader {
  private readonly runs: Run[] = [];
  private readonly issues: ParseIssue[] = [];
  private open: OpenRun | null = null;
  private headerLine: number | null = null;
  private stopped = false;
  private firstEpochSeen = false;

  constructor(private readonly options: ParseOptions & { dialect?: Dialect }) {}

  read(lines: string[]): ParseResult {
    for (let index = 0; index < lines.length && !this.stopped; index++) {
      const raw = lines[index] ?? '';
      if (raw.trim() !== '') this.line(raw, index + 1);
    }
    this.finishRun('end');
    if (this.runs.length === 0 && !this.stopped) {
      const message =
        this.headerLine === null ? 'empty input' : `no data rows after the header on line ${this.headerLine}`;
      this.issues.push({ kind: 'no-epochs', line: null, message });
    }
    return { runs: this.runs, issues: this.issues };
  }

  private line(raw: string, lineNumber: number): void {
    const open = this.open;
    if (open === null) {
      this.startHeader(raw, lineNumber);
      return;
    }
    const fields = splitFields(raw, open.header.separator);
    if (isHeaderLine(raw, fields)) {
      this.finishRun('header');
      this.startHeader(raw, lineNumber);
    } else {
      this.row(fields, lineNumber, open);
    }
  }

  private startHeader(raw: string, lineNumber: number): void {
    const header = readHeader(raw, lineNumber);
    if (header === null) {
      // Without names the columns mean nothing; one issue instead of one per row.
      this.issue(
        'malformed-input',
        lineNumber,
        'expected a header line (epoch,<metric names>), found a data row',
      );
      this.stopped = true;
      return;
    }
    this.headerLine ??= lineNumber;
    this.open = openRun(header, lineNumber);
  }

  private row(fields: string[], lineNumber: number, open: OpenRun): void {
    const header = open.header;
    const epochCell = header.epochColumn === null ? undefined : fields[header.epochColumn];
    const epochValue = epochCell === undefined ? null : epochIndexOf(epochCell);
    if (fields.length !== header.names.length) {
      this.skipRow(open, lineNumber);
      const which = epochValue === null ? 'epoch' : `epoch ${epochValue + 1}`;
      const counts = `${fields.length} fields where the header on line ${header.line} has ${header.names.length}`;
      this.issue('malformed-input', lineNumber, `${counts}; ${which} skipped`);
      return;
    }
    if (epochCell !== undefined && epochValue === null) {
      this.skipRow(open, lineNumber);
      this.issue(
        'bad-value',
        lineNumber,
        `epoch value ${JSON.stringify(epochCell)} is not a 0-based index; epoch skipped`,
      );
      return;
    }
    const target = epochValue === null ? open : this.runFor(epochValue, lineNumber, open);
    target.rows++;
    target.toLine = lineNumber;
    const epoch = epochValue === null ? target.rows : epochValue + 1;
    const record = epochRecord(epoch, this.metrics(fields, header, lineNumber), lineNumber);
    if (epochValue !== null) record.epochValue = epochValue; // the 0-based value as written
    target.epochs.push(record);
  }

  /** The run a row with this epoch value belongs to: a value that does not increase starts a new one. */
  private runFor(epochValue: number, lineNumber: number, open: OpenRun): OpenRun {
    const named = open.header.names[open.header.epochColumn ?? 0]?.toLowerCase() === 'epoch';
    // A pandas index is 0-based by construction; only a column named `epoch` may be a 1-based custom one.
    if (!this.firstEpochSeen && epochValue === 1 && named) {
      this.issue(
        'ambiguous',
        lineNumber,
        'the epoch column starts at 1; read as 0-based (CSVLogger), so epoch 2 comes first',
      );
    }
    this.firstEpochSeen = true;
    let target = open;
    if (open.lastEpochValue !== null && epochValue <= open.lastEpochValue) {
      this.finishRun('resume');
      target = openRun(open.header, lineNumber);
      this.open = target;
    }
    target.lastEpochValue = epochValue;
    return target;
  }

  private skipRow(open: OpenRun, lineNumber: number): void {
    open.rows++;
    open.toLine = lineNumber;
  }

  private metrics(fields: string[], header: Header, lineNumber: number): Record<string, number> {
    const metrics: Record<string, number> = {};
    header.names.forEach((name, column) => {
      if (column === header.epochColumn) return;
      const cell = cellOf(fields[column] ?? '');
      if (cell.kind === 'number') setMetric(metrics, name, cell.value);
      else if (cell.kind === 'bad')
        this.issue('bad-value', lineNumber, `${name} is ${cell.what}, not a number; omitted`);
    });
    return metrics;
  }

  /** Closes the open run; a header that got no epoch is reported unless it is the file's only one. */
  private finishRun(reason: 'header' | 'resume' | 'end'): void {
    const open = this.open;
    this.open = null;
    if (open === null) return;
    if (open.epochs.length === 0) {
      if (reason === 'header' || this.runs.length > 0) {
        this.issue('malformed-input', open.fromLine, 'no epochs under this header');
      }
      return;
    }
    this.runs.push({
      index: this.runs.length,
      epochs: open.epochs,
      events: [],
      datasets: [],
      source: {
        dialect: this.options.dialect ?? 'csv-logger',
        file: this.options.file,
        fromLine: open.fromLine,
        toLine: open.toLine,
      },
    });
  }

  private issue(kind: ParseIssue['kind'], line: number, message: string): void {
    this.issues.push({ kind, line, message: `line ${line}: ${message}` });
  }
}

function openRun(header: Header, fromLine: number): OpenRun {
  return { header, fromLine, toLine: fromLine, epochs: [], lastEpochValue: null, rows: 0 };
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
  if (!text.includes('\n')) return text.split('\r');
  return text.split('\n').map((line) => {
    let end = line.length;
    while (end > 0 && line.charCodeAt(end - 1) === 13) end--;
    return line.slice(0, end);
  });
}

export function readHeader(raw: string, lineNumber: number): Header | null {
  const line = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  const separator = sniffSeparator(line.trim());
  const fields = splitFields(line, separator);
  if (!isHeaderFields(fields)) return null;
  let epochColumn: number | null = fields.findIndex((name) => name.toLowerCase() === 'epoch');
  if (epochColumn < 0) epochColumn = isIndexName(fields[0] ?? 'x') ? 0 : null;
  const names = fields.map((name, column) =>
    name === '' && column !== epochColumn ? `column ${column + 1}` : name,
  );
  return { line: lineNumber, separator, names, epochColumn };
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

/**
 * Splits one line into trimmed fields, honouring double quotes (Python's csv "excel" dialect).
 * A space separator also swallows runs of spaces (hand-aligned tables).
 */
export function splitFields(line: string, separator: string): string[] {
  const fields: string[] = [];
  let pos = 0;
  for (;;) {
    const [field, next] = readField(line, pos, separator);
    fields.push(field.trim());
    if (next >= line.length) break;
    pos = next + 1;
    if (separator === ' ') while (line.charAt(pos) === ' ') pos++;
  }
  return separator === ' ' && fields[0] === '' ? fields.slice(1) : fields;
}

/** One field starting at `start`: its text and the position of the separator (or the line's end). */
function readField(line: string, start: number, separator: string): [string, number] {
  let pos = start;
  while (line.charAt(pos) === ' ' && separator !== ' ') pos++;
  if (line.charAt(pos) !== '"') {
    const end = line.indexOf(separator, start);
    return end < 0 ? [line.slice(start), line.length] : [line.slice(start, end), end];
  }
  const parts: string[] = [];
  pos++;
  for (;;) {
    const close = line.indexOf('"', pos);
    if (close < 0) return [parts.join('') + line.slice(pos), line.length];
    parts.push(line.slice(pos, close));
    if (line.charAt(close + 1) !== '"') {
      pos = close + 1;
      break;
    }
    parts.push('"');
    pos = close + 2;
  }
  // Text between the closing quote and the separator is kept, as Python's csv module does.
  const end = line.indexOf(separator, pos);
  const tail = end < 0 ? line.slice(pos) : line.slice(pos, end);
  return [parts.join('') + tail, end < 0 ? line.length : end];
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
function isHeaderLine(raw: string, fields: string[]): boolean {
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

export function cellOf(text: string): Cell {
  if (MISSING.has(text.toLowerCase())) return { kind: 'missing' };
  const value = numericLiteral(text);
  if (value !== null) return { kind: 'number', value };
  if (text.includes('(')) {
    // NumPy/TensorFlow reprs (`np.float32(0.5)`, `tf.Tensor(0.5, shape=(), dtype=float32)`).
    const read = readTolerant(text);
    if (read.ok && read.value.kind === 'number') return { kind: 'number', value: read.value.value };
  }
  const shown = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
  return { kind: 'bad', what: text.startsWith('[') ? `a list ${shown}` : shown };
}
