import type { Epoch, ParseIssue, Run } from '../model/index.js';
import { createJsonStream, type JsonHandler } from './json-stream.js';
import { createKerasTextParser } from './keras-text.js';
import { buildHead, chooseReader, createHeadTracker, SNIFF_CHARS } from './sniff.js';
import { createNotebookTables } from './notebook-tables.js';
import { createTerminal } from './terminal.js';
import type { FormatReader, ReaderContext, ReaderEnd, ReaderEntry, SniffHead } from './types.js';

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
/** Text of one output held while its `output_type` is not known yet (keys in an unusual order). */
const MAX_HELD_OUTPUT_CHARS = 64 << 20;

/** What a notebook's JSON says as it is read: stream text pieces with their lines, problems, the end. */
interface NotebookSink {
  /** A piece of stream text; `line` is the notebook line of the JSON string it comes from. */
  text(piece: string, line: number): void;
  /** A stream output starts (outputs are separate writes: the next one starts on a new line). */
  output(line: number): void;
  problem(line: number, message: string): void;
  /** A `text/html` output (nbformat 4 `data`, nbformat 3 `html`) starts, a piece of it, its end. */
  htmlStart?(line: number): void;
  html?(piece: string, line: number): void;
  htmlEnd?(): void;
  /** A cell ends. */
  cellEnd?(): void;
}

/** What the JSON reading found once it ended. */
interface NotebookShape {
  /** A JSON problem (the text is not valid JSON, or it was cut). */
  broken: { line: number; message: string } | null;
  /** The root is an object with `cells` or `worksheets`. */
  notebook: boolean;
  /** The cells are a list (nbformat 4 `cells`, or nbformat 3 worksheets' `cells`). */
  cellList: boolean;
  rootLine: number;
}

type Role =
  | 'root'
  | 'cells'
  | 'worksheets'
  | 'worksheet'
  | 'cell'
  | 'outputs'
  | 'output'
  | 'text-list'
  | 'data'
  | 'html-list'
  | 'other';

interface Level {
  role: Role;
  kind: 'object' | 'array';
  /** The member key being read (objects). */
  key: string | null;
  /** `cell_type` of a cell; `output_type` of an output (null until read). */
  type: string | null;
  /** An output's text pieces held until its `output_type` says it is a stream. */
  held: Array<{ piece: string; line: number }> | null;
  heldChars: number;
  /** An output's text was seen (to start a stream output on a new line once). */
  started: boolean;
  line: number;
}

/**
 * Reads a notebook's JSON as it comes and hands on the text of its code cells' `stream` outputs
 * (stdout and stderr, nbformat 4 `cells` and nbformat 3 `worksheets[].cells`); `execute_result`,
 * `display_data` and `error` outputs are not log text and are left out. Nothing but the current output
 * (when its type comes after its text) is held.
 */
function createNotebookJson(sink: NotebookSink): { write(text: string): void; end(): NotebookShape } {
  const levels: Level[] = [];
  let notebook = false;
  let cellList = false;
  let rootLine = 1;
  let roots = 0;
  /** The string being read and where it goes. */
  let string: { to: 'type' | 'text' | 'html' | 'none'; line: number; parts: string[] } | null = null;
  /** A `text/html` value given as one string (not a list) ends with it. */
  let htmlString = false;

  const level = (): Level | undefined => levels[levels.length - 1];
  const roleOf = (kind: 'object' | 'array'): Role => {
    const parent = level();
    if (parent === undefined) return kind === 'object' ? 'root' : 'other';
    const key = parent.key;
    switch (parent.role) {
      case 'root':
        if (key === 'cells') return kind === 'array' ? 'cells' : 'other';
        if (key === 'worksheets') return kind === 'array' ? 'worksheets' : 'other';
        return 'other';
      case 'worksheets':
        return kind === 'object' ? 'worksheet' : 'other';
      case 'worksheet':
        return key === 'cells' && kind === 'array' ? 'cells' : 'other';
      case 'cells':
        return kind === 'object' ? 'cell' : 'other';
      case 'cell':
        return key === 'outputs' && kind === 'array' && parent.type !== 'markdown' && parent.type !== 'raw'
          ? 'outputs'
          : 'other';
      case 'outputs':
        return kind === 'object' ? 'output' : 'other';
      case 'output':
        if (key === 'text' && kind === 'array') return 'text-list';
        if (key === 'data' && kind === 'object') return 'data';
        return key === 'html' && kind === 'array' ? 'html-list' : 'other';
      case 'data':
        return key === 'text/html' && kind === 'array' ? 'html-list' : 'other';
      default:
        return 'other';
    }
  };

  /** Stream text of the output at `out` (held until its type is known). */
  const text = (out: Level, piece: string, line: number): void => {
    if (out.type !== null && out.type !== 'stream') return;
    if (out.type === null) {
      out.held ??= [];
      out.heldChars += piece.length;
      if (out.heldChars <= MAX_HELD_OUTPUT_CHARS) out.held.push({ piece, line });
      return;
    }
    if (!out.started) {
      out.started = true;
      sink.output(line);
    }
    sink.text(piece, line);
  };

  const handler: JsonHandler = {
    open(kind, line) {
      const role = roleOf(kind);
      if (levels.length === 0) {
        roots += 1;
        rootLine = line;
      }
      if (role === 'cells') cellList = true;
      const parent = level();
      if (parent?.role === 'output' && parent.key === 'text' && role !== 'text-list') {
        sink.problem(line, 'stream "text" is neither a string nor a list of strings');
      }
      if (parent?.role === 'text-list') sink.problem(line, 'stream "text" item is not a string; skipped');
      if (
        parent?.role === 'root' &&
        (parent.key === 'cells' || parent.key === 'worksheets') &&
        kind !== 'array'
      ) {
        cellList = cellList || false;
      }
      if (role === 'html-list') sink.htmlStart?.(line);
      levels.push({ role, kind, key: null, type: null, held: null, heldChars: 0, started: false, line });
    },
    close() {
      const done = levels.pop();
      if (done?.role === 'html-list') sink.htmlEnd?.();
      if (done?.role === 'cell') sink.cellEnd?.();
      if (done?.role === 'output' && done.type === 'stream' && done.held !== null) {
        const held = done.held;
        done.held = null;
        for (const h of held) text(done, h.piece, h.line);
      }
    },
    key(key) {
      const l = level();
      if (l === undefined) return;
      l.key = key;
      if (l.role === 'root' && (key === 'cells' || key === 'worksheets')) notebook = true;
    },
    scalar(_value, line) {
      const l = level();
      if (l?.role === 'output' && l.key === 'text') {
        sink.problem(line, 'stream "text" is neither a string nor a list of strings');
      } else if (l?.role === 'text-list') sink.problem(line, 'stream "text" item is not a string; skipped');
      if (levels.length === 0) roots += 1;
    },
    stringStart(line) {
      const l = level();
      if (levels.length === 0) roots += 1;
      let to: 'type' | 'text' | 'html' | 'none' = 'none';
      if (l !== undefined) {
        if ((l.role === 'cell' && l.key === 'cell_type') || (l.role === 'output' && l.key === 'output_type'))
          to = 'type';
        else if ((l.role === 'output' && l.key === 'text') || l.role === 'text-list') to = 'text';
        else if (l.role === 'html-list') to = 'html';
        else if ((l.role === 'data' && l.key === 'text/html') || (l.role === 'output' && l.key === 'html')) {
          to = 'html';
          htmlString = true;
          sink.htmlStart?.(line);
        }
      }
      string = { to, line, parts: [] };
    },
    stringPiece(piece) {
      const s = string;
      if (s === null || s.to === 'none') return;
      if (s.to === 'html') {
        sink.html?.(piece, s.line);
        return;
      }
      if (s.to === 'type') {
        if (s.parts.join('').length < 64) s.parts.push(piece);
        return;
      }
      const l = level();
      const out = l?.role === 'text-list' ? levels[levels.length - 2] : l;
      if (out !== undefined) text(out, piece, s.line);
    },
    stringEnd() {
      const s = string;
      string = null;
      if (htmlString) {
        htmlString = false;
        sink.htmlEnd?.();
      }
      const l = level();
      if (s === null || l === undefined) return;
      if (s.to === 'type') {
        l.type = s.parts.join('');
        if (l.role === 'output' && l.type !== 'stream') l.held = null;
      } else if (s.to === 'text') {
        const out = l.role === 'text-list' ? levels[levels.length - 2] : l;
        // an empty string still starts its output (a notebook may print nothing but a newline later)
        if (out !== undefined && out.type === 'stream' && !out.started) {
          out.started = true;
          sink.output(s.line);
        }
      }
    },
  };
  const stream = createJsonStream(handler, { sequence: true });
  return {
    write: (t) => stream.write(t),
    end(): NotebookShape {
      const problem = stream.end();
      const broken =
        problem !== null
          ? problem
          : roots > 1
            ? { line: rootLine, message: 'expected end of input after the value' }
            : null;
      return { broken, notebook, cellList, rootLine };
    },
  };
}

/**
 * The file line of each line of the stream text, as runs of lines whose file lines step by one amount:
 * a notebook stores one text line per list item (a step of 1), or many in one string (a step of 0), or a
 * progress bar's frames one per item (a step of the frames per line). Memory follows the breaks in that
 * pattern, not the number of lines (a notebook of millions of printed lines is one run).
 */
export class LineRuns {
  /** Per run: its first text line (0-based), the file line of that line, the step. */
  private readonly starts: number[] = [];
  private readonly firsts: number[] = [];
  private readonly steps: number[] = [];
  private count = 0;

  push(fileLine: number): void {
    const last = this.starts.length - 1;
    if (last >= 0) {
      const start = this.starts[last] ?? 0;
      const first = this.firsts[last] ?? 0;
      const length = this.count - start;
      if (length === 1) {
        this.steps[last] = fileLine - first;
        this.count += 1;
        return;
      }
      if (first + (this.steps[last] ?? 0) * length === fileLine) {
        this.count += 1;
        return;
      }
    }
    this.starts.push(this.count);
    this.firsts.push(fileLine);
    this.steps.push(0);
    this.count += 1;
  }

  get length(): number {
    return this.count;
  }

  /** How many runs are kept (what memory follows). */
  get runs(): number {
    return this.starts.length;
  }

  /** The file line of text line `index` (0-based); undefined past the end. */
  at(index: number): number | undefined {
    if (index < 0 || index >= this.count) return undefined;
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= index) lo = mid;
      else hi = mid - 1;
    }
    return (this.firsts[lo] ?? 1) + (this.steps[lo] ?? 0) * (index - (this.starts[lo] ?? 0));
  }

  toArray(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.count; i += 1) out.push(this.at(i) ?? 1);
    return out;
  }
}

/** Collects stream text and the file line of each text line's first character. */
class StreamText {
  readonly parts: string[] = [];
  readonly lineMap = new LineRuns();
  private atLineStart = true;
  private lastLine = 1;
  private empty = true;

  /** Outputs are separate writes: the next one starts on a new line (the newline is handed on too). */
  startOutput(write: (piece: string, line: number) => void): void {
    if (!this.empty && !this.atLineStart) write('\n', this.lastLine);
  }

  /** Records where the lines of `piece` start; the piece itself goes wherever the caller sends it. */
  track(piece: string, line: number): void {
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
    this.lastLine = line;
    this.empty = false;
  }

  /** The entry for the empty segment after a final '\n', so every split('\n') index is valid. */
  finish(): void {
    if (!this.empty && this.atLineStart) this.lineMap.push(this.lastLine);
  }

  get isEmpty(): boolean {
    return this.empty;
  }
}

/**
 * Extracts the `stream` outputs (stdout and stderr) of a Jupyter notebook's code cells, as the reader
 * sees them: each output's `text` (a string or a list of strings) appended as stored, JSON escapes
 * decoded (`\b`, `\r`, `\u001b` become the real characters: terminal semantics are the caller's job);
 * a `\n` is added between outputs when one does not end with it. Lines of the result map to the line
 * where the list element (or the single string) holding their first character starts in the file.
 *
 * Returns null when the text is not a notebook (not JSON, or no `cells`/`worksheets` key); a
 * notebook whose JSON is malformed (truncated) gives empty text and one `malformed-input` issue. Never
 * throws.
 */
export function extractNotebookStreams(text: string): NotebookStreams | null {
  const streams = new StreamText();
  const issues: ParseIssue[] = [];
  const write = (piece: string, line: number): void => {
    streams.track(piece, line);
    streams.parts.push(piece);
  };
  const json = createNotebookJson({
    text: write,
    output: () => streams.startOutput(write),
    problem: (line, message) => issues.push(malformed(line, message)),
  });
  json.write(text);
  const shape = json.end();
  const verdict = judge(shape, text.slice(0, SNIFF_WINDOW));
  if (verdict === 'not-a-notebook') return null;
  if (verdict !== null) return { text: '', lineMap: [], issues: [verdict] };
  streams.finish();
  return { text: streams.parts.join(''), lineMap: streams.lineMap.toArray(), issues };
}

function malformed(line: number, message: string): ParseIssue {
  return { kind: 'malformed-input', line, message: `line ${line}: ${message}` };
}

/** Null for a readable notebook, else why it is not one (or is a broken one). */
function judge(shape: NotebookShape, head: string): ParseIssue | 'not-a-notebook' | null {
  if (shape.broken !== null) {
    if (!startsLikeNotebook(head)) return 'not-a-notebook';
    return malformed(shape.broken.line, `notebook JSON is malformed: ${shape.broken.message}`);
  }
  if (!shape.notebook) return 'not-a-notebook';
  if (!shape.cellList) return malformed(shape.rootLine, 'notebook has no list of cells');
  return null;
}

/** `{` first, then a notebook key early on: the file meant to be a notebook, so its breakage is reported. */
function startsLikeNotebook(text: string): boolean {
  // trimStart also drops a byte-order mark (U+FEFF is whitespace to JavaScript).
  const head = text.slice(0, SNIFF_WINDOW).trimStart();
  if (!head.startsWith('{')) return false;
  return head.includes('"cells"') || head.includes('"nbformat"') || head.includes('"metadata"');
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
 * Reads a notebook as it comes: the stream outputs of its code cells are sniffed like any log (Keras, a
 * PyTorch loop, the HF Trainer's dicts, ...) and read by that format's reader as they arrive, their lines
 * mapped back to the notebook's own lines. Runs keep the dialect `notebook`; they are handed on at the
 * end, and only when the notebook's JSON held (a broken notebook is one line, never a partial report).
 */
function createReader(ctx: ReaderContext): FormatReader {
  const streams = new StreamText();
  const runs: Run[] = [];
  const issues: ParseIssue[] = [];
  let head = '';
  let headDone = false;
  const headTracker = createHeadTracker();
  /** The first characters of the file, to tell a broken notebook from another JSON file. */
  let fileHead = '';
  const map = (line: number): number =>
    streams.lineMap.at(line - 1) ?? streams.lineMap.at(streams.lineMap.length - 1) ?? 1;
  const tables = createNotebookTables(
    ctx,
    'notebook',
    (run) => runs.push(run),
    (issue) => issues.push(issue),
  );
  const inner: ReaderContext = {
    ...ctx,
    onRun: (run) => runs.push(run),
    onIssue: (issue) => issues.push(issue.line === null ? issue : { ...issue, line: map(issue.line) }),
  };
  let feed: ((text: string) => void) | null = null;
  let finish: (() => ReaderEnd) | null = null;
  let held: string[] = [];

  /** Chooses the reader of the stream text from its head and replays what was held. */
  const decide = (complete: boolean): void => {
    const sniffed = buildHead(head, { complete, binary: false, bytes: new Uint8Array(0), fileName: null });
    const entry = chooseReader(
      sniffed,
      innerReaders.filter((r) => r.dialect !== 'notebook'),
    )?.entry;
    if (entry === undefined || entry.dialect === 'keras-text') {
      // the console parser knows notebook line maps itself
      const keras = createKerasTextParser({
        file: ctx.file,
        dialect: 'notebook',
        onRun: inner.onRun,
        onIssue: inner.onIssue,
        mapLine: map,
        limits: ctx.limits,
        ...(ctx.onEpoch ? { onEpoch: ctx.onEpoch } : {}),
      });
      const terminal = createTerminal((line) => keras.line(line));
      feed = (t) => terminal.write(t);
      finish = () => {
        terminal.end();
        keras.end();
        return { fatal: null };
      };
    } else {
      const collect: ReaderContext = { ...ctx, onRun: inner.onRun, onIssue: (issue) => issues.push(issue) };
      const reader = entry.create(remapped(collect, map));
      if (reader.kind === 'lines') {
        const terminal = createTerminal((line) => reader.line(line));
        feed = (t) => terminal.write(t);
        finish = () => {
          terminal.end();
          return reader.end();
        };
      } else if (reader.kind === 'chars') {
        feed = (t) => reader.write(t);
        finish = () => reader.end();
      } else {
        feed = () => undefined;
        finish = () => ({ fatal: 'binary data inside a notebook' });
      }
    }
    headDone = true;
    const replay = held;
    held = [];
    head = '';
    for (const t of replay) feed(t);
  };

  const write = (piece: string, line: number): void => {
    streams.track(piece, line);
    if (headDone) {
      feed?.(piece);
      return;
    }
    held.push(piece);
    head += piece;
    headTracker.push(piece);
    if (headTracker.done() && head.length >= SNIFF_CHARS) decide(false);
  };

  const json = createNotebookJson({
    text: write,
    output: () => streams.startOutput(write),
    problem: (line, message) => issues.push(malformed(line, message)),
    htmlStart: (line) => tables.start(line),
    html: (piece, line) => tables.html(piece, line),
    htmlEnd: () => tables.finish(),
    cellEnd: () => tables.cellEnd(),
  });

  return {
    kind: 'chars',
    write(text: string): void {
      if (fileHead.length < SNIFF_WINDOW) fileHead += text.slice(0, SNIFF_WINDOW - fileHead.length);
      json.write(text);
    },
    end(): ReaderEnd {
      const shape = json.end();
      const verdict = judge(shape, fileHead);
      if (verdict === 'not-a-notebook') return { fatal: 'not a Jupyter notebook' };
      if (verdict !== null) {
        ctx.onIssue(verdict);
        return { fatal: verdict.message };
      }
      streams.finish();
      tables.end();
      const malformedIssue = issues.find((i) => i.kind === 'malformed-input');
      if (streams.isEmpty && runs.length === 0 && malformedIssue !== undefined) {
        for (const issue of issues) ctx.onIssue(issue);
        return { fatal: malformedIssue.message };
      }
      if (!headDone) decide(true);
      const end = finish?.() ?? { fatal: null };
      for (const issue of issues) ctx.onIssue(issue);
      // the runs of the stream text and of the HTML tables, in file order
      const ordered = runs
        .map((run, i) => ({ run, i }))
        .sort((a, b) => a.run.source.fromLine - b.run.source.fromLine || a.i - b.i);
      ordered.forEach(({ run }, index) => ctx.onRun({ ...run, index }));
      return end;
    },
  };
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
