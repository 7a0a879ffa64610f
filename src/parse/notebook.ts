import type { Epoch, ParseIssue } from '../model/index.js';
import { readTolerant } from './json-tolerant.js';
import { createKerasTextParser } from './keras-text.js';
import { buildHead, chooseReader, SNIFF_CHARS } from './sniff.js';
import { createTerminal } from './terminal.js';
import { bufferedDocument } from './buffered.js';
import type { FormatReader, ReaderContext, ReaderEntry, SniffHead } from './types.js';
import type { TolerantNode, TolerantObject } from './json-tolerant.js';

/** The stream text of a notebook, ready for the console-log parser. */
export interface NotebookStreams {
  /** stdout/stderr stream outputs of the code cells, in cell and output order, escapes decoded. */
  text: string;
  /**
   * `lineMap[i]` is the 1-based line of the .ipynb file that holds the start of line `i` (0-based) of
   * `text`; one entry per `text.split('\n')` element, or none when `text` is empty.
   */
  lineMap: number[];
  issues: ParseIssue[];
}

// How far into the file a notebook's opening keys are looked for when its JSON is broken.
const SNIFF_WINDOW = 4096;

/**
 * Extracts the `stream` outputs (stdout and stderr) of a Jupyter notebook's code cells (nbformat 4
 * `cells`, nbformat 3 `worksheets[].cells`). `execute_result`, `display_data` and `error` outputs are
 * not log text and are left out.
 *
 * Each output's `text` (a string or a list of strings) is appended as stored, JSON escapes decoded
 * (`\b`, `\r`, `\u001b` become the real characters: terminal semantics are the caller's job); a `\n` is
 * added between outputs when one does not end with it. Lines of the result map to the line where the
 * list element (or the single string) holding their first character starts in the file.
 *
 * Returns null when the text is not a notebook (not JSON, or no `cells`/`worksheets` key); a
 * notebook whose JSON is malformed (truncated) gives empty text and one `malformed-input` issue. Never
 * throws.
 */
export function extractNotebookStreams(text: string): NotebookStreams | null {
  const read = readTolerant(text);
  if (!read.ok) {
    if (!startsLikeNotebook(text)) return null;
    return broken(read.line, `notebook JSON is malformed: ${read.message}`);
  }
  const root = read.value;
  if (root.kind !== 'object' || !isNotebookRoot(root)) return null;
  const cells = cellsOf(root);
  if (cells === null) return broken(root.line, 'notebook has no list of cells');
  const builder = new StreamText();
  for (const cell of cells) {
    if (cell.kind === 'object' && stringMember(cell, 'cell_type') === 'code') appendCell(cell, builder);
  }
  return builder.finish();
}

function broken(line: number, message: string): NotebookStreams {
  return {
    text: '',
    lineMap: [],
    issues: [{ kind: 'malformed-input', line, message: `line ${line}: ${message}` }],
  };
}

/** `{` first, then a notebook key early on: the file meant to be a notebook, so its breakage is reported. */
function startsLikeNotebook(text: string): boolean {
  // trimStart also drops a byte-order mark (U+FEFF is whitespace to JavaScript).
  const head = text.slice(0, SNIFF_WINDOW).trimStart();
  if (!head.startsWith('{')) return false;
  return head.includes('"cells"') || head.includes('"nbformat"') || head.includes('"metadata"');
}

function isNotebookRoot(root: TolerantObject): boolean {
  return root.entries.some((entry) => ['cells', 'worksheets'].includes(entry.key));
}

/** nbformat 4 `cells`, or the cells of every nbformat 3 worksheet in order; null when neither is a list. */
function cellsOf(root: TolerantObject): TolerantNode[] | null {
  const cells = member(root, 'cells');
  if (cells?.kind === 'array') return cells.items;
  const worksheets = member(root, 'worksheets');
  if (worksheets?.kind !== 'array') return null;
  return worksheets.items.flatMap((sheet) => {
    const sheetCells = sheet.kind === 'object' ? member(sheet, 'cells') : undefined;
    return sheetCells?.kind === 'array' ? sheetCells.items : [];
  });
}

function appendCell(cell: TolerantObject, builder: StreamText): void {
  const outputs = member(cell, 'outputs');
  if (outputs?.kind !== 'array') return;
  for (const output of outputs.items) {
    if (output.kind !== 'object' || stringMember(output, 'output_type') !== 'stream') continue;
    const text = member(output, 'text');
    if (text === undefined) continue;
    builder.startOutput();
    if (text.kind === 'string') builder.append(text.value, text.line);
    else if (text.kind === 'array') text.items.forEach((item) => appendItem(item, builder));
    else builder.problem(text.line, 'stream "text" is neither a string nor a list of strings');
  }
}

function appendItem(item: TolerantNode, builder: StreamText): void {
  if (item.kind === 'string') builder.append(item.value, item.line);
  else builder.problem(item.line, 'stream "text" item is not a string; skipped');
}

function member(node: TolerantObject, key: string): TolerantNode | undefined {
  return node.entries.find((entry) => entry.key === key)?.value;
}

function stringMember(node: TolerantObject, key: string): string | null {
  const value = member(node, key);
  return value?.kind === 'string' ? value.value : null;
}

/** Accumulates text pieces and the file line of each text line's first character. */
class StreamText {
  private readonly parts: string[] = [];
  private readonly lineMap: number[] = [];
  private readonly issues: ParseIssue[] = [];
  private atLineStart = true;
  private lastLine = 1;
  private empty = true;

  /** Outputs are separate writes: the next one starts on a new line. */
  startOutput(): void {
    if (!this.empty && !this.atLineStart) this.append('\n', this.lastLine);
  }

  append(piece: string, line: number): void {
    if (piece === '') return;
    let from = 0;
    while (from < piece.length) {
      if (this.atLineStart) this.lineMap.push(line);
      this.atLineStart = false;
      const newline = piece.indexOf('\n', from);
      if (newline < 0) break;
      this.atLineStart = true;
      from = newline + 1;
    }
    this.parts.push(piece);
    this.lastLine = line;
    this.empty = false;
  }

  problem(line: number, message: string): void {
    this.issues.push({ kind: 'malformed-input', line, message: `line ${line}: ${message}` });
  }

  finish(): NotebookStreams {
    // The empty segment after a final '\n' still gets an entry, so every split('\n') index is valid.
    if (!this.empty && this.atLineStart) this.lineMap.push(this.lastLine);
    return { text: this.parts.join(''), lineMap: this.lineMap, issues: this.issues };
  }
}

const NOTEBOOK_KEYS = /"(?:cells|nbformat|worksheets)"\s*:/;

/** The readers a notebook's streams may be in; the readers table registers itself (no import cycle). */
let innerReaders: readonly ReaderEntry[] = [];

/** Called once by `readers.ts` with the whole table. */
export function registerNotebookReaders(readers: readonly ReaderEntry[]): void {
  innerReaders = readers;
}

function sniff(head: SniffHead): number {
  return head.text.trimStart().startsWith('{') && NOTEBOOK_KEYS.test(head.text) ? 0.99 : 0;
}

/**
 * Reads a notebook: the stream outputs of its code cells are sniffed like any log (Keras, a PyTorch
 * loop, the HF Trainer's dicts, ...) and read by that format's reader, their lines mapped back to the
 * notebook's own lines. Runs keep the dialect `notebook`.
 */
function createReader(ctx: ReaderContext): FormatReader {
  return bufferedDocument('notebook', (text: string) => {
    const notebook = extractNotebookStreams(text);
    if (notebook === null) return { fatal: 'not a Jupyter notebook' };
    for (const issue of notebook.issues) ctx.onIssue(issue);
    if (notebook.text.length === 0 && notebook.issues.length > 0) {
      return { fatal: notebook.issues[0]?.message ?? 'malformed notebook' };
    }
    const lineMap = notebook.lineMap;
    const map = (line: number): number => lineMap[line - 1] ?? 1;
    const head = buildHead(notebook.text.slice(0, SNIFF_CHARS), {
      complete: notebook.text.length <= SNIFF_CHARS,
      binary: false,
      bytes: new Uint8Array(0),
      fileName: null,
    });
    const inner = chooseReader(
      head,
      innerReaders.filter((r) => r.dialect !== 'notebook'),
    )?.entry;
    if (inner === undefined || inner.dialect === 'keras-text') {
      // the console parser knows notebook line maps itself
      const keras = createKerasTextParser({
        file: ctx.file,
        dialect: 'notebook',
        onRun: ctx.onRun,
        onIssue: (issue) => ctx.onIssue(issue.line === null ? issue : { ...issue, line: map(issue.line) }),
        mapLine: map,
      });
      const terminal = createTerminal((line) => keras.line(line));
      terminal.write(notebook.text);
      terminal.end();
      keras.end();
      return { fatal: null };
    }
    const reader = inner.create(remapped(ctx, map));
    if (reader.kind === 'lines') {
      const terminal = createTerminal((line) => reader.line(line));
      terminal.write(notebook.text);
      terminal.end();
      return reader.end();
    }
    if (reader.kind === 'chars') {
      reader.write(notebook.text);
      return reader.end();
    }
    return { fatal: 'binary data inside a notebook' };
  });
}

/** A context whose records and issues point at the notebook's lines, and whose runs say `notebook`. */
function remapped(ctx: ReaderContext, map: (line: number) => number): ReaderContext {
  return {
    ...ctx,
    onIssue: (issue) => ctx.onIssue(issue.line === null ? issue : { ...issue, line: map(issue.line) }),
    onRun: (run) =>
      ctx.onRun({
        ...run,
        epochs: run.epochs.map((e) => ({ ...e, line: map(e.line) })),
        events: run.events.map((e) => ({ ...e, line: map(e.line) })),
        datasets: run.datasets.map((d) => ({ ...d, line: map(d.line) })),
        source: {
          ...run.source,
          dialect: 'notebook',
          fromLine: map(run.source.fromLine),
          toLine: map(run.source.toLine),
        },
      }),
    ...(ctx.onEpoch
      ? { onEpoch: (epoch: Epoch, run: number) => ctx.onEpoch?.({ ...epoch, line: map(epoch.line) }, run) }
      : {}),
  };
}

export const notebookReader: ReaderEntry = {
  dialect: 'notebook',
  aliases: ['ipynb'],
  binary: false,
  fileHint: /\.ipynb$/i,
  sniff,
  create: createReader,
};
