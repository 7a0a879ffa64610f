/**
 * A tolerant reader for the JSON / Python-literal superset that saved training histories and notebooks
 * come in: JSON, `str(history.history)` dumps (single quotes, `True`/`None`, `nan`/`inf`, tuples),
 * Python's non-standard `NaN`/`Infinity` tokens, and NumPy wrappers such as `np.float32(0.001)`,
 * `array([...], dtype=float32)` or `tf.Tensor(0.5, shape=(), dtype=float32)`.
 *
 * It is a recursive-descent reader that looks at each character a bounded number of times (linear time,
 * no regular expressions), counts lines as it goes, and reports the first problem as a value.
 */

/** Fields every node carries: the 1-based lines where the value starts and ends. */
interface NodeLines {
  line: number;
  endLine: number;
}

/** A value read by {@link readTolerant}, with the lines it came from. */
export type TolerantNode =
  | ({ kind: 'object'; entries: TolerantEntry[] } & NodeLines)
  | ({ kind: 'array'; items: TolerantNode[] } & NodeLines)
  | ({ kind: 'string'; value: string } & NodeLines)
  | ({ kind: 'number'; value: number } & NodeLines)
  | ({ kind: 'boolean'; value: boolean } & NodeLines)
  | ({ kind: 'null' } & NodeLines)
  /** A bare name that is not a known constant (e.g. `float32` in `dtype=float32`). */
  | ({ kind: 'symbol'; name: string } & NodeLines);

/** The object variant of {@link TolerantNode}. */
export type TolerantObject = Extract<TolerantNode, { kind: 'object' }>;

/** One `key: value` member of an object; `line` is the key's line. Keys keep their source order. */
export interface TolerantEntry {
  key: string;
  line: number;
  value: TolerantNode;
}

/**
 * Outcome of a read. On failure, `line` is the 1-based line of the problem and `message` says what was
 * expected and found, without a line prefix (callers add their own context).
 */
export type TolerantResult<T> = { ok: true; value: T } | { ok: false; line: number; message: string };

/** Options of the readers. */
export interface TolerantOptions {
  /** Line number of the first character (default 1); used when reading text embedded in another file. */
  firstLine?: number;
}

/**
 * Reads exactly one value (surrounding whitespace allowed).
 *
 * @example readTolerant("{'loss': [nan, np.float32(0.5)]}") // ok, loss = [NaN, 0.5]
 */
export function readTolerant(text: string, options: TolerantOptions = {}): TolerantResult<TolerantNode> {
  return runReader(text, options, (reader) => {
    const value = reader.value(0);
    reader.skipSpace();
    if (!reader.atEnd()) reader.fail('end of input after the value');
    return value;
  });
}

/**
 * Reads one or more values written one after another (JSON Lines, or several dumps appended to one
 * file). Fails when the input holds no value at all.
 */
export function readTolerantSequence(
  text: string,
  options: TolerantOptions = {},
): TolerantResult<TolerantNode[]> {
  return runReader(text, options, (reader) => {
    const values: TolerantNode[] = [];
    reader.skipSpace();
    if (reader.atEnd()) reader.fail('a value');
    while (!reader.atEnd()) {
      values.push(reader.value(0));
      reader.skipSpace();
    }
    return values;
  });
}

/**
 * Reads a number as Python `str()`/`repr()`, JSON or JavaScript print it, including `nan`, `NaN`,
 * `inf`, `-inf`, `Infinity` (any case, optional sign). Returns null for anything else, including the
 * empty string, hex and partial numbers (unlike `Number()`, which reads `''` as 0 and `0x10` as 16).
 */
export function numericLiteral(token: string): number | null {
  let pos = 0;
  let sign = 1;
  const first = token.charCodeAt(0);
  if (first === 43 /* + */ || first === 45 /* - */) {
    sign = first === 45 ? -1 : 1;
    pos = 1;
  }
  const rest = token.slice(pos).toLowerCase();
  if (rest === 'nan') return Number.NaN;
  if (rest === 'inf' || rest === 'infinity') return sign * Number.POSITIVE_INFINITY;
  return token.length > pos && decimalLength(token, pos) === token.length - pos ? Number(token) : null;
}

/**
 * Length of the decimal number (`12`, `1.5`, `.5`, `5.`, `1e-4`) starting at `start`; 0 when there is none.
 */
function decimalLength(text: string, start: number): number {
  let pos = start;
  let digits = 0;
  for (; isDigit(text.charCodeAt(pos)); pos++) digits++;
  if (text.charCodeAt(pos) === 46 /* . */) {
    for (pos++; isDigit(text.charCodeAt(pos)); pos++) digits++;
  }
  if (digits === 0) return 0;
  const e = text.charCodeAt(pos);
  if (e === 101 || e === 69 /* e E */) {
    let p = pos + 1;
    const s = text.charCodeAt(p);
    if (s === 43 || s === 45) p++;
    if (isDigit(text.charCodeAt(p))) {
      while (isDigit(text.charCodeAt(p))) p++;
      pos = p;
    }
  }
  return pos - start;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isNameStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 36;
}

function isNameChar(code: number): boolean {
  return isNameStart(code) || isDigit(code);
}

/** Thrown inside the reader only; {@link runReader} turns it into a result. */
class ReadProblem {
  constructor(
    readonly line: number,
    readonly message: string,
  ) {}
}

// Far below V8's stack limit; real histories and notebooks nest fewer than 10 levels.
const MAX_DEPTH = 500;

// Python string prefixes (`u'..'`, `b'..'`, `r'..'`); an `r` makes backslashes literal.
const STRING_PREFIXES = new Set(['u', 'b', 'r', 'br', 'rb', 'f', 'fr', 'rf']);

// Wrappers whose string argument is a number: `float('nan')`, `np.float32('0.5')`.
const FLOAT_CALLS = new Set(['float', 'float16', 'float32', 'float64', 'double']);

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  v: '\v',
  a: '\u0007',
  '0': '\0',
  '\\': '\\',
  '/': '/',
  "'": "'",
  '"': '"',
};

function runReader<T>(text: string, options: TolerantOptions, read: (r: Reader) => T): TolerantResult<T> {
  const reader = new Reader(text, options.firstLine ?? 1);
  try {
    return { ok: true, value: read(reader) };
  } catch (error) {
    if (error instanceof ReadProblem) return { ok: false, line: error.line, message: error.message };
    // A stack overflow despite MAX_DEPTH (tiny stacks); the reader must never throw.
    if (error instanceof RangeError) return { ok: false, line: reader.line, message: 'nesting too deep' };
    throw error;
  }
}

class Reader {
  pos = 0;
  line: number;

  constructor(
    private readonly text: string,
    firstLine: number,
  ) {
    this.line = firstLine;
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  fail(expected: string): never {
    throw new ReadProblem(this.line, `expected ${expected}, found ${this.describeHere()}`);
  }

  skipSpace(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const code = text.charCodeAt(this.pos);
      if (code === 10) this.line++;
      else if (!(code === 32 || code === 9 || code === 13 || code === 11 || code === 12 || code === 0xfeff))
        return;
      this.pos++;
    }
  }

  value(depth: number): TolerantNode {
    if (depth > MAX_DEPTH) throw new ReadProblem(this.line, `nesting deeper than ${MAX_DEPTH} levels`);
    this.skipSpace();
    const code = this.text.charCodeAt(this.pos);
    if (code === 123 /* { */) return this.object(depth);
    if (code === 91 /* [ */) return this.array(depth, 93);
    if (code === 40 /* ( */) return this.array(depth, 41);
    if (code === 34 || code === 39) return this.string(false);
    if (code === 45 || code === 43) return this.signed(depth);
    if (isDigit(code) || code === 46) return this.number();
    if (isNameStart(code)) return this.named(depth);
    return this.fail('a value');
  }

  private object(depth: number): TolerantNode {
    const line = this.line;
    const entries: TolerantEntry[] = [];
    this.pos++;
    for (;;) {
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) === 125 /* } */) break;
      const keyLine = this.line;
      const key = this.key(depth);
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) !== 58 /* : */)
        this.fail(`':' after the key ${JSON.stringify(key)}`);
      this.pos++;
      entries.push({ key, line: keyLine, value: this.value(depth + 1) });
      this.skipSpace();
      const next = this.text.charCodeAt(this.pos);
      if (next === 44 /* , */) this.pos++;
      else if (next !== 125) this.fail(`',' or '}' after the value of ${JSON.stringify(key)}`);
    }
    this.pos++;
    return { kind: 'object', entries, line, endLine: this.line };
  }

  /** Keys: strings, numbers (Python `{0: 0.5}`) or bare names (JavaScript `{loss: 1}`). */
  private key(depth: number): string {
    const code = this.text.charCodeAt(this.pos);
    const start = this.pos;
    if (code === 34 || code === 39) {
      const node = this.string(false);
      if (node.kind === 'string') return node.value;
    } else if (isDigit(code) || code === 45 || code === 46) {
      this.value(depth + 1);
      return this.text.slice(start, this.pos);
    } else if (isNameStart(code)) {
      return this.name();
    }
    return this.fail("a key or '}'");
  }

  private array(depth: number, close: number): TolerantNode {
    const line = this.line;
    const items: TolerantNode[] = [];
    this.pos++;
    for (;;) {
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) === close) break;
      items.push(this.value(depth + 1));
      this.skipSpace();
      const next = this.text.charCodeAt(this.pos);
      if (next === 44) this.pos++;
      else if (next !== close) this.fail(`',' or '${String.fromCharCode(close)}' after a list item`);
    }
    this.pos++;
    return { kind: 'array', items, line, endLine: this.line };
  }

  private signed(depth: number): TolerantNode {
    const line = this.line;
    const negative = this.text.charCodeAt(this.pos) === 45;
    this.pos++;
    const inner = this.value(depth + 1);
    if (inner.kind !== 'number')
      throw new ReadProblem(line, `expected a number after '${negative ? '-' : '+'}'`);
    return { ...inner, value: negative ? -inner.value : inner.value, line };
  }

  private number(): TolerantNode {
    const length = decimalLength(this.text, this.pos);
    if (length === 0) this.fail('a number');
    const value = Number(this.text.slice(this.pos, this.pos + length));
    this.pos += length;
    return { kind: 'number', value, line: this.line, endLine: this.line };
  }

  /** A dotted name (`np.float32`): a constant, a string prefix, a call, or a symbol. */
  private named(depth: number): TolerantNode {
    const line = this.line;
    const name = this.name();
    const next = this.text.charCodeAt(this.pos);
    if ((next === 34 || next === 39) && STRING_PREFIXES.has(name.toLowerCase())) {
      return this.string(name.toLowerCase().includes('r'));
    }
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === 40 /* ( */) return this.call(name, line, depth);
    return constantNode(name, line) ?? { kind: 'symbol', name, line, endLine: line };
  }

  private name(): string {
    const start = this.pos;
    const text = this.text;
    for (;;) {
      while (isNameChar(text.charCodeAt(this.pos))) this.pos++;
      if (text.charCodeAt(this.pos) !== 46 || !isNameStart(text.charCodeAt(this.pos + 1))) break;
      this.pos++;
    }
    return text.slice(start, this.pos);
  }

  /**
   * `wrapper(first, key=value, ...)` stands for its first positional argument: NumPy and TensorFlow
   * reprs wrap the value that was logged. Keyword arguments (`dtype=float32`) are read and dropped.
   */
  private call(name: string, line: number, depth: number): TolerantNode {
    this.pos++;
    let first: TolerantNode | null = null;
    for (;;) {
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) === 41 /* ) */) break;
      const argument = this.argument(depth);
      if (argument !== null && first === null) first = argument;
      this.skipSpace();
      const next = this.text.charCodeAt(this.pos);
      if (next === 44) this.pos++;
      else if (next !== 41) this.fail(`',' or ')' in the arguments of ${name}(...)`);
    }
    this.pos++;
    if (first === null) return { kind: 'symbol', name: `${name}()`, line, endLine: this.line };
    const lastPart = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
    if (first.kind === 'string' && FLOAT_CALLS.has(lastPart)) {
      const value = numericLiteral(first.value.trim());
      if (value !== null) return { kind: 'number', value, line, endLine: this.line };
    }
    return { ...first, line, endLine: this.line };
  }

  /** One call argument; null for a keyword argument. */
  private argument(depth: number): TolerantNode | null {
    if (isNameStart(this.text.charCodeAt(this.pos))) {
      const start = this.pos;
      const startLine = this.line;
      this.name();
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) === 61 /* = */ && this.text.charCodeAt(this.pos + 1) !== 61) {
        this.pos++;
        this.value(depth + 1);
        return null;
      }
      this.pos = start;
      this.line = startLine;
    }
    return this.value(depth + 1);
  }

  /** A quoted string; `raw` keeps backslashes (Python `r'..'`). Raw newlines are tolerated. */
  private string(raw: boolean): TolerantNode {
    const text = this.text;
    const line = this.line;
    const quote = text.charCodeAt(this.pos);
    this.pos++;
    const parts: string[] = [];
    let runStart = this.pos;
    for (;;) {
      if (this.pos >= text.length) {
        throw new ReadProblem(line, 'expected the closing quote of a string, found end of input');
      }
      const code = text.charCodeAt(this.pos);
      if (code === quote) break;
      if (code === 10) this.line++;
      if (code === 92 /* \ */ && !raw) {
        parts.push(text.slice(runStart, this.pos));
        parts.push(this.escape());
        runStart = this.pos;
      } else {
        this.pos++;
      }
    }
    parts.push(text.slice(runStart, this.pos));
    this.pos++;
    return { kind: 'string', value: parts.join(''), line, endLine: this.line };
  }

  /** Decodes the escape at `pos` (a backslash) and moves past it. Unknown escapes stay as written. */
  private escape(): string {
    const text = this.text;
    const letter = text.charAt(this.pos + 1);
    this.pos += 2;
    const simple = SIMPLE_ESCAPES[letter];
    if (simple !== undefined) return simple;
    if (letter === '\n') {
      this.line++;
      return '';
    }
    const width = letter === 'x' ? 2 : letter === 'u' ? 4 : letter === 'U' ? 8 : 0;
    const code = width > 0 ? hexValue(text, this.pos, width) : null;
    if (code === null || code > 0x10ffff) return `\\${letter}`;
    this.pos += width;
    // \u escapes are UTF-16 units (surrogate halves pair up when joined); \U are code points.
    return width === 4 ? String.fromCharCode(code) : String.fromCodePoint(code);
  }

  private describeHere(): string {
    if (this.atEnd()) return 'end of input';
    const char = this.text.charAt(this.pos);
    return JSON.stringify(char);
  }
}

function hexValue(text: string, start: number, width: number): number | null {
  let value = 0;
  for (let i = start; i < start + width; i++) {
    const code = text.charCodeAt(i);
    const digit = isDigit(code)
      ? code - 48
      : code >= 97 && code <= 102
        ? code - 87
        : code >= 65 && code <= 70
          ? code - 55
          : -1;
    if (digit < 0) return null;
    value = value * 16 + digit;
  }
  return value;
}

/**
 * Known constants: JSON/JavaScript/Python spellings of booleans and null, and NaN/infinity under any
 * module prefix (`np.nan`, `math.inf`, `numpy.inf`).
 */
function constantNode(name: string, line: number): TolerantNode | null {
  const lower = name.toLowerCase();
  if (lower === 'true' || lower === 'false')
    return { kind: 'boolean', value: lower === 'true', line, endLine: line };
  if (lower === 'null' || lower === 'none' || lower === 'undefined')
    return { kind: 'null', line, endLine: line };
  const last = lower.slice(lower.lastIndexOf('.') + 1);
  if (last === 'nan') return { kind: 'number', value: Number.NaN, line, endLine: line };
  if (last === 'inf' || last === 'infinity') {
    return { kind: 'number', value: Number.POSITIVE_INFINITY, line, endLine: line };
  }
  return null;
}
