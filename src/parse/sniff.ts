/**
 * Deciding the format of an input from its first characters: the head is cut into visible lines with
 * one linear scan, each line is classified once (the census), and every reader of the table scores the
 * head; the best score wins, the file name only breaks ties (people save CSVLogger output as `.log`,
 * notebooks as `.py` and model cards as `README.md`).
 */
import { forEachField, hasUnclosedQuote, MISSING } from './csv-fields.js';
import { numericLiteral } from './json-tolerant.js';
import { cleanLine } from './keras-line.js';
import { readLine } from './line-tokens.js';
import type { Census, ReaderEntry, SniffHead } from './types.js';

/** How many decoded characters the sniffer wants before deciding (less at end of input or when certain). */
export const SNIFF_CHARS = 8192;
/** Lines of the head looked at, and the characters of each (sniffers never scan unbounded text). */
const MAX_SNIFF_LINES = 400;
const MAX_SNIFF_LINE_CHARS = SNIFF_CHARS;
/** A score at which the decision does not wait for more input. */
export const CERTAIN = 0.9;

/**
 * Longest head held for sniffing: the head is the first {@link SNIFF_CHARS} characters, or longer, to the
 * end of the second non-blank line (a CSV header of 100,000 columns and its first row), up to this.
 */
export const MAX_HEAD_CHARS = 4 << 20;

/** Builds the head the sniffers look at. Linear in the head's length. */
export function buildHead(
  text: string,
  options: { complete: boolean; binary: boolean; bytes: Uint8Array; fileName: string | null },
): SniffHead {
  const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const sniffed = clean.length > SNIFF_CHARS ? clean.slice(0, SNIFF_CHARS) : clean;
  const rawLines = visibleLines(sniffed);
  const lines = rawLines.map((l) => cleanLine(l));
  return {
    text: sniffed,
    rawLines,
    firstRows: firstRowsOf(clean),
    lines,
    ...options,
    census: takeCensus(lines),
  };
}

/**
 * Follows a head as it arrives, chunk by chunk, each character read once: the line breaks within its
 * first {@link SNIFF_CHARS} characters, and whether it holds its second non-blank line (or
 * {@link MAX_HEAD_CHARS}) yet.
 */
export function createHeadTracker(): {
  push(chunk: string): void;
  /** The head reached the end of its second non-blank line, or its cap. */
  done(): boolean;
  /** Line breaks within the first {@link SNIFF_CHARS} characters. */
  lines(): number;
} {
  let length = 0;
  let rows = 0;
  let lineHasText = false;
  let breaks = 0;
  let done = false;
  return {
    push(chunk: string): void {
      for (let i = 0; i < chunk.length && !done; i += 1) {
        const c = chunk.charCodeAt(i);
        if (c === 10) {
          if (length + i < SNIFF_CHARS) breaks += 1;
          if (lineHasText) rows += 1;
          lineHasText = false;
          if (rows >= 2) done = true;
        } else if (!(c === 32 || c === 9 || c === 13 || c === 12 || c === 11 || c === 0xfeff))
          lineHasText = true;
      }
      length += chunk.length;
      if (length >= MAX_HEAD_CHARS) done = true;
    },
    done: () => done,
    lines: () => breaks,
  };
}

function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i += 1) {
    const c = text.charCodeAt(i);
    if (!(c === 32 || c === 9 || c === 13 || c === 12 || c === 11 || c === 0xfeff)) return false;
  }
  return true;
}

/** The first two non-blank lines in full (to {@link MAX_HEAD_CHARS}), trailing `\r`s removed. */
function firstRowsOf(text: string): string[] {
  const rows: string[] = [];
  let start = 0;
  const limit = Math.min(text.length, MAX_HEAD_CHARS);
  while (start < limit && rows.length < 2) {
    let nl = text.indexOf('\n', start);
    if (nl < 0 || nl > limit) nl = limit;
    let stop = nl;
    while (stop > start && text.charCodeAt(stop - 1) === 13) stop -= 1;
    if (!isBlank(text, start, stop)) rows.push(text.slice(start, stop));
    start = nl + 1;
  }
  return rows;
}

/** The visible lines of a text: split at `\n`, the part after the last `\r` of each, bounded in count and length. */
function visibleLines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  while (start <= text.length && out.length < MAX_SNIFF_LINES) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let stop = end;
    while (stop > start && text.charCodeAt(stop - 1) === 13) stop -= 1;
    const cr = text.lastIndexOf('\r', stop - 1);
    const from = cr >= start ? cr + 1 : start;
    out.push(text.slice(from, Math.min(stop, from + MAX_SNIFF_LINE_CHARS)));
    if (end >= text.length) break;
    start = end + 1;
  }
  return out;
}

const KERAS_HEADER = /^Epoch \d+\/\d+$/;
/**
 * A Keras progress frame. The unanchored number starts only where a digit run starts (`(?<!\d)`): tried
 * inside a run of digits it would rescan the run from every position (quadratic in the head).
 */
const KERAS_FRAME =
  /^\d+\/(?:\d+|Unknown) (?:\[[=>.]*\]|━)|(?<!\d)\d+m?s \d+(?:ms|us|s)\/(?:step|sample)| - ETA: |^\d+\/\d+ - \d+s|^(?:- )?\d+s - \w+: |(?:^| )- \w+: \S+ - \w+: /;

function takeCensus(lines: readonly string[]): Census {
  const census: Census = {
    lines: 0,
    kerasHeaders: 0,
    kerasFrames: 0,
    epochLines: 0,
    epochMarks: 0,
    valueLines: 0,
    bars: 0,
    nameRows: 0,
    numberRows: 0,
    dicts: 0,
    firstValueLine: null,
  };
  lines.forEach((line, index) => {
    const text = line.trim();
    if (text.length === 0) return;
    census.lines += 1;
    if (KERAS_HEADER.test(text)) {
      census.kerasHeaders += 1;
      return;
    }
    if (KERAS_FRAME.test(text)) {
      census.kerasFrames += 1;
      return;
    }
    if (text.includes('{') && text.includes(':') && text.includes('}')) {
      census.dicts += 1;
      return;
    }
    if (isNumberRow(text)) {
      census.numberRows += 1;
      return;
    }
    const reading = readLine(text);
    if (reading.bar !== null) census.bars += 1;
    if (reading.epoch !== null) census.epochMarks += 1;
    if (reading.pairs.length > 0 && reading.epoch !== null) census.epochLines += 1;
    else if (reading.pairs.length > 0) census.valueLines += 1;
    else if (reading.bar === null && isNameRow(text)) census.nameRows += 1;
    if (reading.pairs.length > 0) census.firstValueLine ??= index + 1;
  });
  return census;
}

/** Numbers (and list punctuation) only: `0.5`, `1 0.3 0.4`, `[0.1, 0.2]`, `5.2\t2.7`. */
export function isNumberRow(text: string): boolean {
  let digits = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += 1;
    else if (!(
      c === 46 ||
      c === 45 ||
      c === 43 ||
      c === 101 ||
      c === 69 ||
      c === 44 ||
      c === 32 ||
      c === 9
    )) {
      if (!(c === 91 || c === 93 || c === 40 || c === 41 || c === 58 || c === 37)) return false;
    }
  }
  return digits > 0;
}

/** Two or more words and no number: a table header (or prose). */
function isNameRow(text: string): boolean {
  const cells = text.split(/[\s,|]+/).filter((c) => c.length > 0);
  return cells.length >= 2 && cells.every((c) => /^[A-Za-z_*#]/.test(c));
}

/** Scores every reader on the head; the best (then the earliest in the table) wins. */
export function chooseReader(
  head: SniffHead,
  entries: readonly ReaderEntry[],
): { entry: ReaderEntry; score: number } | null {
  let best: { entry: ReaderEntry; score: number } | null = null;
  for (const entry of entries) {
    if (entry.binary !== head.binary) continue;
    let score = entry.sniff(head);
    if (score <= 0) continue;
    if (entry.fileHint !== null && head.fileName !== null && entry.fileHint.test(head.fileName))
      score += 0.05;
    if (best === null || score > best.score) best = { entry, score };
  }
  return best;
}

/**
 * A CSV header: its separator and names (`epoch,loss,val_loss`, YOLO's right-aligned cells, pandas'
 * empty index name); null when the line is not one. The separator is the most frequent of `,` `;` tab `|`
 * outside quotes. `plain` says every name looks like an identifier; names that do not (`val loss (%)`,
 * `1st acc`, `=x`) make a header only over a row of numbers. A quote that is never closed is read as a
 * character (`unclosedQuote`). Linear in the line, however long.
 */
export function csvHeader(line: string): CsvHeader | null {
  // the CSV sniffers all ask about the same first row: read once
  if (line === lastHeader.line) return lastHeader.header;
  const header = readCsvHeader(line);
  lastHeader = { line, header };
  return header;
}

/** What {@link csvHeader} found. */
export interface CsvHeader {
  separator: string;
  names: string[];
  plain: boolean;
  unclosedQuote: boolean;
}

let lastHeader: { line: string | null; header: CsvHeader | null } = { line: null, header: null };

function readCsvHeader(line: string): CsvHeader | null {
  const text = line.trim();
  if (text.length === 0) return null;
  const counts = new Map<number, number>([
    [44, 0],
    [59, 0],
    [9, 0],
    [124, 0],
  ]);
  /** Separators inside quotes too: a quote that is never closed is a character, not a quoted field. */
  const all = new Map(counts);
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (all.has(c)) {
      all.set(c, (all.get(c) ?? 0) + 1);
      if (!quoted) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
  }
  let separator = '';
  let best = 0;
  for (const [code, count] of quoted ? all : counts) {
    if (count > best) [separator, best] = [String.fromCharCode(code), count];
  }
  if (best === 0) return null;
  const unclosedQuote = hasUnclosedQuote(text, separator);
  // fields are looked at as they are cut: a row of numbers stops at its first cell
  const names: string[] = [];
  let plain = true;
  /** An empty name after the first: only the last may be one (a separator ending the line). */
  let emptyAt = -1;
  const ok = forEachField(text, separator, unclosedQuote, (name, i) => {
    if (emptyAt >= 0) return false;
    if (name === '') {
      if (i > 0) emptyAt = i;
      else names.push(name);
      return true;
    }
    if (numericLiteral(name) !== null || MISSING.has(name.toLowerCase())) return false;
    const c = name.charCodeAt(0);
    if (c === 91 || c === 40) return false; // `[0.1, 0.2]`, `(1, 2)`: values
    if (plain && !isColumnName(name)) plain = false;
    names.push(name);
    return true;
  });
  if (!ok || names.length < 2) return null;
  return { separator, names, plain, unclosedQuote };
}

/** A column name as CSV writers make them: starts with a letter or `_`; no `=`; a `:` only inside (`metrics/mAP_0.5:0.95`). */
function isColumnName(name: string): boolean {
  const c = name.charCodeAt(0);
  if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95)) return false;
  if (name.includes('=') || name.endsWith(':') || name.includes(': ')) return false;
  return true;
}

/** The first non-blank raw line and the rows after it (CSV sniffers): the first two in full. */
export function firstLines(head: SniffHead, count: number): string[] {
  if (count <= 2) return head.firstRows.slice(0, count);
  const out: string[] = [];
  for (const line of head.rawLines) {
    if (line.trim().length === 0) continue;
    out.push(line);
    if (out.length >= count) break;
  }
  return out;
}
