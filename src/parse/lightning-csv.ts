/**
 * PyTorch Lightning's CSVLogger `metrics.csv`: `epoch,step,<metrics...>` with training and validation
 * values on separate rows (per step or per epoch, either first), empty cells everywhere, and the rows of
 * `trainer.validate()`/`test()` after `fit`. The rows of one epoch merge into one record; rows after the
 * last training epoch are evaluation events (see `metric-rows.ts`).
 */
import type { Run } from '../model/index.js';
import { shorten } from '../report/escape.js';
import { cellOf, createTableLines, dropTrailingEmpty, hasUnclosedQuote, splitFields } from './csv-fields.js';
import { readHeader, type Header } from './csv-logger.js';
import { lineSpan, mergeRows, type MetricRow } from './metric-rows.js';
import { csvHeader, firstLines } from './sniff.js';
import type { FormatReader, ReaderContext, ReaderEntry, SniffHead } from './types.js';

function sniff(head: SniffHead): number {
  const [first] = firstLines(head, 1);
  const header = first === undefined ? null : csvHeader(first);
  if (header === null) return 0;
  const lower = header.names.map((n) => n.toLowerCase());
  return lower.includes('epoch') && lower.includes('step') ? 0.9 : 0;
}

function createReader(ctx: ReaderContext): FormatReader {
  const { limits } = ctx;
  let header: Header | null = null;
  let epochColumn = -1;
  let stepColumn = -1;
  let fromLine = 1;
  const rows: MetricRow[] = [];
  const issue = (kind: 'malformed-input' | 'bad-value' | 'duplicate-metric', line: number, message: string) =>
    ctx.onIssue({ kind, line, message: `line ${line}: ${message}` });

  const onLine = (raw: string, lineNumber: number): void => {
    if (header === null) {
      header = readHeader(raw, lineNumber);
      if (header === null) return;
      fromLine = lineNumber;
      const lower = header.names.map((n) => n.toLowerCase());
      epochColumn = lower.indexOf('epoch');
      stepColumn = lower.indexOf('step');
      const seen = new Map<string, number>();
      let dropped = 0;
      header.names.forEach((name, column) => {
        if (column === epochColumn || column === stepColumn) return;
        const h = header as Header;
        if (h.keys[column] === undefined) {
          dropped += 1;
          return;
        }
        const key = limits.name(name, lineNumber);
        h.keys[column] = key;
        if (key === null) return;
        const before = seen.get(key);
        if (before !== undefined) {
          issue(
            'duplicate-metric',
            lineNumber,
            `column ${column + 1} repeats the name ${JSON.stringify(shorten(key, 80))} of column ${before + 1}: the later column's values are kept`,
          );
        }
        seen.set(key, column);
      });
      if (dropped > 0) limits.tooManyValues(lineNumber, dropped);
      return;
    }
    const h: Header = header;
    let fields: string[];
    if (!h.literalQuotes && raw.includes('"') && hasUnclosedQuote(raw, h.separator)) {
      fields = splitFields(raw, h.separator, true);
      issue('malformed-input', lineNumber, 'a quote that is never closed: its quotes are read as characters');
    } else {
      fields = splitFields(raw, h.separator, h.literalQuotes);
    }
    fields = dropTrailingEmpty(fields, h.names.length);
    if (fields.length !== h.names.length) {
      issue(
        'malformed-input',
        lineNumber,
        `${fields.length} fields where the header has ${h.names.length}; row skipped`,
      );
      return;
    }
    const values = new Map<string, number>();
    let epoch: number | null = null;
    let step: number | null = null;
    for (let column = 0; column < h.names.length; column += 1) {
      const cell = cellOf(fields[column] ?? '');
      const key = h.keys[column];
      if (cell.kind === 'bad') {
        if (key !== null && key !== undefined)
          issue('bad-value', lineNumber, `${shorten(key, 200)} is ${cell.what}, not a number; omitted`);
        continue;
      }
      if (cell.kind !== 'number') continue;
      if (column === epochColumn) epoch = cell.value;
      else if (column === stepColumn) step = cell.value;
      else if (key !== null && key !== undefined) values.set(key, cell.value);
    }
    if (values.size > 0 && limits.keep(values.size)) rows.push({ values, epoch, step, line: lineNumber });
  };
  const lines = createTableLines(ctx, 'malformed-input', onLine);

  return {
    kind: 'chars',
    write: (text) => lines.write(text),
    end() {
      if (!lines.end()) return { fatal: null };
      if (header === null) return { fatal: 'expected a header line (epoch,step,<metric names>)' };
      const merged = mergeRows(rows, true);
      merged.forEach((m, index) => {
        const { first, last } = lineSpan([...m.epochs, ...m.events], fromLine);
        const run: Run = {
          index,
          epochs: m.epochs,
          events: m.events,
          datasets: [],
          axis: m.axis,
          source: {
            dialect: 'lightning-csv',
            file: ctx.file,
            fromLine: index === 0 || first === null ? fromLine : first,
            toLine: last,
          },
        };
        if (run.epochs.length > 0) ctx.onRun(run);
      });
      return { fatal: null };
    },
  };
}

export const lightningCsvReader: ReaderEntry = {
  dialect: 'lightning-csv',
  aliases: [],
  binary: false,
  fileHint: /metrics\.csv$/i,
  sniff,
  create: createReader,
};
