/**
 * Where training code is in an input: the code cells of a notebook (read from its raw JSON; the notebook
 * reader keeps only outputs), or code pasted into a log (a script above its output, a forum post with the
 * code flattened into one line). One linear pass over the lines; nothing backtracks.
 */
import type { CodeText } from './model.js';

/** Only the head of a large input is searched: code pasted with a log comes before the training output. */
export const MAX_CODE_BYTES = 4 * 1024 * 1024;
/**
 * Code read from one input at most: a training script is a few hundred lines; a block of code-like lines
 * longer than this is generated text (or an attack on the reader), and is cut to its first part.
 */
export const MAX_CODE_CHARS = 256 * 1024;
const MAX_BLOCK_LINES = 5000;
/** A line this long with several calls is a flattened paste, not a line of a script. */
const FLATTENED_LINE = 300;

/** Python statement starts that prose and training output do not have. */
const STARTS = [
  'import ',
  'from ',
  'def ',
  'class ',
  '@',
  'for ',
  'while ',
  'with ',
  'if ',
  'elif ',
  'else:',
  'try:',
  'except',
  'return',
  'print(',
  'model.',
  'history',
];

/** Training output that looks code-like but is not (`loss: 0.3`, progress bars, callback messages). */
function isOutput(line: string): boolean {
  return (
    line.includes(' - loss:') ||
    line.includes('[==') ||
    line.includes('ETA:') ||
    line.startsWith('Epoch ') ||
    line.includes('ms/step') ||
    line.includes('s/step')
  );
}

/**
 * Counts `name(` occurrences: how many calls a line has (up to `enough`: a caller that asks whether there
 * are three stops at three). From one `(` to the next at indexOf's speed: the long lines of a head are
 * progress bars, which have none.
 */
function callCount(line: string, enough = Number.POSITIVE_INFINITY): number {
  let calls = 0;
  for (let i = line.indexOf('(', 1); i !== -1 && calls < enough; i = line.indexOf('(', i + 1)) {
    const c = line.charCodeAt(i - 1);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95) calls += 1;
  }
  return calls;
}

/** An assignment `name = value` at the start of a line (after indentation). */
function startsAssignment(trimmed: string): boolean {
  let i = 0;
  while (i < trimmed.length) {
    const c = trimmed.charCodeAt(i);
    const name =
      (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 46;
    if (!name) break;
    i += 1;
  }
  if (i === 0) return false;
  while (trimmed[i] === ' ') i += 1;
  return trimmed[i] === '=' && trimmed[i + 1] !== '=';
}

/** Does a line of a log look like a line of Python? */
export function isCodeLine(line: string): boolean {
  const trimmed = line.trim();
  if (trimmed.length === 0 || isOutput(trimmed)) return false;
  if (STARTS.some((s) => trimmed.startsWith(s))) return true;
  if (startsAssignment(trimmed)) return true;
  // a bare call statement: `model.add(Dense(64))`, `train_datagen.fit(x)`
  return callCount(trimmed, 1) > 0 && trimmed.endsWith(')') && !trimmed.includes(': ');
}

/** Code regions of a text log: runs of code lines (intact) and flattened lines holding code. */
export function codeInText(text: string, file: string | null): CodeText[] {
  const regions: CodeText[] = [];
  const head = text.length > MAX_CODE_BYTES ? text.slice(0, MAX_CODE_BYTES) : text;
  const lines = head.split('\n');
  let block: string[] = [];
  let blockStart = 0;
  let codeLines = 0;
  let budget = MAX_CODE_CHARS;
  const keep = (region: CodeText): void => {
    if (budget <= 0) return;
    const text = region.text.length > budget ? region.text.slice(0, budget) : region.text;
    budget -= text.length;
    regions.push({ ...region, text });
  };
  const flush = (): void => {
    if (codeLines >= 2) {
      keep({ text: block.join('\n'), origin: 'log', file, firstLine: blockStart + 1, intact: true });
    }
    block = [];
    codeLines = 0;
  };
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.length >= FLATTENED_LINE && callCount(line, 3) >= 3) {
      flush();
      keep({ text: line, origin: 'log', file, firstLine: i + 1, intact: false });
      return;
    }
    const code = isCodeLine(line);
    const continuation =
      block.length > 0 && (line.trim() === '' || line.trimStart().startsWith('#') || /^\s/.test(line));
    if ((code || continuation) && block.length < MAX_BLOCK_LINES) {
      if (block.length === 0) blockStart = i;
      block.push(line);
      if (code) codeLines += 1;
      return;
    }
    flush();
  });
  flush();
  return regions;
}

/** Does the text look like a notebook (`{` … `"cells"` / `"nbformat"`)? */
export function isNotebookText(text: string): boolean {
  const start = text.trimStart();
  if (!start.startsWith('{')) return false;
  const head = start.slice(0, 4096);
  return head.includes('"cells"') || head.includes('"nbformat"') || head.includes('"worksheets"');
}

/** The code cells of a notebook, each an intact region (`file` names the cell: `train.ipynb#cell-3`). */
export function codeInNotebook(text: string, file: string | null): CodeText[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.length > MAX_CODE_BYTES * 8 ? text.slice(0, MAX_CODE_BYTES * 8) : text);
  } catch {
    return [];
  }
  const cells = cellsOf(parsed);
  const regions: CodeText[] = [];
  let budget = MAX_CODE_CHARS;
  cells.forEach((cell, index) => {
    if (typeof cell !== 'object' || cell === null) return;
    const record = cell as Record<string, unknown>;
    if (record.cell_type !== 'code') return;
    const source = record.source ?? record.input;
    const code = Array.isArray(source) ? source.filter((s) => typeof s === 'string').join('') : source;
    if (typeof code !== 'string' || code.trim() === '') return;
    if (budget <= 0) return;
    const text = code.length > budget ? code.slice(0, budget) : code;
    budget -= text.length;
    regions.push({
      text,
      origin: 'notebook',
      file: `${file ?? ''}#cell-${index + 1}`,
      firstLine: 1,
      intact: true,
    });
  });
  return regions;
}

function cellsOf(notebook: unknown): unknown[] {
  if (typeof notebook !== 'object' || notebook === null) return [];
  const record = notebook as Record<string, unknown>;
  if (Array.isArray(record.cells)) return record.cells;
  // nbformat 3: worksheets[].cells
  if (Array.isArray(record.worksheets)) {
    return record.worksheets.flatMap((w) =>
      typeof w === 'object' && w !== null && Array.isArray((w as Record<string, unknown>).cells)
        ? ((w as Record<string, unknown>).cells as unknown[])
        : [],
    );
  }
  return [];
}

/** The code in an input: a notebook's code cells, or the code pasted into a log. */
export function codeInInput(text: string, file: string | null): CodeText[] {
  return isNotebookText(text) ? codeInNotebook(text, file) : codeInText(text, file);
}
