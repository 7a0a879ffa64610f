import type { Epoch, ParseIssue, Run } from '../model/index.js';
import { shorten } from '../report/escape.js';
import { jsonDocumentReader } from './json-document.js';
import { numericLiteral, readTolerant, readTolerantSequence } from './json-tolerant.js';
import type { InputLimits } from './limits.js';
import type { TolerantNode, TolerantObject, TolerantResult } from './json-tolerant.js';
import type {
  FormatReader,
  ParseOptions,
  ParseResult,
  ReaderContext,
  ReaderEntry,
  SniffHead,
} from './types.js';

/**
 * One named column of a saved history: the value node at each epoch position (undefined where the
 * column has no value). `byPosition` is true when positions come from list order (a plain list), false
 * when they come from explicit keys (pandas) or from per-epoch records.
 */
interface Column {
  name: string;
  line: number;
  cells: (TolerantNode | undefined)[];
  byPosition: boolean;
}

/** The columns of a history plus, per position, a fallback line (the record's own line). */
interface Table {
  columns: Column[];
  rowLines: number[];
}

// How many times a JSON string holding another dump (or a `{"history": ...}` wrapper) is unwrapped.
const MAX_UNWRAP = 4;

/**
 * Parses a saved Keras `history.history` into one run (dialect `history-json`), epochs numbered 1..n by
 * position.
 *
 * Accepted shapes: a dict of lists (`json.dump(history.history)`), a list of per-epoch dicts, JSON Lines
 * of per-epoch dicts, pandas `to_json()` in `columns`, `index` and `split` orientation, any of these under a
 * `"history"` key, Python-literal dumps (`str(history.history)`), and a JSON string holding such a dump.
 *
 * Behaviour a caller relies on:
 * - `Epoch.line` is the first line (in file order) holding one of that epoch's values; for a JSON string
 *   holding a dump, every line inside the string maps to the line where the string starts.
 * - Lists shorter than the longest one are aligned to the start and named in one `ambiguous` issue
 *   (with `validation_freq > 1` they really belong to later epochs, which the file does not say).
 * - `null`/`None` and missing keys omit the metric for that epoch; numeric strings (`"0.5"`, from
 *   `json.dump(..., default=str)`) are read as numbers; other values in a metric column are `bad-value`
 *   issues and omitted. A non-empty column without any number is not a metric: it is ignored, or
 *   reported once as `bad-value` when it holds lists or objects (per-class metrics).
 * - An `epoch` column is not a metric; when its values are neither 0..n-1 nor 1..n an `ambiguous` issue
 *   says that positions were used.
 * - Malformed input and inputs without any metric column give zero runs and one `malformed-input` issue;
 *   metric columns that are all empty give zero runs and a `no-epochs` issue. Never throws.
 */
export function parseHistoryJson(text: string, options: ParseOptions): ParseResult {
  return parseHistoryValues(readTolerantSequence(text), options, null);
}

/** {@link parseHistoryJson} of the values a document held (read by any means). */
export function parseHistoryValues(
  read: TolerantResult<TolerantNode[]>,
  options: ParseOptions,
  limits: InputLimits | null,
): ParseResult {
  const issues: ParseIssue[] = [];
  const root = historyRoot(read);
  if (!root.ok) return { runs: [], issues: [malformed(root.line, root.message)] };
  const table = tableOf(root.value, issues);
  const metrics = table === null ? [] : classifyColumns(table.columns, issues);
  if (table === null || metrics.length === 0) {
    return { runs: [], issues: [...issues, malformed(root.value.line, 'no metric lists found')] };
  }
  reportShortLists(metrics, issues);
  checkEpochColumn(table.columns, issues);
  const epochs = buildEpochs(table, metrics, root.value.line, issues, limits);
  if (limits?.exceeded() != null) return { runs: [], issues };
  if (epochs.length === 0) {
    issues.push({ kind: 'no-epochs', line: null, message: 'the metric lists are empty' });
    return { runs: [], issues };
  }
  const run: Run = {
    index: 0,
    epochs,
    events: [],
    datasets: [],
    source: {
      dialect: 'history-json',
      file: options.file,
      fromLine: root.value.line,
      toLine: Math.max(root.value.endLine, root.value.line),
    },
  };
  return { runs: [run], issues };
}

function malformed(line: number, message: string): ParseIssue {
  return { kind: 'malformed-input', line, message: `line ${line}: ${message}` };
}

/** Unwraps JSON strings and `{"history": ...}` until the history itself. */
function historyRoot(read: TolerantResult<TolerantNode[]>): TolerantResult<TolerantNode> {
  if (!read.ok) return read;
  const [first, second] = read.value;
  if (first === undefined) return { ok: false, line: 1, message: 'expected a value, found end of input' };
  let node = first;
  if (second !== undefined) {
    // JSON Lines: one record per line, as custom epoch-end loggers write them.
    if (!read.value.every((value) => value.kind === 'object')) {
      return { ok: false, line: second.line, message: 'expected end of input after the first value' };
    }
    const last = read.value[read.value.length - 1] ?? first;
    node = { kind: 'array', items: read.value, line: first.line, endLine: last.endLine };
  }
  for (let round = 0; round < MAX_UNWRAP; round++) {
    const inner = unwrapOnce(node);
    if (inner === null) break;
    if (!inner.ok) return inner;
    node = inner.value;
  }
  return { ok: true, value: node };
}

function unwrapOnce(node: TolerantNode): TolerantResult<TolerantNode> | null {
  if (node.kind === 'string') {
    // json.dump(str(history.history)): the string holds a Python repr, so it is read a second time.
    const inner = readTolerant(node.value, { firstLine: node.line });
    if (inner.ok) return { ok: true, value: { ...inner.value, line: node.line, endLine: node.endLine } };
    return { ok: false, line: node.line, message: `inside the JSON string: ${inner.message}` };
  }
  if (node.kind !== 'object') return null;
  const wrapped = node.entries.find((entry) => entry.key === 'history')?.value;
  if (wrapped === undefined) return null;
  return ['object', 'array', 'string'].includes(wrapped.kind) ? { ok: true, value: wrapped } : null;
}

/** Turns any accepted shape into columns; null when the value is not table-like at all. */
function tableOf(root: TolerantNode, issues: ParseIssue[]): Table | null {
  if (root.kind === 'array') return recordsTable(root.items, issues);
  if (root.kind !== 'object') return null;
  const split = splitTable(root);
  if (split !== null) return split;
  if (isIndexOriented(root))
    return recordsTable(
      sortedByIndex(root.entries).map((entry) => entry.value),
      issues,
    );
  return columnsTable(root, issues);
}

/** A list of per-epoch dicts (also JSON Lines and pandas `orient='records'`). */
function recordsTable(items: TolerantNode[], issues: ParseIssue[]): Table | null {
  // records holding text or nested objects (a manifest, a list of runs' settings) are not epochs
  if (items.some((item) => item.kind === 'object' && item.entries.some((e) => isProse(e.value)))) return null;
  const byName = new Map<string, Column>();
  const rowLines: number[] = [];
  items.forEach((item, position) => {
    rowLines.push(item.line);
    if (item.kind !== 'object') return;
    for (const entry of item.entries) {
      let column = byName.get(entry.key);
      if (column === undefined) {
        column = { name: entry.key, line: entry.line, cells: [], byPosition: false };
        byName.set(entry.key, column);
      }
      if (column.cells[position] !== undefined) issues.push(duplicateKey(entry.key, entry.line, 'record'));
      column.cells[position] = entry.value;
    }
  });
  if (byName.size === 0) return null;
  for (const column of byName.values()) column.cells.length = items.length;
  return { columns: [...byName.values()], rowLines };
}

/** A member no per-epoch record holds: a nested object, or a string that is not a number. */
function isProse(node: TolerantNode): boolean {
  return node.kind === 'object' || (node.kind === 'string' && numericLiteral(node.value.trim()) === null);
}

/** pandas `orient='split'`: `{"columns": [...], "index": [...], "data": [[...], ...]}`. */
function splitTable(root: TolerantObject): Table | null {
  const names = memberOf(root, 'columns');
  const data = memberOf(root, 'data');
  if (names?.kind !== 'array' || data?.kind !== 'array') return null;
  const columns: Column[] = names.items.map((name, index) => ({
    name: name.kind === 'string' ? name.value : `column ${index + 1}`,
    line: name.line,
    cells: data.items.map((row) => (row.kind === 'array' ? row.items[index] : undefined)),
    byPosition: false,
  }));
  return { columns, rowLines: data.items.map((row) => row.line) };
}

/** pandas `orient='index'`: `{"0": {"loss": ...}, "1": {...}}`. */
function isIndexOriented(root: TolerantObject): boolean {
  return (
    root.entries.length > 0 &&
    root.entries.every((entry) => isIndexKey(entry.key) && entry.value.kind === 'object') &&
    !root.entries.every(
      (entry) => entry.value.kind === 'object' && entry.value.entries.every((e) => isIndexKey(e.key)),
    )
  );
}

/**
 * A dict of columns: lists are positional; index-keyed dicts (pandas `orient='columns'`) are placed by
 * the rank of their key among all index keys, so a sparse column lands on the right epochs.
 */
function columnsTable(root: TolerantObject, issues: ParseIssue[]): Table {
  const rank = indexRanks(root);
  const columns: Column[] = [];
  const seen = new Set<string>();
  for (const entry of root.entries) {
    if (seen.has(entry.key) && (entry.value.kind === 'array' || entry.value.kind === 'object')) {
      issues.push(duplicateKey(entry.key, entry.line, 'dict'));
    }
    seen.add(entry.key);
    const value = entry.value;
    if (value.kind === 'array') {
      columns.push({ name: entry.key, line: entry.line, cells: value.items, byPosition: true });
    } else if (value.kind === 'object') {
      const cells: (TolerantNode | undefined)[] = [];
      for (const member of value.entries) {
        const position = rank.get(member.key);
        if (position !== undefined) cells[position] = member.value;
      }
      columns.push({ name: entry.key, line: entry.line, cells, byPosition: false });
    }
  }
  return { columns, rowLines: [] };
}

/** Position of every key of the dict-valued columns: numeric order when all are integers, else first seen. */
function indexRanks(root: TolerantObject): Map<string, number> {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const entry of root.entries) {
    if (entry.value.kind !== 'object') continue;
    for (const member of entry.value.entries) {
      if (!seen.has(member.key)) keys.push(member.key);
      seen.add(member.key);
    }
  }
  if (keys.every(isIndexKey)) keys.sort((a, b) => Number(a) - Number(b));
  return new Map(keys.map((key, position) => [key, position]));
}

/** A key given twice: the later value is kept (as `json.load` does). */
function duplicateKey(key: string, line: number, where: 'dict' | 'record'): ParseIssue {
  return {
    kind: 'duplicate-metric',
    line,
    message: `line ${line}: the key ${JSON.stringify(shorten(key, 80))} is given twice in one ${where === 'dict' ? 'dict' : 'record'}: the later value is kept`,
  };
}

function sortedByIndex<T extends { key: string }>(entries: T[]): T[] {
  return [...entries].sort((a, b) => Number(a.key) - Number(b.key));
}

function isIndexKey(key: string): boolean {
  if (key.length === 0 || key.length > 15) return false;
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

function memberOf(node: TolerantObject, key: string): TolerantNode | undefined {
  return node.entries.find((entry) => entry.key === key)?.value;
}

/**
 * Keeps the columns that hold at least one number or nothing at all (the metrics). Columns of lists or objects are
 * reported; columns of plain strings/booleans (notes, names) are not metrics and are ignored.
 */
function classifyColumns(columns: Column[], issues: ParseIssue[]): Column[] {
  const metrics: Column[] = [];
  for (const column of columns) {
    if (column.name === 'epoch') continue;
    const present = column.cells.filter((cell): cell is TolerantNode => cell !== undefined);
    // An empty or all-null list is a metric with no values yet (e.g. `{"loss": []}`), not a non-metric.
    const empty = present.every((cell) => cell.kind === 'null');
    if (empty || present.some((cell) => numberOf(cell) !== null)) metrics.push(column);
    else if (present.some((cell) => cell.kind === 'array' || cell.kind === 'object')) {
      issues.push({
        kind: 'bad-value',
        line: column.line,
        message: `line ${column.line}: ${JSON.stringify(shorten(column.name, 200))} holds lists or objects, not numbers; omitted`,
      });
    }
  }
  return metrics;
}

/** The number a cell stands for; null when it is not one (missing cells are handled by the caller). */
function numberOf(cell: TolerantNode): number | null {
  if (cell.kind === 'number') return cell.value;
  if (cell.kind === 'string') return numericLiteral(cell.value.trim());
  return null;
}

function reportShortLists(metrics: Column[], issues: ParseIssue[]): void {
  let longest = 0;
  for (const column of metrics) longest = Math.max(longest, column.cells.length);
  const shorter = metrics.filter((column) => column.byPosition && column.cells.length < longest);
  const first = shorter[0];
  if (first === undefined) return;
  const names =
    shorter
      .slice(0, 10)
      .map((column) => `${shorten(column.name, 80)} (${column.cells.length})`)
      .join(', ') + (shorter.length > 10 ? ` and ${shorter.length - 10} more` : '');
  issues.push({
    kind: 'ambiguous',
    line: first.line,
    message:
      `line ${first.line}: lists have different lengths (longest ${longest}); shorter: ${names}; ` +
      'aligned to the first epochs (with validation_freq > 1 they belong to later ones)',
  });
}

/** A saved `epoch` column should be 0..n-1 (Keras) or 1..n; positions are used either way. */
function checkEpochColumn(columns: Column[], issues: ParseIssue[]): void {
  const column = columns.find((candidate) => candidate.name === 'epoch');
  if (column === undefined) return;
  const values = column.cells.map((cell) => (cell === undefined ? null : numberOf(cell)));
  const matches = (offset: number): boolean =>
    values.every((value, i) => value === null || value === i + offset);
  if (matches(0) || matches(1)) return;
  issues.push({
    kind: 'ambiguous',
    line: column.line,
    message: `line ${column.line}: the saved epoch values are not 0..n-1 or 1..n; epochs are numbered by position`,
  });
}

function buildEpochs(
  table: Table,
  metrics: Column[],
  rootLine: number,
  issues: ParseIssue[],
  limits: InputLimits | null,
): Epoch[] {
  let count = 0;
  for (const column of table.columns) count = Math.max(count, column.cells.length);
  // one interned name per column (a later column of the same name wins, as in json.load)
  const names = metrics.map((column) =>
    limits === null ? column.name : limits.name(column.name, column.line),
  );
  const epochs: Epoch[] = [];
  for (let position = 0; position < count; position++) {
    const values: Record<string, number> = {};
    let present = false;
    let kept = 0;
    for (let c = 0; c < metrics.length; c += 1) {
      const column = metrics[c] as Column;
      const name = names[c];
      const cell = column.cells[position];
      if (cell === undefined || cell.kind === 'null' || name === null || name === undefined) continue;
      present = true;
      const value = numberOf(cell);
      if (value === null) issues.push(badCell(name, position, cell));
      else {
        if (!Object.hasOwn(values, name)) kept += 1;
        setMetric(values, name, value);
      }
    }
    if (!present && !hasAnyCell(table, position)) {
      // Only a list of records has such holes: an item that is not a dict, or an empty dict.
      issues.push(notARecord(position, table.rowLines[position] ?? rootLine));
      continue;
    }
    if (limits !== null && !limits.keep(kept)) return epochs;
    epochs.push(epochRecord(position + 1, values, epochLine(table, position, rootLine)));
  }
  return epochs;
}

function notARecord(position: number, line: number): ParseIssue {
  return {
    kind: 'bad-value',
    line,
    message: `line ${line}: epoch ${position + 1} is not a dict of metric values; skipped`,
  };
}

/** Defines the key as an own property, so a metric named `__proto__` cannot touch the prototype. */
function setMetric(metrics: Record<string, number>, name: string, value: number): void {
  Object.defineProperty(metrics, name, { value, enumerable: true, writable: true, configurable: true });
}

function hasAnyCell(table: Table, position: number): boolean {
  return table.columns.some((column) => column.cells[position] !== undefined);
}

function badCell(name: string, position: number, cell: TolerantNode): ParseIssue {
  return {
    kind: 'bad-value',
    line: cell.line,
    message: `line ${cell.line}: epoch ${position + 1}: ${shorten(name, 200)} is ${describe(cell)}, not a number; omitted`,
  };
}

function describe(cell: TolerantNode): string {
  switch (cell.kind) {
    case 'string':
      return JSON.stringify(cell.value.length > 40 ? `${cell.value.slice(0, 40)}…` : cell.value);
    case 'boolean':
      return String(cell.value);
    case 'symbol':
      return cell.name;
    case 'array':
      return 'a list';
    case 'object':
      return 'an object';
    default:
      return cell.kind;
  }
}

/** First line (in file order) holding one of the epoch's cells; else the record's line; else the root's. */
function epochLine(table: Table, position: number, rootLine: number): number {
  let line = Number.POSITIVE_INFINITY;
  for (const column of table.columns) {
    const cell = column.cells[position];
    if (cell !== undefined) line = Math.min(line, cell.line);
  }
  if (Number.isFinite(line)) return line;
  return table.rowLines[position] ?? rootLine;
}

function epochRecord(epoch: number, metrics: Record<string, number>, line: number): Epoch {
  return { epoch, of: null, metrics, steps: null, countUnit: null, seconds: null, stepTime: null, line };
}

/** Text that starts like a JSON or Python-literal document; more specific JSON formats score higher. */
function sniff(head: SniffHead): number {
  return /^(?:\{|\[\s*[{["\d\-\]]|"|\[\s*$)/.test(head.text.trimStart()) ? 0.5 : 0;
}

export const historyJsonReader: ReaderEntry = {
  dialect: 'history-json',
  aliases: ['json'],
  binary: false,
  fileHint: /\.json$/i,
  sniff,
  create(ctx: ReaderContext): FormatReader {
    return jsonDocumentReader(true, (read) => {
      const result = parseHistoryValues(read, { file: ctx.file }, ctx.limits);
      for (const issue of result.issues) ctx.onIssue(issue);
      for (const run of result.runs) ctx.onRun(run);
      const malformed =
        result.runs.length === 0 ? result.issues.find((i) => i.kind === 'malformed-input') : undefined;
      return { fatal: malformed ? malformed.message : null };
    });
  },
};
