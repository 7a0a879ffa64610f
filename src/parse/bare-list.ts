/**
 * Bare lists of values: one number a line (`numpy.savetxt`, CRLF or not), numbers separated by commas
 * or spaces, a Python list (`[0.71, 0.73, ...]`, wrapped over lines), `tensor(0.93)` reprs, and one
 * vector per record (`tensor([0.78, 0.94, ...],\n device='cuda:0')` per epoch: several top-level lists
 * are several records of one vector each). It is one validation series, in order, on the `evaluation`
 * axis: named by `--metric`, else by the file's stem when that names a validation metric (`val_loss.txt`),
 * else `val_value`; a one-word first line (`val_acc`, a one-column CSV) names it too. Vectors give
 * `name[0]`, `name[1]`, ... Streamed character by character; a list cut by the end of input is reported.
 */
import type { Epoch, Run } from '../model/index.js';
import { isValidationName } from '../model/roles.js';
import { numericLiteral } from './json-tolerant.js';
import type { TerminalLine } from './terminal.js';
import type { FormatReader, ReaderContext, ReaderEntry, SniffHead } from './types.js';

/** Words a repr of numbers may hold: call names before `(`, and non-finite values. */
const ALLOWED_WORDS = new Set([
  'nan',
  'inf',
  'infinity',
  '-inf',
  'array',
  'tensor',
  'np.array',
  'torch.tensor',
  'list',
]);
const DEFAULT_NAME = 'val_value';
/** Characters of a number or word kept (a longer one is not a number anyway). */
const MAX_TOKEN_CHARS = 4096;

function sniff(head: SniffHead): number {
  let numbers = 0;
  let lines = 0;
  let nameLine = 0;
  for (const raw of head.rawLines) {
    const t = raw.trim();
    if (t.length === 0) continue;
    lines += 1;
    const verdict = scanSniff(t);
    if (verdict === null) {
      if (lines === 1 && /^[A-Za-z_][\w.@/-]*$/.test(t)) {
        nameLine = 1;
        continue;
      }
      return 0;
    }
    numbers += verdict;
  }
  if (numbers < 2 || lines - nameLine < 1) return 0;
  return 0.9;
}

/** Numbers in a line of a repr, or null when the line holds other text. Linear. */
function scanSniff(line: string): number | null {
  let count = 0;
  let i = 0;
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (isNumberChar(c)) {
      let j = i;
      while (j < line.length && isNumberChar(line.charCodeAt(j))) j += 1;
      if (numericLiteral(line.slice(i, j)) === null) return null;
      count += 1;
      i = j;
      continue;
    }
    if (isWordChar(c)) {
      let j = i;
      while (j < line.length && (isWordChar(line.charCodeAt(j)) || isNumberChar(line.charCodeAt(j)))) j += 1;
      const word = line.slice(i, j).toLowerCase();
      const next = line.charAt(j);
      if (next === '=') {
        // `device='cuda:0'`, `dtype=torch.float32`: a keyword argument, skipped to its end
        while (j < line.length && line.charAt(j) !== ',' && line.charAt(j) !== ')') j += 1;
      } else if (!ALLOWED_WORDS.has(word) && next !== '(') return null;
      i = j;
      continue;
    }
    if (c === 39 || c === 34) {
      // a repr closes its strings on their line: a quote left open is a CSV header's, not a list's
      const close = line.indexOf(line.charAt(i), i + 1);
      if (close < 0) return null;
      i = close + 1;
      continue;
    }
    if (!(c === 32 || c === 9 || c === 44 || c === 59 || c === 91 || c === 93 || c === 40 || c === 41))
      return null;
    i += 1;
  }
  return count;
}

function isNumberChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 46 || c === 45 || c === 43 || c === 101 || c === 69;
}
function isWordChar(c: number): boolean {
  return (c >= 65 && c <= 90 && c !== 69) || (c >= 97 && c <= 122 && c !== 101) || c === 95;
}

interface Group {
  values: number[];
  /** Sub-lists of a top-level list (`[[a, b], [c, d]]`, `[tensor(0.5), tensor(0.4)]`). */
  items: number[][];
  line: number;
}

function createReader(ctx: ReaderContext): FormatReader {
  let name: string | null = ctx.metricNames[0] ?? stemName(ctx.file);
  const records: Array<{ values: number[]; line: number }> = [];
  let depth = 0;
  let group: Group | null = null;
  let item: number[] | null = null;
  let held: Group | null = null;
  let topGroups = 0;
  let number = '';
  let numberLine = 0;
  let word = '';
  let skipKwarg = false;
  let quote: string | null = null;
  let firstLine = true;
  let reportedLine = -1;

  /** `counted`: the values were counted as they were held in their list. */
  const emit = (values: number[], line: number, counted = true): void => {
    if (!ctx.limits.keep(counted ? 0 : values.length)) return;
    records.push({ values, line });
    ctx.onEpoch?.(toEpoch(values, line, records.length), 0);
  };

  const flushNumber = (): void => {
    if (number.length === 0) return;
    const v = numericLiteral(number);
    const text = number;
    number = '';
    if (skipKwarg) return; // `device=0`
    if (v === null) {
      bad(numberLine, text);
      return;
    }
    if (depth === 0) emit([v], numberLine, false);
    // values held in a list until it closes count against the input's cap as they come
    else if (!ctx.limits.addValues(1)) return;
    else if (item !== null && depth >= 2) item.push(v);
    else group?.values.push(v);
  };

  const flushWord = (line: number): void => {
    if (word.length === 0) return;
    const w = word.toLowerCase();
    word = '';
    const v = numericLiteral(w);
    if (v !== null) {
      number = w;
      numberLine = line;
      flushNumber();
    } else if (!ALLOWED_WORDS.has(w) && !skipKwarg) bad(line, w);
  };

  const bad = (line: number, text: string): void => {
    if (reportedLine === line) return;
    reportedLine = line;
    ctx.onIssue({
      kind: 'bad-value',
      line,
      message: `${JSON.stringify(text.slice(0, 40))} is not a number: left out`,
    });
  };

  const closeTop = (g: Group): void => {
    topGroups += 1;
    if (held !== null) {
      emit(valuesOf(held), held.line);
      held = null;
    }
    if (topGroups === 1) {
      held = g;
      return;
    }
    emit(valuesOf(g), g.line);
  };

  /** A top-level list as one record: its numbers, or its sub-lists' numbers (`tensor([...])`). */
  const valuesOf = (g: Group): number[] => (g.values.length > 0 ? g.values : g.items.flat());

  const line = (tl: TerminalLine): void => {
    const text = tl.text;
    if (firstLine && text.trim().length > 0) {
      firstLine = false;
      const t = text.trim();
      if (/^[A-Za-z_][\w.@/-]*$/.test(t) && numericLiteral(t) === null) {
        if (ctx.metricNames[0] === undefined) name = t;
        return;
      }
    }
    for (let i = 0; i < text.length; i += 1) {
      const ch = text.charAt(i);
      if (quote !== null) {
        if (ch === quote) quote = null;
        continue;
      }
      const c = text.charCodeAt(i);
      if (isNumberChar(c) && word.length === 0) {
        if (number.length === 0) numberLine = tl.line;
        if (number.length < MAX_TOKEN_CHARS) number += ch;
        continue;
      }
      if (isWordChar(c) || (word.length > 0 && (isNumberChar(c) || ch === '.'))) {
        if (number.length > 0 && (ch === 'n' || ch === 'i' || ch === 'N' || ch === 'I')) {
          word = number;
          number = '';
        }
        if (word.length < MAX_TOKEN_CHARS) word += ch;
        continue;
      }
      if (ch === '=') {
        // `device='cuda:0'`, `dtype=torch.float32`: a keyword argument, not a value
        word = '';
        number = '';
        skipKwarg = true;
        continue;
      }
      flushNumber();
      flushWord(tl.line);
      if (ch === "'" || ch === '"') {
        quote = ch;
        continue;
      }
      if (skipKwarg && (ch === ',' || ch === ')')) skipKwarg = false;
      if (ch === '[' || ch === '(') {
        depth += 1;
        if (depth === 1) group = { values: [], items: [], line: tl.line };
        else if (depth === 2) item = [];
        continue;
      }
      if (ch === ']' || ch === ')') {
        if (depth === 0) continue;
        depth -= 1;
        if (depth === 1 && item !== null) {
          if (item.length > 0) group?.items.push(item);
          item = null;
        }
        if (depth === 0 && group !== null) {
          const g = group;
          group = null;
          if (g.values.length > 0 || g.items.length > 0) closeTop(g);
        }
      }
    }
    // a number ends at the end of its line
    flushNumber();
    flushWord(tl.line);
  };

  return {
    kind: 'lines',
    line,
    end() {
      flushNumber();
      const h = held;
      if (h !== null) {
        // one list only: its numbers (or its sub-lists) are the records
        if (h.items.length > 0) for (const it of h.items) emit(it, h.line);
        else for (const v of h.values) emit([v], h.line);
        held = null;
      }
      if (depth > 0) {
        ctx.onIssue({
          kind: 'truncated-epoch',
          line: group?.line ?? null,
          message: 'the input ends inside a list: its values are not read',
        });
      }
      if (records.length > 0) {
        const base = name ?? DEFAULT_NAME;
        const epochs = records.map((r, i) => toEpoch(r.values, r.line, i + 1, base));
        const run: Run = {
          index: 0,
          epochs,
          events: [],
          datasets: [],
          axis: 'evaluation',
          source: {
            dialect: 'bare-list',
            file: ctx.file,
            fromLine: records[0]?.line ?? 1,
            toLine: records[records.length - 1]?.line ?? 1,
          },
        };
        ctx.onRun(run);
      }
      return { fatal: null };
    },
  };

  function toEpoch(
    values: number[],
    lineNo: number,
    index: number,
    base: string = name ?? DEFAULT_NAME,
  ): Epoch {
    const metrics: Record<string, number> = {};
    if (values.length === 1) metrics[base] = values[0] ?? Number.NaN;
    else values.forEach((v, i) => (metrics[`${base}[${i}]`] = v));
    return {
      epoch: index,
      of: null,
      metrics,
      steps: null,
      countUnit: null,
      seconds: null,
      stepTime: null,
      line: lineNo,
    };
  }
}

/** `val_loss.txt` → `val_loss`: a file's stem, when it names a validation metric. */
function stemName(file: string | null): string | null {
  if (file === null || file === '-') return null;
  const base = file.split(/[\\/]/).pop() ?? '';
  const stem = base.replace(/\.[^.]*$/, '');
  return /^[A-Za-z][\w.@-]*$/.test(stem) && isValidationName(stem) ? stem : null;
}

export const bareListReader: ReaderEntry = {
  dialect: 'bare-list',
  aliases: ['list', 'values'],
  binary: false,
  fileHint: null,
  sniff,
  create: createReader,
};

/**
 * A bare list's series under another name (`--metric`): `val_value` → `val_loss`, `val_value[3]` →
 * `val_loss[3]`. Runs of other formats are returned as they are.
 */
export function nameSeries(run: Run, name: string): Run {
  if (run.source.dialect !== 'bare-list') return run;
  const rename = (key: string): string => {
    const bracket = key.lastIndexOf('[');
    return bracket > 0 && key.endsWith(']') ? `${name}${key.slice(bracket)}` : name;
  };
  return {
    ...run,
    epochs: run.epochs.map((e) => ({
      ...e,
      metrics: Object.fromEntries(Object.entries(e.metrics).map(([k, v]) => [rename(k), v])),
    })),
  };
}
