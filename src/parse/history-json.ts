/**
 * Saved Keras histories, read as they stream in (`json-stream.ts`) into a compact store of values
 * (`history-store.ts`): memory follows the values kept, at about 30 bytes each, and stops at the cap.
 */
import { PARSE_LIMITS, type Epoch, type ParseIssue, type Run } from '../model/index.js';
import { shorten } from '../report/escape.js';
import { CELL, NONE, createHistoryCollector, type CellStore, type HistoryDocument } from './history-store.js';
import { createJsonStream, type JsonProblem } from './json-stream.js';
import { thousands, type InputLimits } from './limits.js';
import type {
  FormatReader,
  ParseOptions,
  ParseResult,
  ReaderContext,
  ReaderEntry,
  SniffHead,
} from './types.js';

/**
 * One named column of a saved history: the cell (an index into the store) at each epoch position, or
 * -1. `byPosition` is true when positions come from list order (a plain list), false when they come
 * from explicit keys (pandas) or from per-epoch records.
 */
interface Column {
  name: string;
  line: number;
  byPosition: boolean;
  /** Positions the column reaches (one past its last). */
  length: number;
  at(position: number): number;
  /** Its cells, in position order. */
  each(visit: (cell: number, position: number) => void): void;
}

/** The columns of a history plus, per position, a fallback line (the record's own line). */
interface Table {
  columns: Column[];
  rowLines: number[];
}

/** A value of the document: a top-level value, or a kept cell (a member, an item, a row). */
interface Value {
  kind: number;
  line: number;
  endLine: number;
  /** Its children, in order: the cell, and its key when the value is a dict. */
  each(visit: (cell: number, key: string | null) => void): void;
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
  const collector = createHistoryCollector({
    maxValues: Number.POSITIVE_INFINITY,
    overValues: '',
    unwrap: MAX_UNWRAP,
  });
  const stream = createJsonStream(collector.handler, { sequence: true });
  stream.write(text);
  const problem = stream.end() ?? collector.problem();
  return parseHistoryDocument(problem, collector.finish(), options, null);
}

/** {@link parseHistoryJson} of a document read by a collector (`problem`: why the reading stopped). */
export function parseHistoryDocument(
  problem: JsonProblem | null,
  document: HistoryDocument,
  options: ParseOptions,
  limits: InputLimits | null,
): ParseResult {
  const issues: ParseIssue[] = [];
  if (problem !== null) return { runs: [], issues: [malformed(problem.line, problem.message)] };
  const root = historyRoot(document);
  if (!root.ok) return { runs: [], issues: [malformed(root.line, root.message)] };
  const { value, store } = root;
  const table = root.items !== null ? recordsTable(root.items, store, issues) : tableOf(value, store, issues);
  const metrics = table === null ? [] : classifyColumns(table.columns, store, issues);
  if (table === null || metrics.length === 0) {
    return { runs: [], issues: [...issues, malformed(value.line, 'no metric lists found')] };
  }
  reportShortLists(metrics, issues);
  checkEpochColumn(table.columns, store, issues);
  const epochs = buildEpochs(table, metrics, store, value.line, issues, limits);
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
      fromLine: value.line,
      toLine: Math.max(value.endLine, value.line),
    },
  };
  return { runs: [run], issues };
}

function malformed(line: number, message: string): ParseIssue {
  return { kind: 'malformed-input', line, message: `line ${line}: ${message}` };
}

type Root =
  | { ok: true; value: Value; store: CellStore; items: Item[] | null }
  | { ok: false; line: number; message: string };

/** The depth below its top-level value of a kept cell (1 to 3). */
function depthOf(store: CellStore, cell: number): number {
  return store.p3(cell) !== NONE ? 3 : store.p2(cell) !== NONE ? 2 : 1;
}

function positionAt(store: CellStore, cell: number, depth: number): number {
  return depth === 1 ? store.p1(cell) : depth === 2 ? store.p2(cell) : store.p3(cell);
}

/** A top-level value as a {@link Value}: its children are the cells one level below it. */
function topValue(document: HistoryDocument, index: number): Value {
  const root = document.roots[index] as HistoryDocument['roots'][number];
  const store = document.store;
  return {
    kind: root.kind,
    line: root.line,
    endLine: root.endLine,
    each(visit) {
      for (let cell = root.from; cell < root.to; cell = store.end(cell)) {
        visit(cell, store.keyOf(store.p1(cell)));
      }
    },
  };
}

/** A kept container as a {@link Value}: its children are its cells one level deeper. */
function cellValue(store: CellStore, cell: number): Value {
  const depth = depthOf(store, cell);
  return {
    kind: store.kind(cell),
    line: store.line(cell),
    endLine: store.line(cell),
    each(visit) {
      if (depth >= 3) return;
      for (let child = cell + 1; child < store.end(cell); child = store.end(child)) {
        visit(child, store.keyOf(positionAt(store, child, depth + 1)));
      }
    },
  };
}

/** The JSON Lines records: several top-level values, all dicts, as the items of one list. */
function sequenceValue(document: HistoryDocument): Value {
  const first = document.roots[0];
  const last = document.roots[document.roots.length - 1];
  return {
    kind: CELL.array,
    line: first?.line ?? 1,
    endLine: last?.endLine ?? 1,
    each() {
      // its items are top-level values, not cells: read through `sequenceItems`
    },
  };
}

/** Unwraps JSON strings and `{"history": ...}` until the history itself. */
function historyRoot(document: HistoryDocument): Root {
  let doc = document;
  for (let round = 0; round <= MAX_UNWRAP; round++) {
    const [first, second] = doc.roots;
    if (first === undefined) return { ok: false, line: 1, message: 'expected a value, found end of input' };
    if (second !== undefined) {
      // JSON Lines: one record per line, as custom epoch-end loggers write them.
      if (!doc.roots.every((root) => root.kind === CELL.object)) {
        return { ok: false, line: second.line, message: 'expected end of input after the first value' };
      }
      return { ok: true, value: sequenceValue(doc), store: doc.store, items: sequenceItems(doc) };
    }
    if (round === MAX_UNWRAP) break;
    if (first.kind === CELL.string && doc.inner !== null) {
      // json.dump(str(history.history)): the string holds a Python repr, so it is read a second time.
      if (doc.inner.problem !== null || doc.inner.document === null) {
        return {
          ok: false,
          line: first.line,
          message: `inside the JSON string: ${doc.inner.problem?.message ?? 'no value'}`,
        };
      }
      const innerRoot = doc.inner.document.roots[0];
      if (innerRoot !== undefined) {
        innerRoot.line = first.line;
        innerRoot.endLine = first.endLine;
      }
      doc = doc.inner.document;
      continue;
    }
    if (first.kind === CELL.object && doc.nested !== null) {
      const wrapped = doc.nested.roots[0];
      if (
        wrapped !== undefined &&
        (wrapped.kind === CELL.object || wrapped.kind === CELL.array || wrapped.kind === CELL.string)
      ) {
        doc = doc.nested;
        continue;
      }
    }
    break;
  }
  return { ok: true, value: topValue(doc, 0), store: doc.store, items: null };
}

/** A list of the document's records for {@link recordsTable}: each item's line, kind and members. */
interface Item {
  kind: number;
  line: number;
  value: Value | null;
}

/** Turns any accepted shape into columns; null when the value is not table-like at all. */
function tableOf(root: Value, store: CellStore, issues: ParseIssue[]): Table | null {
  if (root.kind === CELL.array) return recordsTable(itemsOf(root, store), store, issues);
  if (root.kind !== CELL.object) return null;
  const members: Array<{ key: string; cell: number }> = [];
  root.each((cell, key) => members.push({ key: key ?? '', cell }));
  const split = splitTable(members, store);
  if (split !== null) return split;
  if (isIndexOriented(members, store)) {
    const sorted = [...members].sort((a, b) => Number(a.key) - Number(b.key));
    return recordsTable(
      sorted.map((m) => ({
        kind: store.kind(m.cell),
        line: store.line(m.cell),
        value: cellValue(store, m.cell),
      })),
      store,
      issues,
    );
  }
  return columnsTable(members, store, issues);
}

/** The items of a list (or of JSON Lines). */
function itemsOf(root: Value, store: CellStore): Item[] {
  const items: Item[] = [];
  root.each((cell) => {
    const kind = store.kind(cell);
    items.push({ kind, line: store.line(cell), value: kind === CELL.object ? cellValue(store, cell) : null });
  });
  return items;
}

/** A list of per-epoch dicts (also JSON Lines and pandas `orient='records'`). */
function recordsTable(items: Item[], store: CellStore, issues: ParseIssue[]): Table | null {
  // records holding text or nested objects (a manifest, a list of runs' settings) are not epochs
  for (const item of items) {
    let prose = false;
    item.value?.each((cell) => {
      const kind = store.kind(cell);
      if (kind === CELL.object || kind === CELL.string) prose = true;
    });
    if (prose) return null;
  }
  const byName = new Map<string, { name: string; line: number; pos: number[]; cells: number[] }>();
  const rowLines: number[] = [];
  items.forEach((item, position) => {
    rowLines.push(item.line);
    item.value?.each((cell, key) => {
      const name = key ?? '';
      let column = byName.get(name);
      if (column === undefined) {
        column = { name, line: store.line(cell), pos: [], cells: [] };
        byName.set(name, column);
      }
      if (column.pos[column.pos.length - 1] === position) {
        issues.push(duplicateKey(name, store.line(cell), 'record'));
        column.cells[column.cells.length - 1] = cell;
        return;
      }
      column.pos.push(position);
      column.cells.push(cell);
    });
  });
  if (byName.size === 0) return null;
  const columns: Column[] = [];
  for (const c of byName.values())
    columns.push(sparseColumn(c.name, c.line, false, items.length, c.pos, c.cells));
  return { columns, rowLines };
}

/** The items of the JSON Lines records (top-level dicts). */
function sequenceItems(document: HistoryDocument): Item[] {
  return document.roots.map((_, index) => {
    const value = topValue(document, index);
    return { kind: value.kind, line: value.line, value };
  });
}

/** A column whose cells sit at the given positions (sorted), of `length` positions. */
function sparseColumn(
  name: string,
  line: number,
  byPosition: boolean,
  length: number,
  positions: number[],
  cells: number[],
): Column {
  const pos = Int32Array.from(positions);
  const at = Int32Array.from(cells);
  return {
    name,
    line,
    byPosition,
    length,
    at(position: number): number {
      let lo = 0;
      let hi = pos.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const p = pos[mid] ?? 0;
        if (p === position) return at[mid] ?? -1;
        if (p < position) lo = mid + 1;
        else hi = mid - 1;
      }
      return -1;
    },
    each(visit) {
      for (let i = 0; i < pos.length; i += 1) visit(at[i] ?? -1, pos[i] ?? 0);
    },
  };
}

/** A list's column: its items in order, positions 0..n-1 (contiguous cells when it holds only scalars). */
function listColumn(name: string, line: number, store: CellStore, list: number): Column {
  const cells: number[] = [];
  cellValue(store, list).each((cell) => cells.push(cell));
  const contiguous =
    cells.length === 0 || (cells[0] === list + 1 && cells[cells.length - 1] === list + cells.length);
  if (contiguous) {
    const first = list + 1;
    const n = cells.length;
    return {
      name,
      line,
      byPosition: true,
      length: n,
      at: (position) => (position >= 0 && position < n ? first + position : -1),
      each(visit) {
        for (let i = 0; i < n; i += 1) visit(first + i, i);
      },
    };
  }
  return sparseColumn(
    name,
    line,
    true,
    cells.length,
    cells.map((_, i) => i),
    cells,
  );
}

/** pandas `orient='split'`: `{"columns": [...], "index": [...], "data": [[...], ...]}`. */
function splitTable(members: Array<{ key: string; cell: number }>, store: CellStore): Table | null {
  const names = members.find((m) => m.key === 'columns')?.cell;
  const data = members.find((m) => m.key === 'data')?.cell;
  if (names === undefined || data === undefined) return null;
  if (store.kind(names) !== CELL.array || store.kind(data) !== CELL.array) return null;
  const rows: number[] = [];
  cellValue(store, data).each((row) => rows.push(row));
  const rowLines = rows.map((row) => store.line(row));
  const columns: Column[] = [];
  let index = 0;
  cellValue(store, names).each((nameCell) => {
    const i = index;
    index += 1;
    const positions: number[] = [];
    const cells: number[] = [];
    rows.forEach((row, position) => {
      if (store.kind(row) !== CELL.array) return;
      let k = 0;
      cellValue(store, row).each((cell) => {
        if (k === i) {
          positions.push(position);
          cells.push(cell);
        }
        k += 1;
      });
    });
    const name = store.kind(nameCell) === CELL.string ? (store.texts.get(nameCell) ?? '') : `column ${i + 1}`;
    columns.push(sparseColumn(name, store.line(nameCell), false, rows.length, positions, cells));
  });
  return { columns, rowLines };
}

/** pandas `orient='index'`: `{"0": {"loss": ...}, "1": {...}}`. */
function isIndexOriented(members: Array<{ key: string; cell: number }>, store: CellStore): boolean {
  if (members.length === 0) return false;
  if (!members.every((m) => isIndexKey(m.key) && store.kind(m.cell) === CELL.object)) return false;
  let allIndexKeys = true;
  for (const m of members) {
    cellValue(store, m.cell).each((_, key) => {
      if (!isIndexKey(key ?? '')) allIndexKeys = false;
    });
  }
  return !allIndexKeys;
}

/**
 * A dict of columns: lists are positional; index-keyed dicts (pandas `orient='columns'`) are placed by
 * the rank of their key among all index keys, so a sparse column lands on the right epochs.
 */
function columnsTable(
  members: Array<{ key: string; cell: number }>,
  store: CellStore,
  issues: ParseIssue[],
): Table {
  const rank = indexRanks(members, store);
  const columns: Column[] = [];
  const seen = new Set<string>();
  for (const member of members) {
    const kind = store.kind(member.cell);
    const line = store.line(member.cell);
    if (seen.has(member.key) && (kind === CELL.array || kind === CELL.object)) {
      issues.push(duplicateKey(member.key, line, 'dict'));
    }
    seen.add(member.key);
    if (kind === CELL.array) {
      columns.push(listColumn(member.key, line, store, member.cell));
    } else if (kind === CELL.object) {
      const placed: Array<[number, number]> = [];
      cellValue(store, member.cell).each((cell, key) => {
        const position = rank.get(key ?? '');
        if (position !== undefined) placed.push([position, cell]);
      });
      placed.sort((a, b) => a[0] - b[0]);
      let length = 0;
      for (const [position] of placed) length = Math.max(length, position + 1);
      columns.push(
        sparseColumn(
          member.key,
          line,
          false,
          length,
          placed.map((p) => p[0]),
          placed.map((p) => p[1]),
        ),
      );
    }
  }
  return { columns, rowLines: [] };
}

/** Position of every key of the dict-valued columns: numeric order when all are integers, else first seen. */
function indexRanks(members: Array<{ key: string; cell: number }>, store: CellStore): Map<string, number> {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const member of members) {
    if (store.kind(member.cell) !== CELL.object) continue;
    cellValue(store, member.cell).each((_, key) => {
      const k = key ?? '';
      if (!seen.has(k)) keys.push(k);
      seen.add(k);
    });
  }
  if (keys.every(isIndexKey)) keys.sort((a, b) => Number(a) - Number(b));
  return new Map(keys.map((key, position) => [key, position]));
}

/** A key given twice: the later value is kept (as `json.load` does). */
function duplicateKey(key: string, line: number, where: 'dict' | 'record'): ParseIssue {
  return {
    kind: 'duplicate-metric',
    line,
    message: `line ${line}: the key ${JSON.stringify(shorten(key, 80))} is given twice in one ${where}: the later value is kept`,
  };
}

function isIndexKey(key: string): boolean {
  if (key.length === 0 || key.length > 15) return false;
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/**
 * Keeps the columns that hold at least one number or nothing at all (the metrics). Columns of lists or
 * objects are reported; columns of plain strings/booleans (notes, names) are not metrics and are ignored.
 */
function classifyColumns(columns: Column[], store: CellStore, issues: ParseIssue[]): Column[] {
  const metrics: Column[] = [];
  for (const column of columns) {
    if (column.name === 'epoch') continue;
    let empty = true;
    let numbers = false;
    let containers = false;
    column.each((cell) => {
      if (cell < 0) return;
      const kind = store.kind(cell);
      if (kind !== CELL.null) empty = false;
      if (kind === CELL.number || kind === CELL.numericString) numbers = true;
      if (kind === CELL.array || kind === CELL.object) containers = true;
    });
    // An empty or all-null list is a metric with no values yet (e.g. `{"loss": []}`), not a non-metric.
    if (empty || numbers) metrics.push(column);
    else if (containers) {
      issues.push({
        kind: 'bad-value',
        line: column.line,
        message: `line ${column.line}: ${JSON.stringify(shorten(column.name, 200))} holds lists or objects, not numbers; omitted`,
      });
    }
  }
  return metrics;
}

/** The number a cell stands for; null when it is not one. */
function numberOf(store: CellStore, cell: number): number | null {
  const kind = store.kind(cell);
  return kind === CELL.number || kind === CELL.numericString ? store.num(cell) : null;
}

function reportShortLists(metrics: Column[], issues: ParseIssue[]): void {
  let longest = 0;
  for (const column of metrics) longest = Math.max(longest, column.length);
  const shorter = metrics.filter((column) => column.byPosition && column.length < longest);
  const first = shorter[0];
  if (first === undefined) return;
  const names =
    shorter
      .slice(0, 10)
      .map((column) => `${shorten(column.name, 80)} (${column.length})`)
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
function checkEpochColumn(columns: Column[], store: CellStore, issues: ParseIssue[]): void {
  const column = columns.find((candidate) => candidate.name === 'epoch');
  if (column === undefined) return;
  let zero = true;
  let one = true;
  column.each((cell, position) => {
    const value = cell < 0 ? null : numberOf(store, cell);
    if (value === null) return;
    if (value !== position) zero = false;
    if (value !== position + 1) one = false;
  });
  if (zero || one) return;
  issues.push({
    kind: 'ambiguous',
    line: column.line,
    message: `line ${column.line}: the saved epoch values are not 0..n-1 or 1..n; epochs are numbered by position`,
  });
}

function buildEpochs(
  table: Table,
  metrics: Column[],
  store: CellStore,
  rootLine: number,
  issues: ParseIssue[],
  limits: InputLimits | null,
): Epoch[] {
  let count = 0;
  for (const column of table.columns) count = Math.max(count, column.length);
  // one interned name per column (a later column of the same name wins, as in json.load)
  const names = metrics.map((column) =>
    limits === null ? column.name : limits.name(column.name, column.line),
  );
  const epochs: Epoch[] = [];
  for (let position = 0; position < count; position++) {
    const values: Record<string, number> = {};
    let present = false;
    let kept = 0;
    let dropped = 0;
    for (let c = 0; c < metrics.length; c += 1) {
      const column = metrics[c] as Column;
      const name = names[c];
      const cell = column.at(position);
      if (cell < 0 || store.kind(cell) === CELL.null || name === null || name === undefined) continue;
      present = true;
      const value = numberOf(store, cell);
      if (value === null) issues.push(badCell(name, position, store, cell));
      else if (!Object.hasOwn(values, name) && kept >= PARSE_LIMITS.valuesPerRecord) dropped += 1;
      else {
        if (!Object.hasOwn(values, name)) kept += 1;
        setMetric(values, name, value);
      }
    }
    const line = epochLine(table, store, position, rootLine);
    if (dropped > 0) limits?.tooManyValues(line, dropped);
    if (!present && !hasAnyCell(table, position)) {
      // Only a list of records has such holes: an item that is not a dict, or an empty dict.
      issues.push(notARecord(position, table.rowLines[position] ?? rootLine));
      continue;
    }
    if (limits !== null && !limits.keep(kept)) return epochs;
    epochs.push(epochRecord(position + 1, values, line));
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
  return table.columns.some((column) => column.at(position) >= 0);
}

function badCell(name: string, position: number, store: CellStore, cell: number): ParseIssue {
  const line = store.line(cell);
  return {
    kind: 'bad-value',
    line,
    message: `line ${line}: epoch ${position + 1}: ${shorten(name, 200)} is ${describe(store, cell)}, not a number; omitted`,
  };
}

function describe(store: CellStore, cell: number): string {
  switch (store.kind(cell)) {
    case CELL.string: {
      const text = store.texts.get(cell) ?? '';
      return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
    }
    case CELL.boolean:
      return store.num(cell) === 1 ? 'true' : 'false';
    case CELL.symbol:
      return 'a name';
    case CELL.array:
      return 'a list';
    case CELL.object:
      return 'an object';
    default:
      return 'null';
  }
}

/** First line (in file order) holding one of the epoch's cells; else the record's line; else the root's. */
function epochLine(table: Table, store: CellStore, position: number, rootLine: number): number {
  let line = Number.POSITIVE_INFINITY;
  for (const column of table.columns) {
    const cell = column.at(position);
    if (cell >= 0) line = Math.min(line, store.line(cell));
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
    const over = `more than ${thousands(PARSE_LIMITS.values)} values in one JSON document (epochlint's limit, which keeps memory bounded): not read; split the file`;
    const overKeys = `more than ${thousands(PARSE_LIMITS.keys)} distinct keys in one JSON document (epochlint's limit, which keeps memory bounded): not read; split the file`;
    const collector = createHistoryCollector({
      maxValues: PARSE_LIMITS.values,
      overValues: over,
      maxKeys: PARSE_LIMITS.keys,
      overKeys,
      unwrap: MAX_UNWRAP,
    });
    // keys longer than a metric name may be are cut (then reported as over-long when they name a metric)
    const stream = createJsonStream(collector.handler, {
      sequence: true,
      maxKeyChars: PARSE_LIMITS.nameChars + 1,
    });
    return {
      kind: 'chars',
      write(text: string): void {
        if (collector.problem() === null) stream.write(text);
      },
      end() {
        const capped = collector.problem();
        const refused = (p: { message: string } | null): boolean =>
          p !== null && (p.message === over || p.message === overKeys);
        if (capped !== null && refused(capped)) return { fatal: capped.message };
        const problem = capped ?? stream.end() ?? collector.problem();
        if (problem !== null && refused(problem)) return { fatal: problem.message };
        const result = parseHistoryDocument(problem, collector.finish(), { file: ctx.file }, ctx.limits);
        for (const issue of result.issues) ctx.onIssue(issue);
        for (const run of result.runs) ctx.onRun(run);
        const malformed =
          result.runs.length === 0 ? result.issues.find((i) => i.kind === 'malformed-input') : undefined;
        return { fatal: malformed ? malformed.message : null };
      },
    };
  },
};
