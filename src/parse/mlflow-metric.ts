/**
 * A metric file of MLflow's file store (`mlruns/<experiment>/<run>/metrics/<key>`): one line per logged
 * value, `<timestamp ms> <value> <step>` (`str()` of the value: `nan`, `inf`; MLflow before 1.0 wrote no
 * step). The metric's key is the path after `metrics/` (a key with `/` is a sub-folder there); for a file
 * read from stdin, the first `--metric` name, else `value` (said). The values are records on the step
 * axis (in logged order without steps); a step that goes back starts a new run.
 */
import type { ParseIssue, Run } from '../model/index.js';
import { cellOf, createTableLines } from './csv-fields.js';
import { lineSpan, mergeRows, type MetricRow } from './metric-rows.js';
import type { FormatReader, ReaderContext, ReaderEntry, SniffHead } from './types.js';

/** The fields of a metric line: a millisecond timestamp, a value and (since MLflow 1.0) a step. */
function lineFields(line: string): string[] | null {
  const fields = line.trim().split(' ');
  if (fields.length < 2 || fields.length > 3) return null;
  const stamp = fields[0] ?? '';
  if (stamp.length < 10 || stamp.length > 14 || !isDigits(stamp)) return null;
  if (fields.length === 3 && !isDigits(fields[2] ?? '')) return null;
  return fields;
}

function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Every line of the head a metric line whose value is a number. */
function sniff(head: SniffHead): number {
  let lines = 0;
  for (const raw of head.rawLines) {
    if (raw.trim() === '') continue;
    const fields = lineFields(raw);
    if (fields === null || cellOf(fields[1] ?? '').kind !== 'number') return 0;
    lines += 1;
  }
  if (lines === 0) return 0;
  return lines >= 2 || head.complete ? 0.95 : 0.6;
}

/** The metric key in a file store path (`mlruns/0/abc/metrics/val/loss` → `val/loss`). */
export function keyOfMetricPath(file: string | null): string | null {
  if (file === null || file === '-') return null;
  const path = `/${file.replaceAll('\\', '/')}`;
  const at = path.indexOf('/metrics/');
  const key = at < 0 ? (path.split('/').pop() ?? '') : path.slice(at + '/metrics/'.length);
  return key.length > 0 ? key : null;
}

function createReader(ctx: ReaderContext): FormatReader {
  const { limits } = ctx;
  const key = keyOfMetricPath(ctx.file) ?? ctx.metricNames[0] ?? null;
  let name: string | null = null;
  let firstLine: number | null = null;
  const rows: MetricRow[] = [];
  const issue = (kind: ParseIssue['kind'], line: number, message: string): void =>
    ctx.onIssue({ kind, line, message: `line ${line}: ${message}` });

  const onLine = (raw: string, lineNumber: number): void => {
    if (firstLine === null) {
      firstLine = lineNumber;
      if (key === null) {
        issue(
          'ambiguous',
          lineNumber,
          'the key of an MLflow metric file is its file name: the series is called "value"; name it with --metric',
        );
      }
      name = limits.name(key ?? 'value', lineNumber);
    }
    const fields = lineFields(raw);
    if (fields === null) {
      issue('malformed-input', lineNumber, 'not a "<timestamp> <value> <step>" line; skipped');
      return;
    }
    const value = cellOf(fields[1] ?? '');
    if (value.kind !== 'number') {
      issue(
        'bad-value',
        lineNumber,
        `the value is ${value.kind === 'bad' ? value.what : 'missing'}; skipped`,
      );
      return;
    }
    if (name === null || !limits.keep(1)) return;
    const step = fields[2] === undefined ? null : Number(fields[2]);
    rows.push({ values: new Map([[name, value.value]]), epoch: null, step, line: lineNumber });
  };
  const lines = createTableLines(ctx, 'over-limit', onLine);

  return {
    kind: 'chars',
    write: (text) => lines.write(text),
    end() {
      if (!lines.end()) return { fatal: null };
      if (firstLine === null) return { fatal: 'empty input' };
      mergeRows(rows).forEach((m, index) => {
        const { first, last } = lineSpan(m.epochs, 1);
        const run: Run = {
          index,
          epochs: m.epochs,
          events: [],
          datasets: [],
          axis: rows.some((r) => r.step !== null) ? 'step' : 'evaluation',
          source: {
            dialect: 'mlflow-metric',
            file: ctx.file,
            fromLine: first ?? 1,
            toLine: last,
          },
        };
        if (run.epochs.length > 0) ctx.onRun(run);
      });
      if (rows.length === 0) ctx.onIssue({ kind: 'no-epochs', line: null, message: 'no metric line read' });
      return { fatal: null };
    },
  };
}

export const mlflowMetricReader: ReaderEntry = {
  dialect: 'mlflow-metric',
  aliases: ['mlflow'],
  binary: false,
  fileHint: /(?:^|[\\/])metrics[\\/]/,
  sniff,
  create: createReader,
};
