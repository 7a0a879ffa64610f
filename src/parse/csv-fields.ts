/**
 * The pieces of CSV reading the CSV readers and their sniffers share: splitting a line into fields
 * (Python's csv "excel" dialect: double quotes, `""` for a quote), a streaming splitter of lines, and the
 * cell reader. Linear in the line: each field is found with one forward search.
 */
import { numericLiteral, readTolerant } from './json-tolerant.js';
import type { ReaderContext } from './types.js';

/** What a cell holds: nothing (`NA`, empty), a number, or something that is not a number. */
export type Cell = { kind: 'missing' } | { kind: 'number'; value: number } | { kind: 'bad'; what: string };

// Python's csv writes `NA` (CSVLogger) and `None` (fastai 2's `str(None)` for a loss it did not
// compute); fastai 1 writes `#na#`; pandas readers treat these as missing too.
export const MISSING = new Set(['', 'na', 'n/a', 'none', 'null', '#na#']);

/**
 * Splits one line into trimmed fields, honouring double quotes. A space separator also swallows runs
 * of spaces (hand-aligned tables). With `literalQuotes`, quotes are plain characters (a header whose
 * quote is never closed).
 */
export function splitFields(line: string, separator: string, literalQuotes = false): string[] {
  const fields: string[] = [];
  forEachField(line, separator, literalQuotes, (field) => {
    fields.push(field);
    return true;
  });
  return separator === ' ' && fields[0] === '' ? fields.slice(1) : fields;
}

/**
 * Visits the trimmed fields of a line in order (as {@link splitFields} cuts them, without dropping a
 * space-separated line's empty first field) until `visit` returns false; false when it stopped early.
 */
export function forEachField(
  line: string,
  separator: string,
  literalQuotes: boolean,
  visit: (field: string, index: number) => boolean,
): boolean {
  let pos = 0;
  for (let index = 0; ; index += 1) {
    const [field, next] = literalQuotes ? plainField(line, pos, separator) : readField(line, pos, separator);
    if (!visit(field.trim(), index)) return false;
    if (next >= line.length) return true;
    pos = next + 1;
    if (separator === ' ') while (line.charCodeAt(pos) === 32) pos++;
  }
}

/** Whether a quoted field of the line is never closed (the rest of the line would be one field). */
export function hasUnclosedQuote(line: string, separator: string): boolean {
  let pos = 0;
  for (;;) {
    while (line.charCodeAt(pos) === 32 && separator !== ' ') pos++;
    if (line.charCodeAt(pos) === 34) {
      let close = pos;
      for (;;) {
        close = line.indexOf('"', close + 1);
        if (close < 0) return true;
        if (line.charCodeAt(close + 1) !== 34) break;
        close += 1;
      }
      pos = close + 1;
    }
    const end = line.indexOf(separator, pos);
    if (end < 0) return false;
    pos = end + 1;
  }
}

function plainField(line: string, start: number, separator: string): [string, number] {
  const end = line.indexOf(separator, start);
  const text = end < 0 ? line.slice(start) : line.slice(start, end);
  return [text.replaceAll('"', ''), end < 0 ? line.length : end];
}

/** One field starting at `start`: its text and the position of the separator (or the line's end). */
function readField(line: string, start: number, separator: string): [string, number] {
  let pos = start;
  while (line.charCodeAt(pos) === 32 && separator !== ' ') pos++;
  if (line.charCodeAt(pos) !== 34) {
    const end = line.indexOf(separator, start);
    return end < 0 ? [line.slice(start), line.length] : [line.slice(start, end), end];
  }
  const parts: string[] = [];
  pos++;
  for (;;) {
    const close = line.indexOf('"', pos);
    if (close < 0) return [parts.join('') + line.slice(pos), line.length];
    parts.push(line.slice(pos, close));
    if (line.charCodeAt(close + 1) !== 34) {
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

/**
 * The fields of a data row as its header counts them: one empty field after the last column (a writer
 * that ends every line with the separator) is not a column.
 */
export function dropTrailingEmpty(fields: string[], columns: number): string[] {
  return fields.length === columns + 1 && fields[columns] === '' ? fields.slice(0, columns) : fields;
}

/**
 * Seconds of a clock cell as fastai's `format_time` writes it (`mm:ss`, `h:mm:ss`); null for anything
 * else. Linear, no regex.
 */
export function clockSeconds(text: string): number | null {
  const parts = text.split(':');
  if (parts.length < 2 || parts.length > 3) return null;
  let seconds = 0;
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[i] ?? '';
    if (part.length === 0 || part.length > 6) return null;
    for (let j = 0; j < part.length; j += 1) {
      const c = part.charCodeAt(j);
      if (c < 48 || c > 57) return null;
    }
    // minutes and seconds are two digits after the first part
    if (i > 0 && part.length !== 2) return null;
    seconds = seconds * 60 + Number(part);
  }
  return seconds;
}

/** Longest CSV line kept; the rest of a longer one is skipped (and reported by the reader). */
export const MAX_ROW_CHARS = 16 << 20;

/**
 * Splits streamed text into lines for the CSV readers: `\n`, `\r\n` and `\r\r\n` end a line; before the
 * first `\n`, a lone `\r` does too (old Mac files use `\r` only; later a stray `\r` is dropped). Lines are
 * numbered from 1; a line longer than {@link MAX_ROW_CHARS} is handed on cut, with `cut` set.
 */
export function createLineSplitter(onLine: (text: string, line: number, cut: boolean) => void): {
  write(text: string): void;
  end(): void;
} {
  let parts: string[] = [];
  let length = 0;
  let cut = false;
  let lineNo = 1;
  let sawLf = false;
  /** `\r`s were seen since the last text: a line end unless a `\n` follows (which is one anyway). */
  let cr = false;
  const BREAK = /[\r\n]/g;

  const emit = (): void => {
    const text = parts.length === 1 ? (parts[0] ?? '') : parts.join('');
    parts = [];
    length = 0;
    const wasCut = cut;
    cut = false;
    cr = false;
    onLine(text, lineNo, wasCut);
    lineNo += 1;
  };
  const add = (text: string, from: number, to: number): void => {
    if (to <= from) return;
    if (cr) {
      cr = false;
      if (!sawLf) emit();
    }
    if (length + (to - from) > MAX_ROW_CHARS) {
      const room = MAX_ROW_CHARS - length;
      if (room > 0) parts.push(text.slice(from, from + room));
      length = MAX_ROW_CHARS;
      cut = true;
      return;
    }
    parts.push(from === 0 && to === text.length ? text : text.slice(from, to));
    length += to - from;
  };

  return {
    write(text: string): void {
      BREAK.lastIndex = 0;
      let pos = 0;
      for (let m = BREAK.exec(text); m !== null; m = BREAK.exec(text)) {
        add(text, pos, m.index);
        pos = m.index + 1;
        if (text.charCodeAt(m.index) === 13) cr = true;
        else {
          sawLf = true;
          emit();
        }
      }
      add(text, pos, text.length);
    },
    end(): void {
      if (cr && !sawLf) emit();
      if (length > 0 || cut) emit();
    },
  };
}

/** Reads one cell: missing, a number (NumPy/TensorFlow reprs unwrapped), or bad. */
export function cellOf(text: string): Cell {
  if (MISSING.has(text.toLowerCase())) return { kind: 'missing' };
  const value = numericLiteral(text);
  if (value !== null) return { kind: 'number', value };
  if (text.includes('(') && text.length <= 200) {
    // NumPy/TensorFlow reprs (`np.float32(0.5)`, `tf.Tensor(0.5, shape=(), dtype=float32)`).
    const read = readTolerant(text);
    if (read.ok && read.value.kind === 'number') return { kind: 'number', value: read.value.value };
  }
  const shown = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
  return { kind: 'bad', what: text.startsWith('[') ? `a list ${shown}` : shown };
}

/**
 * The lines of a table reader (Lightning, TensorBoard and W&B CSV, MLflow metric files) that hold data:
 * blank lines and every line after an input cap was crossed are passed over, and a line cut at
 * {@link MAX_ROW_CHARS} is reported (as `cutKind`) instead of read. `end()` is true when the rows may
 * become runs (no cap crossed: past one the input is refused as a whole).
 */
export function createTableLines(
  ctx: Pick<ReaderContext, 'limits' | 'onIssue'>,
  cutKind: 'over-limit' | 'malformed-input',
  onLine: (text: string, line: number) => void,
): { write(text: string): void; end(): boolean } {
  const splitter = createLineSplitter((raw, line, cut) => {
    if (raw.trim() === '' || ctx.limits.exceeded() !== null) return;
    if (cut)
      ctx.onIssue({ kind: cutKind, line, message: `line ${line}: a line longer than 16 MiB: not read` });
    else onLine(raw, line);
  });
  return {
    write: (text) => splitter.write(text),
    end() {
      splitter.end();
      return ctx.limits.exceeded() === null;
    },
  };
}
