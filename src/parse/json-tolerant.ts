/**
 * A tolerant reader for the JSON / Python-literal superset that saved training histories and notebooks
 * come in: JSON, `str(history.history)` dumps (single quotes, `True`/`None`, `nan`/`inf`, tuples),
 * Python's non-standard `NaN`/`Infinity` tokens, and NumPy wrappers such as `np.float32(0.001)`,
 * `array([...], dtype=float32)` or `tf.Tensor(0.5, shape=(), dtype=float32)`.
 *
 * The reading itself is `json-stream.ts` (streaming, linear, no recursion); this module builds the tree
 * of values from its events, for texts read whole (a line of JSON Lines, a cell) and, with caps on what
 * it keeps, for documents (`createTreeReader`).
 */
import type { ParseIssue } from '../model/index.js';
import { shorten } from '../report/escape.js';
import { createJsonStream, type JsonHandler, type JsonProblem } from './json-stream.js';

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
  const read = readAll(text, options, false);
  if (!read.ok) return read;
  const [first] = read.value;
  return first === undefined
    ? { ok: false, line: 1, message: 'expected a value, found end of input' }
    : { ok: true, value: first };
}

/**
 * Reads one or more values written one after another (JSON Lines, or several dumps appended to one
 * file). Fails when the input holds no value at all.
 */
export function readTolerantSequence(
  text: string,
  options: TolerantOptions = {},
): TolerantResult<TolerantNode[]> {
  return readAll(text, options, true);
}

function readAll(text: string, options: TolerantOptions, sequence: boolean): TolerantResult<TolerantNode[]> {
  const tree = createTreeBuilder({});
  const stream = createJsonStream(tree.handler, {
    sequence,
    ...(options.firstLine ? { firstLine: options.firstLine } : {}),
  });
  stream.write(text);
  const problem = stream.end() ?? tree.problem();
  if (problem !== null) return { ok: false, line: problem.line, message: problem.message };
  return { ok: true, value: tree.values() };
}

/** Caps of a tree built from a document (the memory a tree may take). */
export interface TreeCaps {
  /** Values (scalars, strings, lists and dicts) kept; past it the reading fails with `overNodes`. */
  maxNodes?: number;
  /** Characters of one string kept; a longer one fails the reading. */
  maxStringChars?: number;
  overNodes?: string;
}

/** Builds trees from the events of a {@link createJsonStream}. */
export function createTreeBuilder(caps: TreeCaps): {
  handler: JsonHandler;
  values(): TolerantNode[];
  problem(): JsonProblem | null;
} {
  const roots: TolerantNode[] = [];
  const open: Array<{ node: TolerantNode; key: string | null; keyLine: number }> = [];
  let pendingKey: { key: string; line: number } | null = null;
  let string: { parts: string[]; length: number; line: number } | null = null;
  let nodes = 0;
  let problem: JsonProblem | null = null;
  const maxNodes = caps.maxNodes ?? Number.POSITIVE_INFINITY;
  const maxString = caps.maxStringChars ?? Number.POSITIVE_INFINITY;

  const attach = (node: TolerantNode): void => {
    if (problem !== null) return;
    nodes += 1;
    if (nodes > maxNodes) {
      problem = { line: node.line, message: caps.overNodes ?? 'too many values' };
      return;
    }
    const parent = open[open.length - 1];
    if (parent === undefined) roots.push(node);
    else if (parent.node.kind === 'array') parent.node.items.push(node);
    else if (parent.node.kind === 'object') {
      const key = pendingKey;
      pendingKey = null;
      parent.node.entries.push({ key: key?.key ?? '', line: key?.line ?? node.line, value: node });
    }
  };

  const handler: JsonHandler = {
    open(kind, line) {
      const node: TolerantNode =
        kind === 'object'
          ? { kind, entries: [], line, endLine: line }
          : { kind, items: [], line, endLine: line };
      const parentKey = pendingKey;
      attach(node);
      open.push({ node, key: parentKey?.key ?? null, keyLine: parentKey?.line ?? line });
    },
    close(line) {
      const top = open.pop();
      if (top !== undefined) top.node.endLine = line;
    },
    key(key, line) {
      pendingKey = { key, line };
    },
    scalar(value, line) {
      const node: TolerantNode =
        value.kind === 'number' || value.kind === 'boolean'
          ? ({ kind: value.kind, value: value.value, line, endLine: line } as TolerantNode)
          : value.kind === 'null'
            ? { kind: 'null', line, endLine: line }
            : { kind: 'symbol', name: value.name, line, endLine: line };
      attach(node);
    },
    stringStart(line) {
      string = { parts: [], length: 0, line };
    },
    stringPiece(text) {
      const s = string;
      if (s === null || problem !== null) return;
      s.length += text.length;
      if (s.length > maxString) {
        problem = { line: s.line, message: `a string of more than ${maxString} characters` };
        return;
      }
      s.parts.push(text);
    },
    stringEnd(line) {
      const s = string;
      string = null;
      if (s === null) return;
      attach({ kind: 'string', value: s.parts.join(''), line: s.line, endLine: line });
    },
  };
  return { handler, values: () => roots, problem: () => problem };
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

/**
 * Reports every key given twice in one JSON object (`where`: "line", "record"): the later value is what a
 * reader keeps, and that is said, never silent.
 */
export function reportDuplicateKeys(
  entries: readonly TolerantEntry[],
  line: number,
  where: string,
  onIssue: (issue: ParseIssue) => void,
): void {
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.key)) {
      onIssue({
        kind: 'duplicate-metric',
        line,
        message: `the key ${JSON.stringify(shorten(e.key, 80))} is given twice in one ${where}: the later value is kept`,
      });
    }
    seen.add(e.key);
  }
}
