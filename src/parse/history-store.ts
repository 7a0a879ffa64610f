/**
 * The values of a saved history as they are read (`json-stream.ts` events), kept in blocks of typed
 * arrays rather than as a tree of objects: a value costs 21 to 33 bytes, not the hundred and more of an
 * object per value, so a history fits in memory bounded by its cap. Values down to three levels below
 * each top-level value are kept, which is all a history's shapes use (a dict of lists, a list of dicts,
 * pandas' orientations down to `split`'s rows). A `history` member and a JSON string holding a dump are
 * read again as histories of their own (`nested`, `inner`).
 */
import { createJsonStream, type JsonHandler, type JsonProblem, type JsonScalar } from './json-stream.js';
import { numericLiteral } from './json-tolerant.js';

/** Kinds of a kept value. */
export const CELL = {
  number: 1,
  null: 2,
  boolean: 3,
  symbol: 4,
  /** A string that reads as a number (`json.dump(..., default=str)`): its number is kept too. */
  numericString: 5,
  string: 6,
  array: 7,
  object: 8,
} as const;
export type CellKind = (typeof CELL)[keyof typeof CELL];

/** A position that is not there (a value less deep than the field). */
export const NONE = -2147483648;
const BLOCK_BITS = 14;
const BLOCK = 1 << BLOCK_BITS;
const MASK = BLOCK - 1;
/** Characters of a string kept (for messages, names of pandas' `split` columns, numeric strings). */
const TEXT_CHARS = 1100;

interface Block {
  p1: Int32Array;
  p2: Int32Array;
  kind: Uint8Array;
  num: Float64Array;
  line: Int32Array;
  /** Allocated when a value of the block is not in the first top-level value (else 0). */
  root: Int32Array | null;
  /** Allocated when a value of the block is three levels deep (else {@link NONE}). */
  p3: Int32Array | null;
  /**
   * For a container: the index after its last kept descendant; allocated for the first container of
   * the block (0 means a scalar's own `index + 1`).
   */
  end: Int32Array | null;
}

/**
 * Kept values in document order. A position `p` is an index in a list (`>= 0`) or a key of a dict
 * (`-1 - keyId`); `root` is the index of the top-level value.
 */
export class CellStore {
  private readonly blocks: Block[] = [];
  count = 0;
  /** Texts of string cells, by cell index (the first {@link TEXT_CHARS} characters). */
  readonly texts = new Map<number, string>();
  readonly keys: string[] = [];
  private readonly keyIds = new Map<string, number>();

  hasKey(key: string): boolean {
    return this.keyIds.has(key);
  }

  keyPosition(key: string): number {
    let id = this.keyIds.get(key);
    if (id === undefined) {
      id = this.keys.length;
      this.keys.push(key);
      this.keyIds.set(key, id);
    }
    return -1 - id;
  }

  /** The key of a dict position, or null for a list position. */
  keyOf(position: number): string | null {
    return position < 0 && position !== NONE ? (this.keys[-1 - position] ?? null) : null;
  }

  add(root: number, p1: number, p2: number, p3: number, kind: CellKind, num: number, line: number): number {
    const index = this.count;
    let block = this.blocks[index >>> BLOCK_BITS];
    if (block === undefined) {
      // a dict of lists needs 21 bytes a value: the rarely used columns are allocated when first used
      block = {
        p1: new Int32Array(BLOCK),
        p2: new Int32Array(BLOCK),
        kind: new Uint8Array(BLOCK),
        num: new Float64Array(BLOCK),
        line: new Int32Array(BLOCK),
        root: null,
        p3: null,
        end: null,
      };
      this.blocks.push(block);
    }
    const at = index & MASK;
    if (root !== 0) (block.root ??= new Int32Array(BLOCK))[at] = root;
    if (p3 !== NONE) (block.p3 ??= new Int32Array(BLOCK).fill(NONE))[at] = p3;
    block.p1[at] = p1;
    block.p2[at] = p2;
    block.kind[at] = kind;
    block.num[at] = num;
    block.line[at] = line;
    this.count += 1;
    return index;
  }

  private at(i: number): Block {
    return this.blocks[i >>> BLOCK_BITS] as Block;
  }
  root(i: number): number {
    return this.at(i).root?.[i & MASK] ?? 0;
  }
  p1(i: number): number {
    return this.at(i).p1[i & MASK] ?? NONE;
  }
  p2(i: number): number {
    return this.at(i).p2[i & MASK] ?? NONE;
  }
  p3(i: number): number {
    return this.at(i).p3?.[i & MASK] ?? NONE;
  }
  kind(i: number): CellKind {
    return (this.at(i).kind[i & MASK] ?? 0) as CellKind;
  }
  num(i: number): number {
    return this.at(i).num[i & MASK] ?? Number.NaN;
  }
  line(i: number): number {
    return this.at(i).line[i & MASK] ?? 1;
  }
  /** The index after the last kept descendant of the container at `i`. */
  end(i: number): number {
    const end = this.at(i).end?.[i & MASK] ?? 0;
    return end === 0 ? i + 1 : end;
  }
  setEnd(i: number, end: number): void {
    const block = this.at(i);
    (block.end ??= new Int32Array(BLOCK))[i & MASK] = end;
  }
  setNumber(i: number, kind: CellKind, num: number): void {
    const block = this.at(i);
    block.kind[i & MASK] = kind;
    block.num[i & MASK] = num;
  }
}

/** A top-level value. */
export interface RootValue {
  kind: CellKind;
  line: number;
  endLine: number;
  /** Its kept descendants are the cells `[from, to)`. */
  from: number;
  to: number;
}

/** What was read. */
export interface HistoryDocument {
  roots: RootValue[];
  store: CellStore;
  /** The value of a top-level dict's member `history`, read as a history of its own. */
  nested: HistoryDocument | null;
  /** A top-level string holding a dump, read again (or why it could not be). */
  inner: { document: HistoryDocument | null; problem: JsonProblem | null } | null;
}

/** Caps of the reading; past `maxValues` it stops with `overValues`. */
export interface HistoryCaps {
  maxValues: number;
  overValues: string;
  /**
   * Distinct keys kept (each is a column of names and positions): past it the reading stops with
   * `overKeys`. Unset: no cap.
   */
  maxKeys?: number;
  overKeys?: string;
  /** How many more times a string holding a dump, or a `history` member, is read again. */
  unwrap?: number;
}

/** Collects a history from the events of a JSON stream; `finish` gives what was read. */
export function createHistoryCollector(caps: HistoryCaps): {
  handler: JsonHandler;
  finish(): HistoryDocument;
  problem(): JsonProblem | null;
} {
  const store = new CellStore();
  const roots: RootValue[] = [];
  const unwrap = caps.unwrap ?? 4;
  let problem: JsonProblem | null = null;
  /** Open containers: their position in the parent, the key being read, the items counted, their cell. */
  const levels: Array<{ kind: 'object' | 'array'; key: string | null; index: number; cell: number }> = [];
  /** Positions of the open containers below the top-level value (p1, p2, p3). */
  const path: number[] = [];
  let nested: ReturnType<typeof createHistoryCollector> | null = null;
  let nestedDocument: HistoryDocument | null = null;
  let inner: {
    stream: ReturnType<typeof createJsonStream>;
    collector: ReturnType<typeof createHistoryCollector>;
  } | null = null;
  let innerResult: HistoryDocument['inner'] = null;
  let string: { cell: number; parts: string[]; length: number } | null = null;

  /** The position of a value about to start, in its parent. */
  const position = (): number => {
    const top = levels[levels.length - 1];
    if (top === undefined) return NONE;
    return top.kind === 'object' ? store.keyPosition(top.key ?? '') : top.index;
  };

  /** Whether the value about to start has a new key past {@link HistoryCaps.maxKeys} (then stops). */
  const overKeys = (line: number): boolean => {
    const top = levels[levels.length - 1];
    if (caps.maxKeys === undefined || top?.kind !== 'object' || store.keys.length < caps.maxKeys)
      return false;
    if (store.hasKey(top.key ?? '')) return false;
    problem ??= { line, message: caps.overKeys ?? caps.overValues };
    return true;
  };

  /** Keeps a value at the current place (down to three levels below its top-level value). */
  const place = (kind: CellKind, num: number, line: number): number => {
    const depth = levels.length;
    if (depth === 0) {
      roots.push({ kind, line, endLine: line, from: store.count, to: store.count });
      return -1;
    }
    if (depth > 3) return -1;
    if (store.count >= caps.maxValues) {
      problem ??= { line, message: caps.overValues };
      return -1;
    }
    if (overKeys(line)) return -1;
    const here = position();
    const p1 = depth === 1 ? here : (path[0] ?? NONE);
    const p2 = depth === 2 ? here : depth > 2 ? (path[1] ?? NONE) : NONE;
    const p3 = depth === 3 ? here : NONE;
    return store.add(roots.length - 1, p1, p2, p3, kind, num, line);
  };

  /** The container above counts one more item. */
  const advance = (): void => {
    const top = levels[levels.length - 1];
    if (top !== undefined) top.index += 1;
    else {
      const root = roots[roots.length - 1];
      if (root !== undefined) root.to = store.count;
    }
  };

  /** Events of a top-level dict's `history` member go to its own collector too. */
  const forward = (): ReturnType<typeof createHistoryCollector> | null =>
    nested !== null && levels.length >= 1 ? nested : null;
  const maybeStartNested = (): void => {
    const top = levels[0];
    if (
      levels.length === 1 &&
      top?.kind === 'object' &&
      top.key === 'history' &&
      roots.length === 1 &&
      unwrap > 0 &&
      nested === null &&
      nestedDocument === null
    ) {
      nested = createHistoryCollector({ ...caps, unwrap: unwrap - 1 });
    }
  };
  const maybeEndNested = (): void => {
    if (nested !== null && levels.length === 1) {
      nestedDocument = nested.finish();
      problem ??= nested.problem();
      nested = null;
    }
  };

  const scalarKind = (value: JsonScalar): CellKind =>
    value.kind === 'number'
      ? CELL.number
      : value.kind === 'null'
        ? CELL.null
        : value.kind === 'boolean'
          ? CELL.boolean
          : CELL.symbol;

  const handler: JsonHandler = {
    open(kind, line) {
      if (problem !== null) return;
      maybeStartNested();
      forward()?.handler.open(kind, line);
      if (overKeys(line)) return;
      const here = levels.length === 0 ? NONE : position();
      const cell = place(kind === 'object' ? CELL.object : CELL.array, Number.NaN, line);
      if (levels.length >= 1 && levels.length <= 3) path[levels.length - 1] = here;
      levels.push({ kind, key: null, index: 0, cell });
    },
    close(line) {
      if (problem !== null) return;
      const done = levels.pop();
      if (done !== undefined && done.cell >= 0) store.setEnd(done.cell, store.count);
      if (levels.length === 0) {
        const root = roots[roots.length - 1];
        if (root !== undefined) root.endLine = line;
      }
      forward()?.handler.close(line);
      maybeEndNested();
      advance();
    },
    key(key, line, length) {
      if (problem !== null) return;
      forward()?.handler.key(key, line, length);
      const top = levels[levels.length - 1];
      if (top !== undefined) top.key = key;
    },
    scalar(value, line) {
      if (problem !== null) return;
      maybeStartNested();
      forward()?.handler.scalar(value, line);
      place(scalarKind(value), value.kind === 'number' ? value.value : Number.NaN, line);
      maybeEndNested();
      advance();
    },
    stringStart(line) {
      if (problem !== null) return;
      maybeStartNested();
      forward()?.handler.stringStart(line);
      if (levels.length === 0 && roots.length === 0 && unwrap > 0) {
        // json.dump(str(history.history)): the string holds a Python repr, read a second time
        const collector = createHistoryCollector({ ...caps, unwrap: unwrap - 1 });
        inner = { collector, stream: createJsonStream(collector.handler, { firstLine: line }) };
      }
      const cell = place(CELL.string, Number.NaN, line);
      string = { cell, parts: [], length: 0 };
    },
    stringPiece(text) {
      if (problem !== null) return;
      forward()?.handler.stringPiece(text);
      if (inner !== null && levels.length === 0) inner.stream.write(text);
      const s = string;
      if (s === null) return;
      if (s.length < TEXT_CHARS) s.parts.push(text.length > TEXT_CHARS ? text.slice(0, TEXT_CHARS) : text);
      s.length += text.length;
    },
    stringEnd(line) {
      if (problem !== null) return;
      forward()?.handler.stringEnd(line);
      const s = string;
      string = null;
      if (levels.length === 0) {
        const root = roots[roots.length - 1];
        if (root !== undefined) root.endLine = line;
        if (inner !== null) {
          const found = inner.stream.end() ?? inner.collector.problem();
          innerResult = { document: found === null ? inner.collector.finish() : null, problem: found };
          inner = null;
        }
      }
      if (s !== null && s.cell >= 0) {
        const text = s.parts.join('');
        const value = s.length <= TEXT_CHARS ? numericLiteral(text.trim()) : null;
        if (value !== null) store.setNumber(s.cell, CELL.numericString, value);
        else store.texts.set(s.cell, s.length > TEXT_CHARS ? `${text}…` : text);
      }
      maybeEndNested();
      advance();
    },
  };

  return {
    handler,
    problem: () => problem,
    finish: () => ({ roots, store, nested: nestedDocument, inner: innerResult }),
  };
}
