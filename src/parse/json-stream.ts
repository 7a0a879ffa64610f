/**
 * A streaming reader of the JSON / Python-literal superset that saved histories and notebooks come in
 * (see `json-tolerant.ts` for the grammar): text goes in by chunks split anywhere, events come out as
 * each value is read, and nothing but the current token is held, so a 200 MB history or a notebook with
 * a 150 MB output costs what its consumer keeps. Strings are handed on in pieces. An explicit stack
 * replaces recursion (nesting is capped), each character is looked at a bounded number of times, and
 * the first problem ends the reading with its line and what was expected.
 *
 * What a value stands for is decided here, once: `np.float32(0.5)` stands for its first positional
 * argument (keyword arguments are read and dropped), `float('nan')` for the number, `-x` for the negated
 * number, `nan`/`inf` under any module prefix for the number, `True`/`None` for the constant.
 */

/** A value without parts, as read. */
export type JsonScalar =
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  /** A bare name that is not a known constant (`float32` in `dtype=float32`). */
  | { kind: 'symbol'; name: string };

/** What the reader reports, in document order. `line` is the 1-based line where the thing starts. */
export interface JsonHandler {
  /** `{` (object) or `[`, `(` (array), or a call standing for one (`array([...])`). */
  open(kind: 'object' | 'array', line: number): void;
  /** The end of the innermost open container; `line` is where it ends. */
  close(line: number): void;
  /**
   * The key of the next member of the innermost object: at most `maxKeyChars` of it (`length` says how
   * long it really is).
   */
  key(key: string, line: number, length: number): void;
  scalar(value: JsonScalar, line: number): void;
  /** A string value starts; its text follows in pieces (any number, maybe none), then its end. */
  stringStart(line: number): void;
  stringPiece(text: string): void;
  stringEnd(line: number): void;
}

/** Far below anything real (histories and notebooks nest fewer than 10 levels). */
export const MAX_DEPTH = 500;
/** Longest number or name token read; a longer one is an error. */
const MAX_TOKEN_CHARS = 4096;

/** Python string prefixes (`u'..'`, `b'..'`, `r'..'`); an `r` makes backslashes literal. */
const STRING_PREFIXES = new Set(['u', 'b', 'r', 'br', 'rb', 'f', 'fr', 'rf']);
/** Wrappers whose string argument is a number: `float('nan')`, `np.float32('0.5')`. */
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

/** The reader's stack: containers, calls and signs around the value being read. */
type Frame =
  | { t: 'root'; values: number; sequence: boolean }
  | { t: 'object'; state: 'key' | 'colon' | 'value' | 'comma'; key: string; emit: boolean }
  | { t: 'array'; close: number; state: 'value' | 'comma'; emit: boolean }
  | {
      t: 'call';
      name: string;
      line: number;
      state: 'arg' | 'comma';
      /** Positional arguments read so far; only the first stands for the call. */
      positional: number;
      /** The call's value (its first positional argument) was handed on. */
      gave: boolean;
      /** `float(...)` and friends: a string argument is read as a number. */
      float: boolean;
    }
  | { t: 'sign'; negative: boolean; line: number; done: boolean }
  /** A keyword argument's value: read and dropped. */
  | { t: 'kwarg' };

/** Problem that ends the reading. */
export interface JsonProblem {
  line: number;
  message: string;
}

/** Options of {@link createJsonStream}. */
export interface JsonStreamOptions {
  /** Line of the first character (text embedded in another file); default 1. */
  firstLine?: number;
  /** Several values one after another (JSON Lines) are allowed; else exactly one. */
  sequence?: boolean;
  /** Longest key text handed on (the rest is only counted); default unbounded. */
  maxKeyChars?: number;
}

/** A streaming reader: `write` text, then `end`; the first problem stops it. */
export interface JsonStream {
  write(text: string): void;
  /** Ends the input; the first problem, or null when the text was one value (or a sequence of them). */
  end(): JsonProblem | null;
  problem(): JsonProblem | null;
}

/** Where a value being read goes, once the signs and calls around it have had their say. */
interface Route {
  /** Handed to the handler (not inside a dropped argument). */
  emit: boolean;
  /** The line it is reported at: a call's or a sign's when it stands for one. */
  line: number;
  /** Signs between the value and its destination (a non-number under a sign is an error). */
  signs: Array<Extract<Frame, { t: 'sign' }>>;
  /** The innermost call the value stands for when it is a float call's first argument. */
  floatCall: boolean;
}

/** Creates a streaming reader that reports to `handler`. */
export function createJsonStream(handler: JsonHandler, options: JsonStreamOptions = {}): JsonStream {
  const maxKey = options.maxKeyChars ?? Number.POSITIVE_INFINITY;
  let buf = '';
  let pos = 0;
  let line = options.firstLine ?? 1;
  let ended = false;
  let failure: JsonProblem | null = null;
  const stack: Frame[] = [{ t: 'root', values: 0, sequence: options.sequence === true }];

  /** The string being read. `as`: a value handed on, a key, a float call's argument, or dropped. */
  let str: {
    quote: number;
    raw: boolean;
    line: number;
    as: 'value' | 'key' | 'float' | 'drop';
    kept: string[];
    length: number;
    route: Route | null;
  } | null = null;
  /** A name whose meaning depends on what follows (`np.float32(`, `dtype=`, `r'`). */
  let named: { name: string; line: number; spaced: boolean } | null = null;

  const describe = (): string => (pos >= buf.length ? 'end of input' : JSON.stringify(buf.charAt(pos)));
  /** Fails with "expected ..., found <here>". */
  const expected = (what: string): void => {
    failure ??= { line, message: `expected ${what}, found ${describe()}` };
  };
  const failWith = (message: string, at: number): void => {
    failure ??= { line: at, message };
  };
  const top = (): Frame => stack[stack.length - 1] as Frame;

  // ------------------------------------------------------------------------------------------
  // Where values go

  /**
   * The route of a value starting now: down the stack through the calls it stands for and the signs
   * that negate it, to its container. Marks those calls as given and those signs as done.
   */
  const route = (at: number): Route => {
    let l = at;
    const signs: Route['signs'] = [];
    let floatCall = false;
    let first = true;
    for (let i = stack.length - 1; i >= 0; i -= 1) {
      const f = stack[i] as Frame;
      if (f.t === 'sign' && !f.done) {
        f.done = true;
        signs.push(f);
        l = f.line;
        first = false;
        continue;
      }
      if (f.t === 'call' && f.positional === 0 && !f.gave) {
        f.gave = true;
        if (first) floatCall = f.float;
        l = f.line;
        first = false;
        continue;
      }
      const emit = f.t === 'root' ? true : f.t === 'object' || f.t === 'array' ? f.emit : false;
      return { emit, line: l, signs, floatCall };
    }
    return { emit: false, line: l, signs, floatCall };
  };

  /** Whether the top frame accepts a value now (else fails saying what it expected). */
  const mayStartValue = (): boolean => {
    const f = top();
    switch (f.t) {
      case 'root':
        if (f.values > 0 && !f.sequence) {
          expected('end of input after the value');
          return false;
        }
        return true;
      case 'object':
        if (f.state === 'value') return true;
        expected(
          f.state === 'key' ? "a key or '}'" : `',' or '}' after the value of ${JSON.stringify(f.key)}`,
        );
        return false;
      case 'array':
        if (f.state === 'value') return true;
        expected(`',' or '${String.fromCharCode(f.close)}' after a list item`);
        return false;
      case 'call':
        if (f.state === 'arg') return true;
        expected(`',' or ')' in the arguments of ${f.name}(...)`);
        return false;
      default:
        return true;
    }
  };

  /** The value the top frame held is complete. */
  const endValue = (): void => {
    for (;;) {
      const f = top();
      switch (f.t) {
        case 'root':
          f.values += 1;
          return;
        case 'object':
        case 'array':
          f.state = 'comma';
          return;
        case 'call':
          f.positional += 1;
          f.state = 'comma';
          return;
        case 'kwarg': {
          stack.pop();
          const call = top();
          if (call.t === 'call') call.state = 'comma';
          return;
        }
        case 'sign':
          // a sign's value is its number: done with it, the sign's container gets the value
          stack.pop();
          continue;
      }
    }
  };

  /** Hands a scalar on, negated by the signs on its route. */
  const giveScalar = (value: JsonScalar, at: number): void => {
    const r = route(at);
    let v = value;
    for (const sign of r.signs) {
      if (v.kind !== 'number') {
        failWith(`expected a number after '${sign.negative ? '-' : '+'}'`, sign.line);
        return;
      }
      if (sign.negative) v = { kind: 'number', value: -v.value };
    }
    if (r.emit) handler.scalar(v, r.line);
    endValue();
  };

  const openContainer = (kind: 'object' | 'array', close: number): void => {
    if (stack.length > MAX_DEPTH) {
      failWith(`nesting deeper than ${MAX_DEPTH} levels`, line);
      return;
    }
    const r = route(line);
    const sign = r.signs[0];
    if (sign !== undefined) {
      failWith(`expected a number after '${sign.negative ? '-' : '+'}'`, sign.line);
      return;
    }
    pos += 1;
    if (r.emit) handler.open(kind, r.line);
    stack.push(
      kind === 'object'
        ? { t: 'object', state: 'key', key: '', emit: r.emit }
        : { t: 'array', close, state: 'value', emit: r.emit },
    );
  };

  const closeContainer = (): void => {
    const f = stack.pop() as Frame;
    pos += 1;
    if ((f.t === 'object' || f.t === 'array') && f.emit) handler.close(line);
    endValue();
  };

  /** The end of a call: it stood for its first positional argument, or it is the symbol `name()`. */
  const closeCall = (): void => {
    const f = stack.pop() as Extract<Frame, { t: 'call' }>;
    pos += 1;
    if (f.gave) {
      endValue();
      return;
    }
    giveScalar({ kind: 'symbol', name: `${f.name}()` }, f.line);
  };

  // ------------------------------------------------------------------------------------------
  // Tokens

  const isDigit = (c: number): boolean => c >= 48 && c <= 57;
  const isNameStart = (c: number): boolean =>
    (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
  const isNameChar = (c: number): boolean => isNameStart(c) || isDigit(c);

  const skipSpace = (): void => {
    while (pos < buf.length) {
      const c = buf.charCodeAt(pos);
      if (c === 10) line += 1;
      else if (!(c === 32 || c === 9 || c === 13 || c === 11 || c === 12 || c === 0xfeff)) return;
      pos += 1;
    }
  };

  /**
   * The length of the decimal number at `at` (`12`, `1.5`, `.5`, `5.`, `1e-4`); 0 when there is none;
   * -1 when the buffer ends inside it and more may come.
   */
  const decimalAt = (at: number): number => {
    const n = buf.length;
    let p = at;
    let digits = 0;
    while (p < n && isDigit(buf.charCodeAt(p))) {
      p += 1;
      digits += 1;
    }
    if (p < n && buf.charCodeAt(p) === 46) {
      p += 1;
      while (p < n && isDigit(buf.charCodeAt(p))) {
        p += 1;
        digits += 1;
      }
    }
    if (p >= n && !ended) return -1;
    if (digits === 0) return 0;
    const e = buf.charCodeAt(p);
    if (e === 101 || e === 69) {
      let q = p + 1;
      const s = buf.charCodeAt(q);
      if (s === 43 || s === 45) q += 1;
      if (q >= n && !ended) return -1;
      if (isDigit(buf.charCodeAt(q))) {
        while (q < n && isDigit(buf.charCodeAt(q))) q += 1;
        if (q >= n && !ended) return -1;
        p = q;
      }
    }
    return p - at;
  };

  /** A dotted name (`np.float32`) at `pos`, consumed; null when more text is needed (or it is too long). */
  const nameAt = (): string | null => {
    const n = buf.length;
    let p = pos;
    for (;;) {
      while (p < n && isNameChar(buf.charCodeAt(p))) p += 1;
      if (p - pos > MAX_TOKEN_CHARS) {
        failWith(`a name of more than ${MAX_TOKEN_CHARS} characters`, line);
        return null;
      }
      if (p >= n && !ended) return null;
      if (buf.charCodeAt(p) === 46) {
        if (p + 1 >= n && !ended) return null;
        if (isNameStart(buf.charCodeAt(p + 1))) {
          p += 1;
          continue;
        }
      }
      break;
    }
    const name = buf.slice(pos, p);
    pos = p;
    return name;
  };

  /** Known constants: booleans, null, NaN and infinity under any module prefix (`np.nan`, `math.inf`). */
  const constant = (name: string): JsonScalar | null => {
    const lower = name.toLowerCase();
    if (lower === 'true' || lower === 'false') return { kind: 'boolean', value: lower === 'true' };
    if (lower === 'null' || lower === 'none' || lower === 'undefined') return { kind: 'null' };
    const last = lower.slice(lower.lastIndexOf('.') + 1);
    if (last === 'nan') return { kind: 'number', value: Number.NaN };
    if (last === 'inf' || last === 'infinity') return { kind: 'number', value: Number.POSITIVE_INFINITY };
    return null;
  };

  /** Starts a string at `pos` (its quote). */
  const startString = (raw: boolean, as: 'value' | 'key'): void => {
    const quote = buf.charCodeAt(pos);
    const at = line;
    if (as === 'key') {
      pos += 1;
      str = { quote, raw, line: at, as, kept: [], length: 0, route: null };
      return;
    }
    const r = route(at);
    const sign = r.signs[0];
    if (sign !== undefined && !r.floatCall) {
      failWith(`expected a number after '${sign.negative ? '-' : '+'}'`, sign.line);
      return;
    }
    pos += 1;
    const target = r.floatCall ? 'float' : !r.emit ? 'drop' : 'value';
    if (target === 'value') handler.stringStart(r.line);
    str = { quote, raw, line: r.line, as: target, kept: [], length: 0, route: r };
  };

  /** Reads string content; false when the buffer ran out inside the string. */
  const continueString = (): boolean => {
    const s = str as NonNullable<typeof str>;
    const n = buf.length;
    const piece = (text: string): void => {
      if (text.length === 0) return;
      if (s.as === 'value') handler.stringPiece(text);
      else if (s.as !== 'drop') {
        const room = (s.as === 'key' ? maxKey : 256) - s.length;
        if (room > 0) s.kept.push(text.length > room ? text.slice(0, room) : text);
        s.length += text.length;
      }
    };
    let run = pos;
    while (pos < n) {
      const c = buf.charCodeAt(pos);
      if (c === s.quote) {
        piece(buf.slice(run, pos));
        pos += 1;
        str = null;
        finishString(s);
        return true;
      }
      if (c === 92 && !s.raw) {
        piece(buf.slice(run, pos));
        const decoded = escapeAt();
        if (decoded === null) return false;
        piece(decoded);
        run = pos;
        continue;
      }
      if (c === 10) line += 1;
      pos += 1;
    }
    piece(buf.slice(run, pos));
    return false;
  };

  /** Decodes the escape at `pos` (a backslash); null when more text is needed. Unknown escapes stay. */
  const escapeAt = (): string | null => {
    if (pos + 1 >= buf.length && !ended) return null;
    const letter = buf.charAt(pos + 1);
    const simple = SIMPLE_ESCAPES[letter];
    if (simple !== undefined) {
      pos += 2;
      return simple;
    }
    if (letter === '\n') {
      pos += 2;
      line += 1;
      return '';
    }
    const width = letter === 'x' ? 2 : letter === 'u' ? 4 : letter === 'U' ? 8 : 0;
    if (width > 0 && pos + 2 + width > buf.length && !ended) return null;
    if (letter === '') {
      pos += 1;
      return '\\';
    }
    pos += 2;
    const code = width > 0 ? hexValue(buf, pos, width) : null;
    if (code === null || code > 0x10ffff) return `\\${letter}`;
    pos += width;
    // \u escapes are UTF-16 units (surrogate halves pair up when joined); \U are code points.
    return width === 4 ? String.fromCharCode(code) : String.fromCodePoint(code);
  };

  const finishString = (s: NonNullable<typeof str>): void => {
    if (s.as === 'key') {
      const f = top();
      if (f.t === 'object') {
        f.key = s.kept.join('');
        if (f.emit) handler.key(f.key, s.line, s.length);
        f.state = 'colon';
      }
      return;
    }
    if (s.as === 'float') {
      const text = s.kept.join('');
      let value = s.length <= 256 ? numericLiteralOf(text.trim()) : null;
      const signs = s.route?.signs ?? [];
      if (value !== null) {
        for (const sign of signs) if (sign.negative) value = -value;
        if (s.route?.emit === true) handler.scalar({ kind: 'number', value }, s.line);
      } else if (signs[0] !== undefined) {
        failWith(`expected a number after '${signs[0].negative ? '-' : '+'}'`, signs[0].line);
        return;
      } else if (s.route?.emit === true) {
        // not a number: the call stands for the string, as written
        handler.stringStart(s.line);
        if (text.length > 0) handler.stringPiece(text);
        handler.stringEnd(line);
      }
    } else if (s.as === 'value') handler.stringEnd(line);
    endValue();
  };

  const readNumber = (): boolean => {
    const length = decimalAt(pos);
    if (length < 0) return false;
    if (length === 0) {
      expected('a number');
      return true;
    }
    if (length > MAX_TOKEN_CHARS) {
      failWith(`a number of more than ${MAX_TOKEN_CHARS} characters`, line);
      return true;
    }
    const value = Number(buf.slice(pos, pos + length));
    pos += length;
    giveScalar({ kind: 'number', value }, line);
    return true;
  };

  /** After a name at a value position: a string prefix, a call, a keyword argument, a constant, a symbol. */
  const afterName = (): boolean => {
    const nm = named as NonNullable<typeof named>;
    const c = buf.charCodeAt(pos);
    if (!nm.spaced && (c === 34 || c === 39) && STRING_PREFIXES.has(nm.name.toLowerCase())) {
      named = null;
      if (mayStartValue()) startString(nm.name.toLowerCase().includes('r'), 'value');
      return true;
    }
    skipSpace();
    if (pos >= buf.length && !ended) {
      nm.spaced = true;
      return false;
    }
    const d = buf.charCodeAt(pos);
    const f = top();
    if (f.t === 'call' && f.state === 'arg' && d === 61) {
      if (pos + 1 >= buf.length && !ended) {
        nm.spaced = true;
        return false;
      }
      if (buf.charCodeAt(pos + 1) !== 61) {
        // `dtype=float32`: read and dropped
        named = null;
        pos += 1;
        stack.push({ t: 'kwarg' });
        return true;
      }
    }
    named = null;
    if (!mayStartValue()) return true;
    if (d === 40) {
      if (stack.length > MAX_DEPTH) {
        failWith(`nesting deeper than ${MAX_DEPTH} levels`, line);
        return true;
      }
      pos += 1;
      const lastPart = nm.name.slice(nm.name.lastIndexOf('.') + 1).toLowerCase();
      stack.push({
        t: 'call',
        name: nm.name,
        line: nm.line,
        state: 'arg',
        positional: 0,
        gave: false,
        float: FLOAT_CALLS.has(lastPart),
      });
      return true;
    }
    giveScalar(constant(nm.name) ?? { kind: 'symbol', name: nm.name }, nm.line);
    return true;
  };

  // ------------------------------------------------------------------------------------------
  // The machine

  /** Keys, colons and commas of an object. False when more text is needed. */
  const objectPunctuation = (f: Extract<Frame, { t: 'object' }>, c: number): boolean => {
    if (f.state === 'colon') {
      if (c !== 58) expected(`':' after the key ${JSON.stringify(f.key)}`);
      else {
        pos += 1;
        f.state = 'value';
      }
      return true;
    }
    if (f.state === 'comma') {
      if (c === 44) {
        pos += 1;
        f.state = 'key';
      } else if (c === 125) closeContainer();
      else expected(`',' or '}' after the value of ${JSON.stringify(f.key)}`);
      return true;
    }
    // a key: a string, a number (Python `{0: 0.5}`) or a bare name (JavaScript `{loss: 1}`)
    if (c === 125) {
      closeContainer();
      return true;
    }
    if (c === 34 || c === 39) {
      startString(false, 'key');
      return true;
    }
    if (isDigit(c) || c === 45 || c === 46) {
      const from = c === 45 ? pos + 1 : pos;
      let length = decimalAt(from);
      if (length < 0) return false;
      if (length === 0) {
        // `-inf`, `-nan` keys
        let p = from;
        while (p < buf.length && isNameChar(buf.charCodeAt(p))) p += 1;
        if (p >= buf.length && !ended) return false;
        length = p - from;
      }
      if (length === 0) {
        expected("a key or '}'");
        return true;
      }
      f.key = buf.slice(pos, from + length);
      if (f.emit) handler.key(f.key, line, f.key.length);
      pos = from + length;
      f.state = 'colon';
      return true;
    }
    if (isNameStart(c)) {
      const at = line;
      const name = nameAt();
      if (name === null) return failure !== null;
      f.key = name;
      if (f.emit) handler.key(name, at, name.length);
      f.state = 'colon';
      return true;
    }
    expected("a key or '}'");
    return true;
  };

  /** A value at `pos`. False when more text is needed. */
  const value = (c: number): boolean => {
    if (c === 123 || c === 91 || c === 40) {
      if (mayStartValue())
        openContainer(c === 123 ? 'object' : 'array', c === 123 ? 125 : c === 91 ? 93 : 41);
      return true;
    }
    if (c === 34 || c === 39) {
      if (mayStartValue()) startString(false, 'value');
      return true;
    }
    if (c === 45 || c === 43) {
      if (!mayStartValue()) return true;
      if (stack.length > MAX_DEPTH) {
        failWith(`nesting deeper than ${MAX_DEPTH} levels`, line);
        return true;
      }
      stack.push({ t: 'sign', negative: c === 45, line, done: false });
      pos += 1;
      return true;
    }
    if (isDigit(c) || c === 46) {
      if (!mayStartValue()) return true;
      return readNumber();
    }
    if (isNameStart(c)) {
      const at = line;
      const name = nameAt();
      if (name === null) return failure !== null;
      named = { name, line: at, spaced: false };
      return true;
    }
    expected('a value');
    return true;
  };

  /** Runs over the buffer as far as it can. */
  const run = (): void => {
    for (;;) {
      if (failure !== null) return;
      if (str !== null) {
        if (!continueString()) return;
        continue;
      }
      if (named !== null) {
        if (!afterName()) return;
        continue;
      }
      skipSpace();
      if (pos >= buf.length) return;
      const c = buf.charCodeAt(pos);
      const f = top();
      if (f.t === 'object' && f.state !== 'value') {
        if (!objectPunctuation(f, c)) return;
        continue;
      }
      if (f.t === 'array' && (f.state === 'comma' || c === f.close)) {
        if (c === f.close) closeContainer();
        else if (c === 44) {
          f.state = 'value';
          pos += 1;
        } else expected(`',' or '${String.fromCharCode(f.close)}' after a list item`);
        continue;
      }
      if (f.t === 'call' && (f.state === 'comma' || c === 41)) {
        if (c === 41) closeCall();
        else if (c === 44) {
          f.state = 'arg';
          pos += 1;
        } else expected(`',' or ')' in the arguments of ${f.name}(...)`);
        continue;
      }
      if (!value(c)) return;
    }
  };

  /** What the reader still expected when the input ended. */
  const atEnd = (): void => {
    if (str !== null) {
      failWith('expected the closing quote of a string, found end of input', str.line);
      return;
    }
    const f = top();
    switch (f.t) {
      case 'root':
        if (f.values === 0) expected('a value');
        return;
      case 'object':
        expected(
          f.state === 'key'
            ? "a key or '}'"
            : f.state === 'colon'
              ? `':' after the key ${JSON.stringify(f.key)}`
              : f.state === 'value'
                ? 'a value'
                : `',' or '}' after the value of ${JSON.stringify(f.key)}`,
        );
        return;
      case 'array':
        expected(
          f.state === 'value' ? 'a value' : `',' or '${String.fromCharCode(f.close)}' after a list item`,
        );
        return;
      case 'call':
        expected(f.state === 'arg' ? 'a value' : `',' or ')' in the arguments of ${f.name}(...)`);
        return;
      default:
        expected('a value');
    }
  };

  return {
    write(text: string): void {
      if (failure !== null || text.length === 0) return;
      buf = pos >= buf.length ? text : buf.slice(pos) + text;
      pos = 0;
      run();
    },
    end(): JsonProblem | null {
      ended = true;
      run();
      if (failure === null && named !== null) afterName();
      if (failure === null) run();
      if (failure === null) atEnd();
      buf = '';
      pos = 0;
      return failure;
    },
    problem: () => failure,
  };
}

/** `numericLiteral` of `json-tolerant.ts`, local to avoid a cycle. */
function numericLiteralOf(token: string): number | null {
  let pos = 0;
  let sign = 1;
  const first = token.charCodeAt(0);
  if (first === 43 || first === 45) {
    sign = first === 45 ? -1 : 1;
    pos = 1;
  }
  const rest = token.slice(pos).toLowerCase();
  if (rest === 'nan') return Number.NaN;
  if (rest === 'inf' || rest === 'infinity') return sign * Number.POSITIVE_INFINITY;
  if (token.length <= pos) return null;
  let p = pos;
  let digits = 0;
  while (p < token.length && token.charCodeAt(p) >= 48 && token.charCodeAt(p) <= 57) {
    p += 1;
    digits += 1;
  }
  if (token.charCodeAt(p) === 46) {
    p += 1;
    while (p < token.length && token.charCodeAt(p) >= 48 && token.charCodeAt(p) <= 57) {
      p += 1;
      digits += 1;
    }
  }
  if (digits === 0) return null;
  const e = token.charCodeAt(p);
  if (e === 101 || e === 69) {
    let q = p + 1;
    const s = token.charCodeAt(q);
    if (s === 43 || s === 45) q += 1;
    if (token.charCodeAt(q) >= 48 && token.charCodeAt(q) <= 57) {
      while (token.charCodeAt(q) >= 48 && token.charCodeAt(q) <= 57) q += 1;
      p = q;
    }
  }
  return p === token.length ? Number(token) : null;
}

function hexValue(text: string, start: number, width: number): number | null {
  let value = 0;
  for (let i = start; i < start + width; i++) {
    const code = text.charCodeAt(i);
    const digit =
      code >= 48 && code <= 57
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
