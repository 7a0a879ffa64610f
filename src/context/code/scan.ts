/**
 * The tolerant scanner: reads calls and assignments from Python that is flattened into one line (a forum
 * paste that lost its newlines), cut off, or mixed with prose. One linear pass makes tokens, a second
 * matches brackets with a stack; nothing backtracks. Statement ends that a newline would mark are found
 * from the tokens: an operand followed by a name starts a new statement (`val_batchsize = 32 train_generator
 * = ...`). In a flattened paste `#` cannot end a comment at a newline, so it is skipped like a separator.
 */
import {
  excerpt,
  type CodeArg,
  type CodeCall,
  type CodeAssignment,
  type CodeFunction,
  type CodeModel,
} from './model.js';

type Kind = 'name' | 'number' | 'string' | 'op' | 'newline';

interface Token {
  kind: Kind;
  text: string;
  start: number;
  end: number;
  line: number;
}

/** A string longer than this is not a string (an apostrophe in prose opened it). */
const MAX_STRING = 400;
/** A bracket that has not closed after this many characters was not code. */
const MAX_CALL = 8000;

/** Python keywords that continue an expression: after them a name is not a new statement. */
const CONTINUING = new Set(['and', 'or', 'not', 'in', 'is', 'if', 'else', 'for', 'lambda', 'await']);

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
}
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Tokens of `text`; `intact` keeps newlines and comments as Python has them. */
export function tokenize(text: string, intact: boolean, firstLine = 1): Token[] {
  const tokens: Token[] = [];
  let line = firstLine;
  let depth = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      if (intact && depth === 0) tokens.push({ kind: 'newline', text: '\n', start: i, end: i + 1, line });
      line += 1;
      i += 1;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 12) {
      i += 1;
      continue;
    }
    if (c === 35) {
      // '#': a comment to the end of the line in intact code; a separator in a flattened paste
      if (intact) {
        while (i < n && text.charCodeAt(i) !== 10) i += 1;
      } else i += 1;
      continue;
    }
    if (isNameStart(c)) {
      let j = i + 1;
      while (j < n && isNameChar(text.charCodeAt(j))) j += 1;
      const word = text.slice(i, j);
      const q = j < n ? text.charCodeAt(j) : 0;
      // string prefixes: r'', b"", f'', rb'' ...
      if ((q === 39 || q === 34) && word.length <= 2 && /^[rbfuRBFU]+$/.test(word)) {
        const str = readString(text, j, intact);
        if (str !== null) {
          tokens.push({ kind: 'string', text: text.slice(i, str), start: i, end: str, line });
          line += countNewlines(text, i, str);
          i = str;
          continue;
        }
      }
      tokens.push({ kind: 'name', text: word, start: i, end: j, line });
      i = j;
      continue;
    }
    if (isDigit(c) || (c === 46 && i + 1 < n && isDigit(text.charCodeAt(i + 1)))) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        const sign = (d === 43 || d === 45) && (text.charCodeAt(j - 1) | 32) === 101;
        if (isDigit(d) || d === 46 || d === 95 || (d | 32) === 101 || (d | 32) === 120 || sign) j += 1;
        else break;
      }
      tokens.push({ kind: 'number', text: text.slice(i, j), start: i, end: j, line });
      i = j;
      continue;
    }
    if (c === 39 || c === 34) {
      // a quote glued to a letter is an apostrophe of prose (I've, it's), not a string (prefixes are above)
      if (c === 39 && i > 0 && isNameChar(text.charCodeAt(i - 1))) {
        i += 1;
        continue;
      }
      const str = readString(text, i, intact);
      if (str !== null) {
        tokens.push({ kind: 'string', text: text.slice(i, str), start: i, end: str, line });
        line += countNewlines(text, i, str);
        i = str;
        continue;
      }
      i += 1; // an unmatched quote (prose apostrophe): not a token
      continue;
    }
    const two = text.slice(i, i + 2);
    const op = ['//', '**', '==', '!=', '<=', '>=', '->', '+=', '-=', '*=', '/=', ':='].includes(two)
      ? two
      : text[i];
    if (op === undefined) break;
    if (op === '(' || op === '[' || op === '{') depth += 1;
    if (op === ')' || op === ']' || op === '}') depth = Math.max(0, depth - 1);
    tokens.push({ kind: 'op', text: op, start: i, end: i + op.length, line });
    i += op.length;
  }
  return tokens;
}

function countNewlines(text: string, from: number, to: number): number {
  let k = 0;
  for (let i = from; i < to; i += 1) if (text.charCodeAt(i) === 10) k += 1;
  return k;
}

/** End (exclusive) of the string literal opening at `i`, or null when it does not close in time. */
function readString(text: string, i: number, intact: boolean): number | null {
  const quote = text[i];
  const triple = text.slice(i, i + 3) === `${quote}${quote}${quote}`;
  const open = triple ? 3 : 1;
  const limit = Math.min(text.length, i + (triple && intact ? 100_000 : MAX_STRING));
  for (let j = i + open; j < limit; j += 1) {
    const c = text[j];
    if (c === '\\') {
      j += 1;
      continue;
    }
    if (!triple && c === '\n') return null;
    if (c === quote && (!triple || text.slice(j, j + 3) === `${quote}${quote}${quote}`)) return j + open;
  }
  return null;
}

/** Is tokens[k] the end of an operand (a value that a new statement may follow)? */
function endsOperand(t: Token | undefined): boolean {
  if (t === undefined) return false;
  if (t.kind === 'number' || t.kind === 'string') return true;
  if (t.kind === 'name') return !CONTINUING.has(t.text);
  return t.text === ')' || t.text === ']' || t.text === '}';
}

/** The dotted name ending at token k (`a.b.c`), as the index of its first token, or -1. */
function chainStart(tokens: readonly Token[], k: number): number {
  if (tokens[k]?.kind !== 'name') return -1;
  let s = k;
  while (s >= 2 && tokens[s - 1]?.text === '.' && tokens[s - 2]?.kind === 'name') s -= 2;
  return s;
}

/** Reads calls, assignments and function definitions from Python code, tolerantly. */
export function scanCode(text: string, intact: boolean, firstLine = 1): CodeModel {
  const tokens = tokenize(text, intact, firstLine);
  const calls: CodeCall[] = [];
  const assignments: CodeAssignment[] = [];
  const functions: CodeFunction[] = [];
  const closing = new Map<number, number>();
  const stack: number[] = [];
  tokens.forEach((t, k) => {
    if (t.kind !== 'op') return;
    if (t.text === '(' || t.text === '[' || t.text === '{') stack.push(k);
    else if (t.text === ')' || t.text === ']' || t.text === '}') {
      const open = stack.pop();
      if (open !== undefined) closing.set(open, k);
    }
  });
  const source = (from: number, to: number): string =>
    text.slice(tokens[from]?.start ?? 0, tokens[to]?.end ?? 0);
  // how many matched ( or [ enclose each token: an unmatched bracket of prose encloses nothing
  const enclosing = new Array<number>(tokens.length + 1).fill(0);
  for (const [open, close] of closing) {
    if (tokens[open]?.text === '{') continue;
    enclosing[open + 1] = (enclosing[open + 1] ?? 0) + 1;
    enclosing[close] = (enclosing[close] ?? 0) - 1;
  }
  for (let k = 1; k < enclosing.length; k += 1) enclosing[k] = (enclosing[k] ?? 0) + (enclosing[k - 1] ?? 0);

  // statement ends of assignment values: the first token at depth 0 after the '=' that cannot continue it
  const valueEnd = (from: number): number => {
    const depth = 0;
    for (let k = from; k < tokens.length; k += 1) {
      const t = tokens[k];
      if (t === undefined) break;
      if (t.kind === 'newline' && depth === 0) return k - 1;
      if (t.kind === 'op' && (t.text === '(' || t.text === '[' || t.text === '{')) {
        const close = closing.get(k);
        if (close === undefined) return k - 1;
        k = close;
        continue;
      }
      if (t.kind === 'op' && (t.text === ')' || t.text === ']' || t.text === '}')) return k - 1;
      if (
        k > from &&
        depth === 0 &&
        t.kind === 'name' &&
        !CONTINUING.has(t.text) &&
        endsOperand(tokens[k - 1])
      ) {
        return k - 1;
      }
      if (t.kind === 'op' && t.text === ',' && depth === 0 && !intact) return k - 1;
    }
    return tokens.length - 1;
  };

  const assignedTo = new Map<number, string>();
  for (let k = 1; k < tokens.length; k += 1) {
    const t = tokens[k];
    if (t?.kind !== 'op' || t.text !== '=') continue;
    const start = chainStart(tokens, k - 1);
    if (start < 0) continue;
    // inside a call, `name=value` is a keyword argument, not an assignment
    if ((enclosing[start] ?? 0) > 0) continue;
    const end = valueEnd(k + 1);
    if (end <= k) continue;
    const target = source(start, k - 1);
    assignments.push({
      target,
      value: source(k + 1, end),
      line: tokens[start]?.line ?? firstLine,
      text: excerpt(source(start, end)),
    });
    const head = chainStart(tokens, k + 1 + chainLength(tokens, k + 1) - 1);
    if (head === k + 1 && tokens[k + chainLength(tokens, k + 1) + 1]?.text === '(') {
      assignedTo.set(k + chainLength(tokens, k + 1) + 1, target);
    }
  }

  for (let k = 1; k < tokens.length; k += 1) {
    const t = tokens[k];
    if (t?.kind !== 'op' || t.text !== '(') continue;
    const start = chainStart(tokens, k - 1);
    if (start < 0) continue;
    if (tokens[start - 1]?.text === 'def' || tokens[start - 1]?.text === 'class') {
      if (tokens[start - 1]?.text === 'def')
        functions.push({ name: tokens[k - 1]?.text ?? '', yields: false, line: t.line });
      continue;
    }
    const close = closing.get(k);
    if (close === undefined || (tokens[close]?.start ?? 0) - t.start > MAX_CALL) continue;
    const callee = source(start, k - 1);
    const parts = callee.split('.');
    calls.push({
      callee,
      name: parts[parts.length - 1] ?? callee,
      object: parts.length > 1 ? parts.slice(0, -1).join('.') : null,
      args: splitArgs(tokens, k, close, source, closing),
      line: tokens[start]?.line ?? firstLine,
      text: excerpt(source(start, close)),
      target: assignedTo.get(k) ?? null,
    });
  }
  // a function yields when a `yield` comes before the next def or class
  for (let f = 0; f < functions.length; f += 1) {
    const fn = functions[f];
    if (fn === undefined) continue;
    const from = tokens.findIndex((t) => t.line >= fn.line && t.text === 'def');
    for (let k = from + 1; k > 0 && k < tokens.length; k += 1) {
      const t = tokens[k];
      if (t === undefined || t.text === 'def' || t.text === 'class') break;
      if (t.text === 'yield') {
        fn.yields = true;
        break;
      }
    }
  }
  return { calls, assignments, functions };
}

function chainLength(tokens: readonly Token[], from: number): number {
  let k = from;
  if (tokens[k]?.kind !== 'name') return 0;
  while (tokens[k + 1]?.text === '.' && tokens[k + 2]?.kind === 'name') k += 2;
  return k - from + 1;
}

function splitArgs(
  tokens: readonly Token[],
  open: number,
  close: number,
  source: (from: number, to: number) => string,
  closing: ReadonlyMap<number, number>,
): CodeArg[] {
  const args: CodeArg[] = [];
  let from = open + 1;
  const push = (to: number): void => {
    if (to < from) return;
    const first = tokens[from];
    const second = tokens[from + 1];
    if (first?.kind === 'name' && second?.text === '=' && to > from + 1) {
      args.push({ keyword: first.text, text: source(from + 2, to) });
    } else {
      args.push({ keyword: null, text: source(from, to) });
    }
  };
  for (let k = open + 1; k < close; k += 1) {
    const t = tokens[k];
    if (t === undefined) break;
    if (t.kind === 'op' && (t.text === '(' || t.text === '[' || t.text === '{')) {
      k = closing.get(k) ?? k;
      continue;
    }
    if (t.kind === 'op' && t.text === ',') {
      push(k - 1);
      from = k + 1;
    }
  }
  push(close - 1);
  return args;
}
