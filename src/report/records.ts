/**
 * Renders parsed records (`epochlint parse`): JSON for programs, an aligned table for people, CSV
 * for spreadsheets. One document per input file.
 */
import type { Dialect, ParseIssue, Run } from '../model/index.js';
import { isValidationName } from '../model/roles.js';
import { escapeControl, escapeJsonText } from './escape.js';
import { formatMetric, jsonNumberReplacer } from './numbers.js';

/** Version of the `parse --format json` document; bumped on any incompatible change. */
export const RECORDS_SCHEMA_VERSION = 1;

/** The parse result of one input file. */
export interface FileRecords {
  file: string;
  format: Dialect | null;
  runs: Run[];
  issues: ParseIssue[];
}

/** `{"schemaVersion": 1, "file", "format", "runs", "issues"}`, or an array of them for several files. */
export function renderRecordsJson(files: FileRecords[]): string {
  const docs = files.map((f) => ({
    schemaVersion: RECORDS_SCHEMA_VERSION,
    file: f.file,
    format: f.format,
    runs: f.runs,
    issues: f.issues,
  }));
  return `${escapeJsonText(JSON.stringify(docs.length === 1 ? docs[0] : docs, jsonNumberReplacer, 2))}\n`;
}

/** Metric names of a run in first-seen order, training metrics before validation ones. */
export function metricColumns(run: Run): string[] {
  const seen = new Set<string>();
  for (const e of run.epochs) for (const k of Object.keys(e.metrics)) seen.add(k);
  const names = [...seen];
  return [...names.filter((n) => !isValidationName(n)), ...names.filter((n) => isValidationName(n))];
}

/** An aligned per-epoch table per run, for a person reading a terminal. */
export function renderRecordsTable(files: FileRecords[]): string {
  const out: string[] = [];
  for (const f of files) {
    const epochs = f.runs.reduce((n, r) => n + r.epochs.length, 0);
    out.push(
      `${escapeControl(f.file)}: ${f.format ?? 'unreadable'}, ${f.runs.length} run(s), ${epochs} epoch(s)`,
    );
    for (const run of f.runs) {
      const columns = metricColumns(run);
      const header = ['epoch', 'steps', 'time', ...columns.map(escapeControl)];
      const rows = run.epochs.map((e) => [
        e.of === null ? String(e.epoch) : `${e.epoch}/${e.of}`,
        e.steps === null ? '' : `${e.steps.done}/${e.steps.total}`,
        e.seconds === null ? '' : `${e.seconds}s`,
        ...columns.map((c) => {
          const v = e.metrics[c];
          return v === undefined ? '-' : formatMetric(v);
        }),
      ]);
      out.push('', `run ${run.index + 1} (lines ${run.source.fromLine}-${run.source.toLine})`);
      for (const row of alignRows([header, ...rows])) out.push(row);
      for (const ev of run.events) {
        out.push(`  event line ${ev.line}: ${ev.kind}${ev.epoch === null ? '' : ` (epoch ${ev.epoch})`}`);
      }
      for (const d of run.datasets) {
        const classes = d.classes === null ? '' : `, ${d.classes} classes`;
        out.push(`  dataset line ${d.line}: ${d.count} ${escapeControl(d.unit)} (${d.role}${classes})`);
      }
    }
    for (const i of f.issues) {
      out.push(`  ${i.line === null ? '' : `line ${i.line}: `}${i.kind}: ${escapeControl(i.message)}`);
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function alignRows(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

/** One CSV row per epoch: `file,run,epoch,of,steps,total,seconds,<metrics...>` (union of all metrics). */
export function renderRecordsCsv(files: FileRecords[]): string {
  const metricSet = new Set<string>();
  for (const f of files) for (const r of f.runs) for (const c of metricColumns(r)) metricSet.add(c);
  const metrics = [...metricSet];
  const lines = [
    ['file', 'run', 'epoch', 'of', 'steps', 'total_steps', 'seconds', ...metrics].map(csvCell).join(','),
  ];
  for (const f of files) {
    for (const r of f.runs) {
      for (const e of r.epochs) {
        const cells = [
          f.file,
          String(r.index + 1),
          String(e.epoch),
          e.of === null ? '' : String(e.of),
          e.steps === null ? '' : String(e.steps.done),
          e.steps === null ? '' : String(e.steps.total),
          e.seconds === null ? '' : String(e.seconds),
          ...metrics.map((m) => {
            const v = e.metrics[m];
            return v === undefined ? '' : String(v);
          }),
        ];
        lines.push(cells.map(csvCell).join(','));
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Parse issues listed on stderr per file (`parse --format csv`); the rest are counted. */
export const ISSUES_LISTED = 20;

/**
 * The parse issues of one file as lines for stderr: `<file>: <kind>: <message>` for the first
 * {@link ISSUES_LISTED}, then one line counting the rest.
 */
export function issueLines(file: string, issues: readonly ParseIssue[]): string[] {
  const lines = issues.slice(0, ISSUES_LISTED).map((i) => `${file}: ${i.kind}: ${i.message}`);
  const rest = issues.length - ISSUES_LISTED;
  if (rest > 0) lines.push(`${file}: ${rest} more parse issue(s) not listed (--format json lists them all)`);
  return lines;
}

function csvCell(text: string): string {
  const safe = neutralizeFormula(escapeControl(text));
  return /[",]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * A text cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first, then text that is not
 * a number: a metric name or file name from an untrusted log) gets a leading `'`, which spreadsheets
 * show as text. Numbers (`-0.5`, `-Infinity`), a lone sign (`-`: standard input) and a sign before a
 * number (`=5`) are left as they are: none of them runs anything.
 */
export function neutralizeFormula(cell: string): string {
  const c = cell.charCodeAt(0);
  if (!(c === 61 || c === 43 || c === 45 || c === 64)) return cell;
  const rest = cell.slice(1);
  if (
    rest === '' ||
    isNumberText(rest) ||
    (c === 45 && rest === 'Infinity') ||
    (c === 43 && rest === 'Infinity')
  )
    return cell;
  return `'${cell}`;
}

/** A plain decimal number (`0.5`, `1e-3`, `5`): digits first, no spaces, nothing after. */
function isNumberText(text: string): boolean {
  const first = text.charCodeAt(0);
  const digitFirst = (first >= 48 && first <= 57) || (first === 46 && text.length > 1);
  return digitFirst && text.trim() === text && Number.isFinite(Number(text)) && !/[xXoObB]/.test(text);
}
