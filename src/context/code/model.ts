/**
 * What the code readers produce: the calls and assignments of a piece of Python, the same shape whether it
 * was parsed by tree-sitter or read by the tolerant scanner. The facts are read from this (`facts.ts`).
 */

/** One argument of a call: `batch_size=32` (keyword) or `train_generator` (positional), as written. */
export interface CodeArg {
  keyword: string | null;
  text: string;
}

/** A call: `test_datagen.flow_from_directory(path, batch_size=val_batchsize, shuffle=False)`. */
export interface CodeCall {
  /** The dotted name called: `test_datagen.flow_from_directory`. */
  callee: string;
  /** Its last part: `flow_from_directory`. */
  name: string;
  /** What it is called on (`test_datagen`), null for a plain name. */
  object: string | null;
  args: CodeArg[];
  line: number;
  /** The call as written (one line, trimmed). */
  text: string;
  /** The variable the call's result is assigned to (`validation_generator = ...`), when it is. */
  target: string | null;
}

/** An assignment `name = value`. */
export interface CodeAssignment {
  target: string;
  value: string;
  line: number;
  text: string;
}

/** A function definition; `yields` when its body yields (a Python generator). */
export interface CodeFunction {
  name: string;
  yields: boolean;
  line: number;
}

/** Everything read from one piece of code. */
export interface CodeModel {
  calls: CodeCall[];
  assignments: CodeAssignment[];
  functions: CodeFunction[];
}

/** One piece of code to read, with where it is. */
export interface CodeText {
  text: string;
  origin: 'log' | 'notebook' | 'script';
  /** null: the linted input itself. */
  file: string | null;
  /** Line of `text`'s first line in that file. */
  firstLine: number;
  /** Intact code (newlines and indentation kept) can be parsed; a flattened paste is scanned. */
  intact: boolean;
}

/** Longest excerpt kept for a fact (a flattened paste can make one call very long). */
export const EXCERPT_CHARS = 160;

/** One line, at most EXCERPT_CHARS, for an excerpt. */
export function excerpt(text: string): string {
  // only the head is ever shown: a long text is cut before it is flattened
  const head = text.length > 4 * EXCERPT_CHARS ? text.slice(0, 4 * EXCERPT_CHARS) : text;
  const flat = head.replace(/\s+/g, ' ').trim();
  return flat.length <= EXCERPT_CHARS ? flat : `${flat.slice(0, EXCERPT_CHARS - 1)}…`;
}
