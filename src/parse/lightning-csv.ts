/**
 * PyTorch Lightning's CSVLogger `metrics.csv`: `epoch,step,<metrics...>` with training and validation
 * values on separate rows (per step or per epoch, either first), empty cells everywhere, and the rows of
 * `trainer.validate()`/`test()` after `fit`. The rows of one epoch merge into one record; rows after the
 * last training epoch are evaluation events (see `metric-rows.ts`).
 */
import type { ParseIssue, Run } from '../model/index.js';
import { cellOf, readHeader, splitFields, splitLines } from './csv-logger.js';
import { mergeRows, type MetricRow } from './metric-rows.js';
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
  return {
    kind: 'text',
    end(text: string) {
      const issues: ParseIssue[] = [];
      const lines = splitLines(text);
      let header = null as ReturnType<typeof readHeader>;
      let epochColumn = -1;
      let stepColumn = -1;
      let fromLine = 1;
      const rows: MetricRow[] = [];
      lines.forEach((raw, index) => {
        const lineNumber = index + 1;
        if (raw.trim() === '') return;
        if (header === null) {
          header = readHeader(raw, lineNumber);
          if (header === null) return;
          fromLine = lineNumber;
          const lower = header.names.map((n) => n.toLowerCase());
          epochColumn = lower.indexOf('epoch');
          stepColumn = lower.indexOf('step');
          return;
        }
        const fields = splitFields(raw, header.separator);
        if (fields.length !== header.names.length) {
          issues.push({
            kind: 'malformed-input',
            line: lineNumber,
            message: `line ${lineNumber}: ${fields.length} fields where the header has ${header.names.length}; row skipped`,
          });
          return;
        }
        const values = new Map<string, number>();
        let epoch: number | null = null;
        let step: number | null = null;
        header.names.forEach((name, column) => {
          const cell = cellOf(fields[column] ?? '');
          if (cell.kind === 'bad') {
            issues.push({
              kind: 'bad-value',
              line: lineNumber,
              message: `line ${lineNumber}: ${name} is ${cell.what}, not a number; omitted`,
            });
            return;
          }
          if (cell.kind !== 'number') return;
          if (column === epochColumn) epoch = cell.value;
          else if (column === stepColumn) step = cell.value;
          else values.set(name, cell.value);
        });
        if (values.size > 0) rows.push({ values, epoch, step, line: lineNumber });
      });
      for (const issue of issues) ctx.onIssue(issue);
      if (header === null) return { fatal: 'expected a header line (epoch,step,<metric names>)' };
      const merged = mergeRows(rows, true);
      merged.forEach((m, index) => {
        const lines = [...m.epochs.map((e) => e.line), ...m.events.map((e) => e.line)];
        const run: Run = {
          index,
          epochs: m.epochs,
          events: m.events,
          datasets: [],
          axis: m.axis,
          source: {
            dialect: 'lightning-csv',
            file: ctx.file,
            fromLine: index === 0 ? fromLine : Math.min(...lines),
            toLine: Math.max(fromLine, ...lines),
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
