/**
 * Deciding the dialect of an input from its first characters; the file name is only a tie-breaker
 * (people save CSVLogger output as `.log` and notebooks as `.py`, see the corpus manifest).
 */

/** What the first bytes say; `json` is resolved into notebook or history once the whole text is read. */
export type SniffedFormat = 'keras-text' | 'csv' | 'json';

/** How many decoded characters the sniffer wants before deciding (less at end of input). */
export const SNIFF_CHARS = 8192;

const CSV_SEPARATORS = [',', ';', '\t', '|'] as const;
const HEADER_FIELD = /^(?:[A-Za-z_][\w.\-/]*|"[^"]+")$/;
const CELL =
  /^\s*"?(?:[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|NA|nan|NaN|-?inf|-?Infinity|True|False|)"?\s*$/;

/** Sniffs the format from the head of the input (BOM already removed). */
/**
 * Console output that happens to start like JSON: a launcher prefix `[1,0]<stdout>:`, a timestamp
 * `[2024-01-01 10:00]`, a printed config dict. A notebook holds such lines only inside JSON strings.
 */
const KERAS_MARKERS =
  /(?:^|[\s:>\]])Epoch \d+\/\d+|\d+\/\d+ \[[=>.]|\d+\/\d+ ━| - ETA: |ms\/step - |s - loss: /;
const NOTEBOOK_KEYS = /"(?:cells|nbformat|worksheets)"\s*:/;

export function sniffFormat(head: string, fileName: string | null): SniffedFormat {
  const text = head.trimStart();
  if (/^(?:\{|\[\s*[{["\d\-\]]|"|\[\s*$)/.test(text)) {
    return !NOTEBOOK_KEYS.test(text) && KERAS_MARKERS.test(text) ? 'keras-text' : 'json';
  }
  if (looksLikeCsv(head)) return 'csv';
  if (fileName !== null && /\.ipynb$/i.test(fileName) && text.startsWith('{')) return 'json';
  return 'keras-text';
}

function looksLikeCsv(head: string): boolean {
  const lines = head.split(/\r*\n/, 3);
  const header = lines[0] ?? '';
  if (/Epoch\s+\d+\s*\//.test(header)) return false;
  const sep = bestSeparator(header);
  if (sep === null) return false;
  const fields = header.split(sep);
  if (fields.length < 2) return false;
  const named = fields.filter((f, i) => HEADER_FIELD.test(f.trim()) || (i === 0 && f.trim() === ''));
  if (named.length !== fields.length) return false;
  const row = lines[1];
  if (row === undefined || row.trim() === '') return true;
  const cells = row.split(sep);
  return cells.length === fields.length && cells.filter((c) => CELL.test(c)).length >= cells.length / 2;
}

function bestSeparator(line: string): string | null {
  let best: string | null = null;
  let bestCount = 0;
  for (const sep of CSV_SEPARATORS) {
    const count = line.split(sep).length - 1;
    if (count > bestCount) {
      best = sep;
      bestCount = count;
    }
  }
  return best;
}
