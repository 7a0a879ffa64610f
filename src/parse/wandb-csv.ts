/**
 * A Weights & Biases chart exported as CSV ("Export panel" → CSV): the chart's x axis first (`Step`, or
 * the custom x axis: `epoch`, `trainer/global_step`, ...), then per run and metric a column
 * `<run name> - <metric>` with its `__MIN` and `__MAX` companions (the range of the points the chart
 * bucketed into that x value), cells empty where a run logged nothing. Each run name is a run; the
 * metric keeps its logged name (the run-name prefix is stripped, the companions are not read); the x
 * axis is the step axis, or the epoch axis when it is named `epoch`.
 */
import type { ParseIssue, Run } from '../model/index.js';
import { shorten } from '../report/escape.js';
import { cellOf, createTableLines, dropTrailingEmpty, splitFields } from './csv-fields.js';
import { readHeader, type Header } from './csv-logger.js';
import { lineSpan, mergeRows, type MetricRow } from './metric-rows.js';
import { csvHeader, firstLines } from './sniff.js';
import type { FormatReader, ReaderContext, ReaderEntry, SniffHead } from './types.js';

const SPLIT = ' - ';

/** Whether a column name is a `__MIN`/`__MAX` companion of a series column. */
function isCompanion(name: string): boolean {
  return name.endsWith('__MIN') || name.endsWith('__MAX');
}

function sniff(head: SniffHead): number {
  const [first] = firstLines(head, 1);
  const header = first === undefined ? null : csvHeader(first);
  if (header === null || header.names.length < 2) return 0;
  const series = header.names.slice(1);
  if (!series.every((n) => n.includes(SPLIT))) return 0;
  return series.some(isCompanion) ? 0.97 : 0.85;
}

/** A series column: which run and which metric. */
interface Series {
  column: number;
  run: string;
  metric: string;
}

function createReader(ctx: ReaderContext): FormatReader {
  const { limits } = ctx;
  let header: Header | null = null;
  let series: Series[] = [];
  let axis: 'step' | 'epoch' = 'step';
  /** Rows of each run, in the order its name first appears in the header. */
  const byRun = new Map<string, MetricRow[]>();
  const issue = (kind: ParseIssue['kind'], line: number, message: string): void =>
    ctx.onIssue({ kind, line, message: `line ${line}: ${message}` });

  const readColumns = (h: Header, lineNumber: number): void => {
    const x = (h.names[0] ?? '').toLowerCase();
    axis = x === 'epoch' ? 'epoch' : 'step';
    series = [];
    h.names.forEach((name, column) => {
      if (column === 0 || isCompanion(name)) return;
      // a run name may hold ` - ` (a name given by hand); a metric name seldom does: cut at the last one
      const at = name.lastIndexOf(SPLIT);
      if (at < 0) {
        issue(
          'malformed-input',
          lineNumber,
          `column ${column + 1} (${JSON.stringify(shorten(name, 80))}) is not "<run> - <metric>": not read`,
        );
        return;
      }
      const metric = limits.name(name.slice(at + SPLIT.length).trim(), lineNumber);
      if (metric === null) return;
      const run = name.slice(0, at).trim();
      series.push({ column, run, metric });
      if (!byRun.has(run)) byRun.set(run, []);
    });
  };

  const onLine = (raw: string, lineNumber: number): void => {
    if (header === null) {
      header = readHeader(raw, lineNumber);
      if (header !== null) readColumns(header, lineNumber);
      return;
    }
    const h: Header = header;
    const fields = dropTrailingEmpty(splitFields(raw, h.separator, h.literalQuotes), h.names.length);
    if (fields.length !== h.names.length) {
      issue(
        'malformed-input',
        lineNumber,
        `${fields.length} fields where the header has ${h.names.length}; row skipped`,
      );
      return;
    }
    const x = cellOf(fields[0] ?? '');
    if (x.kind !== 'number') {
      issue(
        'bad-value',
        lineNumber,
        `the ${shorten(h.names[0] ?? 'x', 80)} value is not a number; row skipped`,
      );
      return;
    }
    const perRun = new Map<string, Map<string, number>>();
    for (const s of series) {
      const cell = cellOf(fields[s.column] ?? '');
      if (cell.kind === 'bad') {
        issue(
          'bad-value',
          lineNumber,
          `${shorten(s.metric, 200)} of ${shorten(s.run, 80)} is ${cell.what}, not a number; omitted`,
        );
        continue;
      }
      if (cell.kind !== 'number') continue;
      let values = perRun.get(s.run);
      if (values === undefined) perRun.set(s.run, (values = new Map<string, number>()));
      values.set(s.metric, cell.value);
    }
    for (const [run, values] of perRun) {
      if (!limits.keep(values.size)) return;
      byRun.get(run)?.push({
        values,
        epoch: axis === 'epoch' ? x.value : null,
        step: axis === 'step' && Number.isInteger(x.value) && x.value >= 0 ? x.value : null,
        line: lineNumber,
      });
    }
  };
  const lines = createTableLines(ctx, 'over-limit', onLine);

  return {
    kind: 'chars',
    write: (text) => lines.write(text),
    end() {
      if (!lines.end()) return { fatal: null };
      const h: Header | null = header;
      if (h === null) return { fatal: 'expected a header line (Step,"<run> - <metric>",...)' };
      let index = 0;
      for (const rows of byRun.values()) {
        for (const m of mergeRows(rows)) {
          if (m.epochs.length === 0) continue;
          const { first, last } = lineSpan(m.epochs, h.line);
          const run: Run = {
            index,
            epochs: m.epochs,
            events: [],
            datasets: [],
            axis: m.axis === 'epoch' && axis === 'epoch' ? 'epoch' : 'step',
            source: { dialect: 'wandb-csv', file: ctx.file, fromLine: first ?? h.line, toLine: last },
          };
          index += 1;
          ctx.onRun(run);
        }
      }
      if (index === 0)
        ctx.onIssue({
          kind: 'no-epochs',
          line: null,
          message: `no data rows after the header on line ${h.line}`,
        });
      return { fatal: null };
    },
  };
}

export const wandbCsvReader: ReaderEntry = {
  dialect: 'wandb-csv',
  aliases: ['wandb'],
  binary: false,
  fileHint: null,
  sniff,
  create: createReader,
};
