/**
 * TensorBoard's "download CSV" of one scalar chart: `Wall time,Step,Value` (Python's `csv.writer`, so
 * `\r\n` line ends), one row per logged point. The tag is only in the file name the browser gives it,
 * `run-<run>-tag-<tag>.csv` (`/` in either written as `_`, a ` (1)` added to a second download): the
 * series is named from it; failing that, by the first `--metric` name, else `value` with an issue. The
 * points are records on the step axis; a step that goes back starts a new run. Wall time is not read.
 */
import type { ParseIssue, Run } from '../model/index.js';
import { cellOf, createTableLines, dropTrailingEmpty, splitFields } from './csv-fields.js';
import { readHeader } from './csv-logger.js';
import { lineSpan, mergeRows, type MetricRow } from './metric-rows.js';
import { csvHeader, firstLines } from './sniff.js';
import type { FormatReader, ReaderContext, ReaderEntry, SniffHead } from './types.js';

const COLUMNS = ['wall time', 'step', 'value'];

function sniff(head: SniffHead): number {
  const [first] = firstLines(head, 1);
  const header = first === undefined ? null : csvHeader(first);
  if (header === null || header.names.length !== 3) return 0;
  return header.names.every((n, i) => n.toLowerCase() === COLUMNS[i]) ? 0.97 : 0;
}

/** The tag in a TensorBoard download's file name (`run-version_0-tag-val_loss.csv` → `val_loss`). */
export function tagOfFileName(file: string | null): string | null {
  if (file === null || file === '-') return null;
  let base = file.split(/[\\/]/).pop() ?? '';
  if (base.toLowerCase().endsWith('.csv')) base = base.slice(0, -4);
  // a browser's second download of one name: `... (1)`
  const dup = base.lastIndexOf(' (');
  if (dup > 0 && base.endsWith(')') && /^\d+$/.test(base.slice(dup + 2, -1))) base = base.slice(0, dup);
  if (!base.startsWith('run-')) return null;
  const at = base.indexOf('-tag-');
  const tag = at < 0 ? '' : base.slice(at + 5).trim();
  return tag.length > 0 ? tag : null;
}

function createReader(ctx: ReaderContext): FormatReader {
  const { limits } = ctx;
  const named = tagOfFileName(ctx.file) ?? ctx.metricNames[0] ?? null;
  let name: string | null = null;
  let headerLine: number | null = null;
  let columns = 3;
  let separator = ',';
  const rows: MetricRow[] = [];
  const issue = (kind: ParseIssue['kind'], line: number, message: string): void =>
    ctx.onIssue({ kind, line, message: `line ${line}: ${message}` });

  const onLine = (raw: string, lineNumber: number): void => {
    if (headerLine === null) {
      const header = readHeader(raw, lineNumber);
      if (header === null) return;
      headerLine = lineNumber;
      columns = header.names.length;
      separator = header.separator;
      if (named === null) {
        issue(
          'ambiguous',
          lineNumber,
          'the tag of a TensorBoard CSV is only in its file name (run-<run>-tag-<tag>.csv): the series is called "value"; name it with --metric',
        );
      }
      name = limits.name(named ?? 'value', lineNumber);
      return;
    }
    const fields = dropTrailingEmpty(splitFields(raw, separator), columns);
    if (fields.length !== columns) {
      issue(
        'malformed-input',
        lineNumber,
        `${fields.length} fields where the header has ${columns}; row skipped`,
      );
      return;
    }
    const step = cellOf(fields[1] ?? '');
    const value = cellOf(fields[2] ?? '');
    if (step.kind !== 'number' || !Number.isInteger(step.value) || step.value < 0) {
      issue('bad-value', lineNumber, 'the step is not a non-negative integer; row skipped');
      return;
    }
    if (value.kind !== 'number') {
      if (value.kind === 'bad')
        issue('bad-value', lineNumber, `the value is ${value.what}, not a number; row skipped`);
      return;
    }
    if (name === null || !limits.keep(1)) return;
    rows.push({ values: new Map([[name, value.value]]), epoch: null, step: step.value, line: lineNumber });
  };
  const lines = createTableLines(ctx, 'over-limit', onLine);

  return {
    kind: 'chars',
    write: (text) => lines.write(text),
    end() {
      if (!lines.end()) return { fatal: null };
      if (headerLine === null) return { fatal: 'expected the header line Wall time,Step,Value' };
      const from = headerLine;
      mergeRows(rows).forEach((m, index) => {
        const { first, last } = lineSpan(m.epochs, from);
        const run: Run = {
          index,
          epochs: m.epochs,
          events: [],
          datasets: [],
          axis: 'step',
          source: {
            dialect: 'tensorboard-csv',
            file: ctx.file,
            fromLine: index === 0 || first === null ? from : first,
            toLine: last,
          },
        };
        if (run.epochs.length > 0) ctx.onRun(run);
      });
      if (rows.length === 0)
        ctx.onIssue({
          kind: 'no-epochs',
          line: null,
          message: `no data rows after the header on line ${from}`,
        });
      return { fatal: null };
    },
  };
}

export const tensorboardCsvReader: ReaderEntry = {
  dialect: 'tensorboard-csv',
  aliases: [],
  binary: false,
  fileHint: /(?:^|[\\/])run-[^\\/]*-tag-[^\\/]*\.csv$/i,
  sniff,
  create: createReader,
};
